"""gunicorn settings for production (`gunicorn -c python:casp.gunicorn_conf casp.wsgi:application`).

With PROMETHEUS_MULTIPROC_DIR set, every gunicorn worker process writes its metrics there and /metrics
adds them up; the folder is emptied when gunicorn starts and a dead worker's gauges are dropped.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
timeout = 60


def on_starting(server: object) -> None:
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True, exist_ok=True)


def child_exit(server: object, worker: object) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
