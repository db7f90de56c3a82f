import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from casp.checks import MissingExtensionError, require_extensions


def test_required_extensions_are_installed(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension")
        installed = {row[0] for row in cursor.fetchall()}
    assert {"vector", "pg_trgm", "fuzzystrmatch", "unaccent"} <= installed


def test_database_is_postgresql_18_or_newer(db):
    assert connection.vendor == "postgresql"
    assert connection.pg_version >= 150000


def test_no_model_change_lacks_a_migration(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_server_without_pgvector_is_refused_naming_the_missing_extension():
    """The machine's own PostgreSQL 15 lacks pgvector: pointing CASP at it must name 'vector'."""
    import psycopg

    try:
        conn = psycopg.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres", connect_timeout=2)
    except psycopg.OperationalError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("no PostgreSQL without pgvector answers on 127.0.0.1:5432 to test against")

    class _Conn:
        settings_dict = {"HOST": "127.0.0.1"}

        def cursor(self):
            return conn.cursor()

    with conn:
        cursor = conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
        if cursor.fetchone():
            pytest.skip("the PostgreSQL on 127.0.0.1:5432 has pgvector, so it cannot show the refusal")
        with pytest.raises(MissingExtensionError, match=r"lacks the extension\(s\) 'vector'"):
            require_extensions(_Conn())


@pytest.fixture
def fresh_var_dir():
    # Under var/, not pytest's tmp_path: concurrent pytest runs prune each other's
    # old basetemp folders, which would pull the data directory from under PostgreSQL.
    import shutil
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="test-embedded-", dir=settings.VAR_DIR))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="DATABASE_URL is set: no embedded server in use")
def test_two_processes_started_at_once_share_one_embedded_server(fresh_var_dir):
    """Web and worker starting together on a fresh data directory must start one server, not two."""
    tmp_path = fresh_var_dir
    script = (
        "import django, json; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor(); c.execute('SELECT pg_postmaster_start_time()::text');"
        "print(json.dumps(c.fetchone()[0]))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "casp.settings_test", "CASP_VAR_DIR": str(tmp_path)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=settings.BASE_DIR,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=90) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    starts = {json.loads(out.strip().splitlines()[-1]) for out, _ in outputs}
    assert len(starts) == 1
    assert (tmp_path / "pgdata" / "PG_VERSION").exists()
    stop = subprocess.run(
        [sys.executable, "manage.py", "embedded_db", "stop"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.BASE_DIR,
    )
    assert "stopped" in stop.stdout, stop.stderr


def test_a_damaged_embedded_server_pid_list_is_reset_instead_of_stopping_every_start(tmp_path):
    from casp.embedded_db import pid_list_repair

    assert pid_list_repair(tmp_path) is False  # no list yet
    (tmp_path / ".handle_pids.json").write_text("")  # what a process killed mid-write leaves
    assert pid_list_repair(tmp_path) is True
    assert json.loads((tmp_path / ".handle_pids.json").read_text()) == []
    (tmp_path / ".handle_pids.json").write_text("[12, 34]")
    assert pid_list_repair(tmp_path) is False
    assert json.loads((tmp_path / ".handle_pids.json").read_text()) == [12, 34]
