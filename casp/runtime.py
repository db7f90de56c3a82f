"""Facts about the running environment that settings and start-up need."""

from __future__ import annotations

import gc
import socket
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured


def redis_answers(url: str, timeout: float = 0.3) -> bool:
    """Return whether a Redis server answers PING at ``url`` (no client library needed)."""
    parsed = urlparse(url)
    host = parsed.hostname or "127.0.0.1"
    port = parsed.port or 6379
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.settimeout(timeout)
            if parsed.password:
                sock.sendall(f"AUTH {parsed.password}\r\n".encode())
                sock.recv(64)
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def require_broker(url: str) -> None:
    """Refuse to start when the broker does not answer (production mode)."""
    if not redis_answers(url, timeout=2.0):
        raise ImproperlyConfigured(
            f"No Redis answers at REDIS_URL={_redact(url)}. CASP needs Redis as its Celery broker and cache "
            "when DEBUG is off; start Redis or set REDIS_URL."
        )


def _redact(url: str) -> str:
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(parsed.password, "***")
    return url


def startup_objects_freeze() -> None:
    """Move every object alive after start-up into the garbage collector's permanent generation (gc.freeze).

    Start-up leaves a process with hundreds of thousands of long-lived objects (modules, Django's app
    registry, URL patterns, templates, Celery's task registry). The collector walked all of them at every
    full collection: 20-135 ms measured in a worker, landing on whichever request or task set it off (a
    no-photo check-in's alert once took 138 ms instead of ~40). Frozen, they are never walked again;
    objects made later are collected as before. Called once a web process has loaded the application
    (casp/wsgi.py) and once a worker is ready to take tasks (casp/celery.py).
    """
    gc.collect()
    gc.freeze()
