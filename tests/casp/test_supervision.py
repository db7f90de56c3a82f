"""`make run` supervises its processes: a crashed one is restarted and never takes the others down."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
KEEP_RUNNING = str(BASE / "scripts" / "keep_running.sh")


def _wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def _stop_group(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def test_keep_running_restarts_a_command_that_dies(tmp_path):
    runs = tmp_path / "runs"
    proc = subprocess.Popen(
        [KEEP_RUNNING, "flaky", "sh", "-c", f"echo run >> {runs}; exit 3"],
        stderr=open(tmp_path / "stderr", "w"),
        start_new_session=True,
    )
    try:
        _wait_for(lambda: runs.exists() and len(runs.read_text().split()) >= 3, 20, "three runs")
        assert proc.poll() is None  # the loop itself never gives up
    finally:
        _stop_group(proc)
    assert "flaky exited with status 3; restarting in 1s" in (tmp_path / "stderr").read_text()


def test_keep_running_stops_its_command_and_itself_on_sigterm(tmp_path):
    proc = subprocess.Popen(
        [KEEP_RUNNING, "sleeper", "--log", str(tmp_path / "out.log"), "sleep", "300"],
        stderr=open(tmp_path / "stderr", "w"),
        start_new_session=True,
    )
    try:
        _wait_for(lambda: "started" in (tmp_path / "stderr").read_text(), 10, "the command to start")
        child = psutil.Process(proc.pid).children()[0]
        os.kill(proc.pid, signal.SIGTERM)  # the wrapper alone: it must pass the signal on
        assert proc.wait(timeout=10) == 0
        assert not child.is_running() or child.status() == psutil.STATUS_ZOMBIE
    finally:
        _stop_group(proc)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _supervised(root, program):
    """Return the process running ``program`` directly under its keep_running.sh, below ``root``."""
    for proc in psutil.Process(root).children(recursive=True):
        try:
            cmd = " ".join(proc.cmdline())
            parent = " ".join(proc.parent().cmdline())
        except psutil.Error:
            continue
        if "keep_running" not in cmd and program in cmd and "keep_running" in parent:
            return proc
    return None


@pytest.mark.redis
@pytest.mark.slow
def test_the_supervised_set_restarts_a_killed_worker_and_keeps_the_web_server(tmp_path):
    import redis

    url = settings.REDIS_URL.rsplit("/", 1)[0] + "/13"  # a database of its own, emptied first
    redis.Redis.from_url(url).flushdb()
    port = _free_port()
    run_dir, log_dir = tmp_path / "run", tmp_path / "log"
    run_dir.mkdir()
    log_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "casp.settings",
        "DEBUG": "true",
        "SECRET_KEY": "x" * 50,
        "REDIS_URL": url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "BIN": os.path.dirname(sys.executable),
        "CASP_ADDR": f"127.0.0.1:{port}",
        "CASP_RUN_DIR": str(run_dir),
        "CASP_LOG_DIR": str(log_dir),
    }
    env.pop("CASP_DB_ROLE", None)
    honcho = subprocess.Popen(
        [os.path.join(env["BIN"], "honcho"), "--no-colour", "-f", "Procfile", "-e", os.devnull, "start"],
        cwd=BASE,
        env=env,
        stdout=open(tmp_path / "honcho.log", "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    worker_log = log_dir / "worker.log"

    def readies():
        return worker_log.read_text().count("ready.") if worker_log.exists() else 0

    def web_answers():
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).status in {200, 503}
        except urllib.error.HTTPError as exc:
            return exc.code == 503
        except OSError:
            return False

    try:
        _wait_for(lambda: readies() >= 1, 120, "the worker to be ready")
        _wait_for(web_answers, 60, "gunicorn to answer")
        # Its control socket is this checkout's own, not the one in the home directory every gunicorn shares.
        assert (run_dir / "gunicorn.ctl").is_socket()
        web = _supervised(honcho.pid, "gunicorn")
        worker = _supervised(honcho.pid, " worker ")
        assert web is not None and worker is not None, (tmp_path / "honcho.log").read_text()[-2000:]

        worker.kill()  # a crash: SIGKILL, no clean shutdown
        _wait_for(lambda: readies() >= 2, 120, "the worker to come back")
        again = _supervised(honcho.pid, " worker ")
        assert again is not None and again.pid != worker.pid
        assert honcho.poll() is None and web.is_running()  # nothing else went down
        assert _supervised(honcho.pid, "gunicorn").pid == web.pid
        assert web_answers()
        assert "worker exited with status" in (tmp_path / "honcho.log").read_text()
    finally:
        descendants = psutil.Process(honcho.pid).children(recursive=True)
        _stop_group(honcho)
        for proc in descendants:  # honcho stops them; make sure nothing outlives a failed test
            if proc.is_running():
                proc.kill()
    assert honcho.returncode is not None
