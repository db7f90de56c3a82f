"""The cluster proof's pieces start (bench/bench_cluster.py itself is run by `make cluster`, not here).

The standby and PgBouncer of casp/localcluster.py are exercised by test_replica.py and
test_pgbouncer.py; these tests cover the S3 server, the shared helpers and the built-in load driver.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import bench.bench_cluster
import casp.localcluster
import tests.objectstore
import tests.pgcluster
from bench import cluster_load


def test_tests_and_the_cluster_proof_share_one_set_of_servers():
    assert tests.pgcluster.standby_create is casp.localcluster.standby_create
    assert tests.pgcluster.bouncer_create is casp.localcluster.bouncer_create
    assert tests.objectstore.s3_server is casp.localcluster.s3_server


def test_the_s3_server_stores_and_returns_an_object():
    with casp.localcluster.s3_server("casp-smoke") as server:
        client = server.client()
        client.put_object(Bucket="casp-smoke", Key="a/b.txt", Body=b"hello")
        assert client.get_object(Bucket="casp-smoke", Key="a/b.txt")["Body"].read() == b"hello"
        assert server.storage_url("casp-smoke").startswith("s3://casp-smoke?endpoint_url=http://127.0.0.1:")
    assert server.process.poll() is not None  # stopped on leaving the block


def test_plain_bench_skips_the_cluster_proof():
    assert bench.bench_cluster.EXPLICIT_ONLY is True


class _Site(BaseHTTPRequestHandler):
    """Answers every GET with a login-like page, check-ins with 201 and one path with 500."""

    def log_message(self, *args: object) -> None:
        pass

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        status = 500 if self.path.startswith("/complaints/") else 200
        self._answer(status, b'<input name="csrfmiddlewaretoken" value="t">')

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path.endswith("/checkins/"):
            self._answer(201, b'{"id": 1}')
        else:
            self._answer(200, b"{}")


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_the_builtin_driver_times_every_request_and_counts_failures(site):
    plan = {
        "password": "x",
        "clerks": [{"username": "c0", "station": "S"}, {"username": "c1", "station": "S"}],
        "hotels": [{"token": "k", "wanted": ["35202-1234567-1"]}],
        "photos": [],
        "fir_share": 0.2,
        "clerk_wait": [0.01, 0.02],
        "hotel_wait": [0.01, 0.02],
    }
    stats = cluster_load.Stats()
    cluster_load.drive(plan, [site], 1.5, stats)
    assert len(stats.times["login"]) == 2
    assert stats.times["check-in"] and stats.times["check-out"]
    assert stats.failures.get("page /complaints/", 0) == len(stats.times.get("page /complaints/", []))
    assert "login" not in stats.failures and "check-in" not in stats.failures
