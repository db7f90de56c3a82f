"""Start a real Celery worker process against the test database and a Redis database of the test's own."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection


def app_database_url() -> str:
    """Return the test database's URL for the application role: the worker runs as it does in production."""
    db = connection.settings_dict
    user = quote(settings.DATABASE_APP_ROLE, safe="")
    password = f":{quote(settings.DATABASE_APP_PASSWORD, safe='')}" if settings.DATABASE_APP_PASSWORD else ""
    return f"postgresql://{user}{password}@{quote(db['HOST'], safe='')}:{db['PORT']}/{db['NAME']}"


def redis_db_url(number: int) -> str:
    """Return the URL of Redis database ``number`` on the configured server, emptied first."""
    import redis

    url = settings.REDIS_URL.rsplit("/", 1)[0] + f"/{number}"
    redis.Redis.from_url(url).flushdb()
    return url


def worker_start(
    redis_url: str, log: Path, *, extra_env: dict[str, str] | None = None, queues: tuple[str, ...] = ()
) -> subprocess.Popen:
    """Start ``celery -A casp worker`` (solo pool; every queue, or ``-Q queues``) and return it once it is ready."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "casp.settings",
        "SECRET_KEY": "x" * 50,
        "DEBUG": "false",
        "REDIS_URL": redis_url,
        "DATABASE_URL": app_database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "STATIC_MANIFEST": "false",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "NOTIFIER": "console",
        **(extra_env or {}),
    }
    proc = subprocess.Popen(
        [
            os.path.join(os.path.dirname(sys.executable), "celery"),
            "-A",
            "casp",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            *(["-Q", ",".join(queues)] if queues else []),
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=open(log, "w"),  # noqa: SIM115 - the child keeps it
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 90
    while "ready." not in log.read_text() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "ready." in log.read_text(), log.read_text()[-3000:]
    return proc


def worker_stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=30)
