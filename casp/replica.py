"""Read replica routing: heavy read-only work goes to the streaming replica, everything else to the primary.

``DATABASE_REPLICA_URL`` adds a ``replica`` database (docs/scaling.md, "Read replica"). Reads go there
only inside ``using_replica()`` (a context manager and decorator put on list, search and export views),
and only when all of these hold:

* the replica is configured, answers, and has replayed the primary's WAL to within ``REPLICA_MAX_LAG``
  seconds (checked on entry; a replica that is down or lagging is skipped for ``REPLICA_RETRY_SECONDS``);
* the request's user has not written in the last ``REPLICA_PIN_SECONDS`` (read-your-writes: every
  unsafe request sets a signed cookie with its time, ``ReadYourWritesMiddleware``);
* no transaction is open on the primary (a read inside ``transaction.atomic`` or ``select_for_update``
  must see the primary's rows).

Writes always go to the primary; migrations run only there. Without the setting every read uses the
primary. A replica that fails in the middle of a decorated view's GET (stopped, restarted, connection
cut) is skipped for ``REPLICA_RETRY_SECONDS`` and the view runs again on the primary, so the client sees
no error; inside ``with using_replica():`` the error propagates (the caller may have written).
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

REPLICA = "replica"
WROTE_COOKIE = "casp_wrote"
_reading: ContextVar[bool] = ContextVar("casp_replica_reading", default=False)
_pinned: ContextVar[bool] = ContextVar("casp_replica_pinned", default=False)
F = TypeVar("F", bound=Callable[..., Any])

# When the replica was last found down or lagging: skipped until then (one process-wide state).
_state_lock = threading.Lock()
_skip_until = 0.0

# Seconds behind the primary: 0 when everything received has been replayed, otherwise the age of the
# last replayed transaction; NULL (treated as "not a standby") on a server that is not in recovery.
LAG_SQL = (
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN NULL "
    "WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def replica_reset() -> None:
    """Forget that the replica was found down or lagging (tests; an operator's manual retry)."""
    global _skip_until
    with _state_lock:
        _skip_until = 0.0


def _skip(seconds: float, reason: str) -> None:
    global _skip_until
    logger.warning("read replica skipped for %.0f s: %s", seconds, reason)
    with _state_lock:
        _skip_until = time.monotonic() + seconds


def replica_lag() -> float | None:
    """Return the replica's lag in seconds (None if it is not a standby); raises DatabaseError if down."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(LAG_SQL)
        row = cursor.fetchone()
    return None if row[0] is None else float(row[0])


def replica_usable() -> bool:
    """Whether reads may go to the replica now (configured, up, close enough; this request did not write)."""
    if not replica_configured() or _pinned.get() or time.monotonic() < _skip_until:
        return False
    retry = settings.REPLICA_RETRY_SECONDS
    try:
        lag = replica_lag()
    except DatabaseError as exc:
        connections[REPLICA].close()
        _skip(retry, f"it does not answer ({exc.__class__.__name__}: {str(exc).strip()[:200]})")
        return False
    if lag is not None and lag > settings.REPLICA_MAX_LAG:
        _skip(retry, f"it is {lag:.1f} s behind the primary (limit {settings.REPLICA_MAX_LAG} s)")
        return False
    return True


@contextmanager
def _replica_block() -> Iterator[bool]:
    token = _reading.set(replica_usable())
    try:
        yield _reading.get()
    finally:
        _reading.reset(token)


def using_replica(view: F | None = None) -> Any:
    """Send reads to the replica when it is usable: ``with using_replica():`` or ``@using_replica`` on a view."""
    if view is None:
        return _replica_block()

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _replica_block() as on_replica:
            if not on_replica or not _safe_request(args):
                return view(*args, **kwargs)
            try:
                return view(*args, **kwargs)
            except (DatabaseError, connections[REPLICA].Database.Error) as exc:
                if not _replica_failed():
                    raise  # the primary failed, not the replica
                connections[REPLICA].close()
                _skip(settings.REPLICA_RETRY_SECONDS, f"it failed during a request ({exc.__class__.__name__})")
        # The replica failed mid-request: the read-only view runs again, on the primary.
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _replica_failed() -> bool:
    """Whether the replica's connection is what failed: Django marked an error on it, or the server closed it.

    The second catches the driver's own error, raised where Django does not translate it: closing a
    server-side cursor (a form's choices, ``QuerySet.iterator()``) on a replica that was just stopped.
    """
    replica = connections[REPLICA]
    return replica.errors_occurred or (replica.connection is not None and replica.connection.closed)


def _safe_request(args: tuple[Any, ...]) -> bool:
    """Whether the view's request only reads (so running it a second time changes nothing)."""
    request = args[0] if args else None
    return isinstance(request, HttpRequest) and request.method in ReadYourWritesMiddleware.SAFE_METHODS


class ReplicaRouter:
    """Reads inside ``using_replica()`` go to the replica (outside a primary transaction); the rest to default."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        if _reading.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the same database

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


class ReadYourWritesMiddleware:
    """Keep a client's reads on the primary for REPLICA_PIN_SECONDS after any unsafe request it made.

    The time of the last write is a signed cookie (so it works for citizens without a session, and
    on any web host); the replica is never consulted while it is fresh.
    """

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        pin = settings.REPLICA_PIN_SECONDS
        wrote = request.get_signed_cookie(WROTE_COOKIE, default=None, max_age=pin)
        recent = wrote is not None and _recent(wrote, pin)
        token = _pinned.set(recent or request.method not in self.SAFE_METHODS)
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if request.method not in self.SAFE_METHODS:
            response.set_signed_cookie(
                WROTE_COOKIE,
                f"{time.time():.3f}",
                max_age=max(1, int(pin)),
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


def _recent(value: str, seconds: float) -> bool:
    try:
        return time.time() - float(value) < seconds
    except ValueError:
        return False
