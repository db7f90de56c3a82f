"""The application connects as a role that owns nothing and cannot rewrite history (docs/security.md)."""

import json
import os
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from casp.dbroles import app_role_owned_objects, append_only_tables

pytestmark = pytest.mark.django_db

APPEND_ONLY = {
    "casp_auditevent",
    "complaints_complaintevent",
    "stations_registerentryversion",
    "fir_statuschange",
    "fir_casenote",
    "fir_accused",
}


@pytest.fixture
def app_conn(db):
    """A connection to the test database as the application role, outside the test's transaction."""
    db_settings = connection.settings_dict
    if settings.DATABASE_APP_ROLE == db_settings["USER"]:
        pytest.skip("DATABASE_URL and DATABASE_OWNER_URL name the same role here: nothing to separate")
    conn = psycopg.connect(
        host=db_settings["HOST"],
        port=db_settings["PORT"],
        dbname=db_settings["NAME"],
        user=settings.DATABASE_APP_ROLE,
        password=settings.DATABASE_APP_PASSWORD or "",
        autocommit=True,
    )
    yield conn
    conn.close()


def _refused(conn, statement):
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement)


def test_the_application_role_has_no_attribute_and_owns_nothing(app_conn):
    row = app_conn.execute(
        "SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls, rolreplication FROM pg_roles "
        "WHERE rolname = current_user"
    ).fetchone()
    assert row == (False, False, False, False, False)
    with connection.cursor() as cursor:
        assert app_role_owned_objects(cursor, role=settings.DATABASE_APP_ROLE) == []


def test_the_application_role_cannot_truncate_disable_triggers_or_replicate(app_conn):
    _refused(app_conn, "TRUNCATE casp_auditevent")
    _refused(app_conn, "ALTER TABLE casp_auditevent DISABLE TRIGGER ALL")
    _refused(app_conn, "ALTER TABLE casp_auditevent DISABLE TRIGGER casp_auditevent_append_only")
    _refused(app_conn, "SET session_replication_role = replica")
    _refused(app_conn, "DROP TRIGGER casp_auditevent_append_only ON casp_auditevent")
    _refused(app_conn, "CREATE TABLE casp_intruder (id int)")


def test_the_application_role_may_only_read_and_append_to_append_only_tables(app_conn):
    _refused(app_conn, "DELETE FROM complaints_complaintevent")
    _refused(app_conn, "UPDATE casp_auditevent SET action = 'rewritten'")
    _refused(app_conn, "DELETE FROM casp_auditevent")
    _refused(app_conn, "UPDATE stations_registerentryversion SET reason = 'rewritten'")
    _refused(app_conn, "DELETE FROM stations_registerentry")
    _refused(app_conn, "DELETE FROM fir_fir")
    _refused(app_conn, "INSERT INTO django_migrations (app, name, applied) VALUES ('x', 'y', now())")
    with connection.cursor() as cursor:
        assert APPEND_ONLY <= set(append_only_tables(cursor))
    for table in APPEND_ONLY:
        granted = app_conn.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE grantee = current_user AND table_name = %s ORDER BY 1",
            [table],
        ).fetchall()
        assert [row[0] for row in granted] == ["INSERT", "SELECT"], table


def test_alerts_are_never_deleted_by_the_application_or_anyone(app_conn, station_a):
    """Alerts are closed, not deleted: the application role lacks DELETE and the database refuses it to the owner."""
    from django.db import transaction

    from alerts.models import Alert
    from tests.factories import HotelFactory
    from tests.hoteleye.conftest import make_alert, make_checkin

    alert = make_alert(station_a, make_checkin(HotelFactory(station=station_a)))
    _refused(app_conn, "DELETE FROM alerts_alert")
    assert not app_conn.execute("SELECT has_table_privilege('alerts_alert', 'DELETE')").fetchone()[0]
    assert app_conn.execute("SELECT has_table_privilege('alerts_alert', 'UPDATE')").fetchone()[0]  # closing
    with pytest.raises(Exception, match="closed, never deleted"), transaction.atomic():
        Alert.objects.filter(pk=alert.pk).delete()
    assert Alert.objects.filter(pk=alert.pk).exists()


def test_the_application_role_cannot_delete_check_ins_companions_or_match_results(app_conn):
    """Check-ins are checked out, never deleted (hoteleye/0005_checkin_no_delete): no DELETE, UPDATE kept."""
    for table in ("hoteleye_checkin", "hoteleye_companion", "hoteleye_matchresult"):
        _refused(app_conn, f"DELETE FROM {table}")
        assert not app_conn.execute("SELECT has_table_privilege(%s, 'DELETE')", [table]).fetchone()[0], table
    assert app_conn.execute("SELECT has_table_privilege('hoteleye_checkin', 'UPDATE')").fetchone()[0]  # check-out


def test_the_application_role_reads_and_writes_ordinary_tables(app_conn):
    assert app_conn.execute("SELECT count(*) FROM casp_user").fetchone()[0] >= 0
    assert app_conn.execute("SELECT has_table_privilege('django_session', 'DELETE')").fetchone()[0]
    assert app_conn.execute("SELECT has_table_privilege('hoteleye_checkin', 'UPDATE')").fetchone()[0]
    assert not app_conn.execute("SELECT has_table_privilege('django_session', 'TRUNCATE')").fetchone()[0]


def _runtime(script, **extra):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "casp.settings", "DEBUG": "true", **extra}
    env.pop("CASP_DB_ROLE", None)  # the suite's own setting; the runtime processes do not set it
    out = subprocess.run(
        [sys.executable, *script], env=env, capture_output=True, text=True, timeout=120, cwd=settings.BASE_DIR
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


ROLE_SCRIPT = (
    "from django.db import connection;"
    "c = connection.cursor();"
    "c.execute('SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user');"
    "print(json.dumps(c.fetchone()))"
)


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="checks the embedded server's roles")
def test_the_web_application_connects_as_the_restricted_role():
    user, is_super = _runtime(["-c", "import json, casp.wsgi;" + ROLE_SCRIPT])
    assert (user, is_super) == (settings.DATABASE_APP_ROLE, False)
    assert user == "casp_app"


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="checks the embedded server's roles")
def test_manage_py_connects_as_the_owner_only_for_schema_commands():
    import manage

    assert {"migrate", "seed_demo"} <= manage.OWNER_COMMANDS
    user, _ = _runtime(["manage.py", "shell", "-c", "import json;" + ROLE_SCRIPT])
    assert user == "casp_app"


def _database_user(**extra):
    env = {k: v for k, v in os.environ.items() if k != "CASP_DB_ROLE"}
    env.update({"DJANGO_SETTINGS_MODULE": "casp.settings", "SECRET_KEY": "x" * 50, "REQUIRE_BROKER": "false", **extra})
    script = (
        "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['USER'])"
    )
    return subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60, cwd=settings.BASE_DIR
    )


def test_database_owner_url_is_used_only_by_the_owner_role():
    urls = {
        "DATABASE_URL": "postgresql://casp_app:app-pw@db.example:5432/casp",
        "DATABASE_OWNER_URL": "postgresql://casp:owner-pw@db.example:5432/casp",
    }
    assert _database_user(**urls).stdout.strip() == "casp_app"
    assert _database_user(**urls, CASP_DB_ROLE="owner").stdout.strip() == "casp"
    refused = _database_user(**urls, CASP_DB_ROLE="superuser")
    assert refused.returncode != 0 and "CASP_DB_ROLE must be 'app' or 'owner'" in refused.stderr
    refused = _database_user(**{**urls, "DATABASE_OWNER_URL": "sqlite:///x.db"}, CASP_DB_ROLE="owner")
    assert refused.returncode != 0 and "DATABASE_OWNER_URL must be a postgresql:// URL" in refused.stderr


def test_after_migrate_the_owner_creates_a_missing_app_role_and_refuses_a_privileged_or_owning_one():
    """Inside the test's transaction: CREATE ROLE and ALTER ROLE roll back with it."""
    from django.core.exceptions import ImproperlyConfigured

    from casp.dbroles import app_privileges_grant

    assert app_privileges_grant(connection, role="casp_probe_app", password="probe-pw") is True
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolcanlogin, rolsuper FROM pg_roles WHERE rolname = 'casp_probe_app'")
        assert cursor.fetchone() == (True, False)
        cursor.execute("SELECT has_table_privilege('casp_probe_app', 'casp_auditevent', 'INSERT')")
        assert cursor.fetchone()[0] is True
        cursor.execute("SELECT has_table_privilege('casp_probe_app', 'casp_auditevent', 'TRUNCATE')")
        assert cursor.fetchone()[0] is False
        cursor.execute("CREATE TABLE casp_probe_owned (id int)")
        cursor.execute("ALTER TABLE casp_probe_owned OWNER TO casp_probe_app")
    with pytest.raises(ImproperlyConfigured, match="owns relation casp_probe_owned"):
        app_privileges_grant(connection, role="casp_probe_app")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE casp_probe_owned")
        cursor.execute("ALTER ROLE casp_probe_app CREATEDB")
    with pytest.raises(ImproperlyConfigured, match="must not be a superuser or have CREATEDB"):
        app_privileges_grant(connection, role="casp_probe_app")
