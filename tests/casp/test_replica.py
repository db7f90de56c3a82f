"""The read replica, proved on a real streaming standby started from the embedded primary.

Lists go to the replica; a client that has just written reads from the primary (read-your-writes);
a replica that lags beyond REPLICA_MAX_LAG, or is stopped, is skipped and reads fall back to the
primary without an error. Without DATABASE_REPLICA_URL every read uses the primary.
"""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import casp.replica as casp_replica
from casp.replica import REPLICA, WROTE_COOKIE, ReplicaRouter, replica_lag, replica_reset, using_replica
from complaints.models import Complaint
from tests.complaints.factories import filed
from tests.pgcluster import (
    embedded_bin,
    reference_data_seed,
    require_binaries,
    standby_create,
    standby_destroy,
    wait_until,
)

pytestmark = [pytest.mark.replica, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def standby(django_db_setup, django_db_blocker):
    require_binaries("pg_basebackup", "pg_ctl", where=embedded_bin())
    primary = settings.DATABASES["default"]
    if not str(primary["HOST"]).startswith("/"):
        pytest.skip("the standby is started from the embedded server (DATABASE_URL points elsewhere)")
    server = standby_create(primary["HOST"], int(primary["PORT"]), settings.VAR_DIR / "replica-test")
    yield server
    standby_destroy(server)


@pytest.fixture
def replica(standby, transactional_db, django_db_blocker, monkeypatch):
    """Add the ``replica`` alias (the test database on the standby, as the application's role).

    Django's test case refuses connections to aliases it was not told about when it started; the
    alias is added afterwards, so this one alias is let through to the real connect.
    """
    guarded = BaseDatabaseWrapper.ensure_connection
    real = django_db_blocker._real_ensure_connection

    def ensure_connection(self, *args, **kwargs):  # noqa: ANN001, ANN202
        method = real if self.alias == REPLICA else guarded
        return method(self, *args, **kwargs)

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", ensure_connection)
    reference_data_seed()
    if not standby.running():
        standby.start()
    standby.sql("SELECT pg_wal_replay_resume()")
    connections.settings[REPLICA] = {
        **connections.settings["default"],
        "HOST": str(standby.socket_dir),
        "PORT": str(standby.port),
        "USER": settings.DATABASE_APP_ROLE,
        "OPTIONS": {"connect_timeout": 2},
    }
    replica_reset()
    yield standby
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]
    replica_reset()
    if standby.running():
        standby.sql("SELECT pg_wal_replay_resume()")


def _on_replica(pk: int) -> bool:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT 1 FROM complaints_complaint WHERE id = %s", [pk])
        return cursor.fetchone() is not None


def _caught_up(standby) -> None:  # noqa: ANN001
    wait_until(lambda: standby.sql("SELECT pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()")[0], 30, "replay")


def _inbox(client) -> list[int]:  # noqa: ANN001
    response = client.get("/complaints/")
    assert response.status_code == 200
    return sorted(c.pk for c in response.context["page"])


def test_list_reads_go_to_the_replica_and_a_writer_reads_the_primary(replica, client, station_a, officer_a):
    first = filed(station_a)
    wait_until(lambda: _on_replica(first.pk), 30, "first complaint on the replica")
    replica.sql("SELECT pg_wal_replay_pause()")
    second = filed(station_a)  # committed on the primary; the paused replica does not have it
    assert not _on_replica(second.pk)
    client.force_login(officer_a)

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert _inbox(client) == [first.pk]  # the replica's (older) view: the list was read there
    assert any("complaints_complaint" in q["sql"] for q in on_replica.captured_queries)

    # A write by this client pins its reads to the primary for REPLICA_PIN_SECONDS.
    note = client.post(reverse("complaints:note", args=[first.pk]), {"internal_note": "Visited the complainant."})
    assert note.status_code == 302 and WROTE_COOKIE in note.cookies
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert _inbox(client) == [first.pk, second.pk]
    assert on_replica.captured_queries == []

    # Another client (no recent write) still reads the replica.
    client.cookies.pop(WROTE_COOKIE)
    assert _inbox(client) == [first.pk]
    replica.sql("SELECT pg_wal_replay_resume()")
    _caught_up(replica)
    assert _inbox(client) == [first.pk, second.pk]


def test_a_replica_lagging_beyond_the_limit_is_skipped(replica, client, settings, station_a, officer_a):
    settings.REPLICA_MAX_LAG = 1
    first = filed(station_a)
    wait_until(lambda: _on_replica(first.pk), 30, "first complaint on the replica")
    replica.sql("SELECT pg_wal_replay_pause()")
    time.sleep(1.5)
    second = filed(station_a)
    wait_until(lambda: replica_lag() > 1, 30, "lag above the limit")
    client.force_login(officer_a)
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert _inbox(client) == [first.pk, second.pk]  # read on the primary
    assert not any("complaints_complaint" in q["sql"] for q in on_replica.captured_queries)


def test_a_stopped_replica_falls_back_to_the_primary_without_an_error(replica, client, station_a, officer_a):
    first = filed(station_a)
    client.force_login(officer_a)
    replica.stop()
    assert _inbox(client) == [first.pk]
    assert client.get(reverse("fir:list")).status_code == 200
    replica.start()
    replica_reset()
    wait_until(lambda: _on_replica(first.pk), 30, "replica back")
    assert _inbox(client) == [first.pk]


def test_a_replica_that_dies_after_the_check_is_retried_on_the_primary(
    replica, client, station_a, officer_a, monkeypatch
):
    """The replica answered the entry check, then stopped before the list's query: the page still loads."""
    first = filed(station_a)
    client.force_login(officer_a)
    replica.stop()
    connections[REPLICA].close()
    monkeypatch.setattr("casp.replica.replica_usable", lambda: True)  # the check ran just before the stop
    assert _inbox(client) == [first.pk]  # read again on the primary, no 500
    monkeypatch.undo()
    assert not casp_replica.replica_usable()  # and the replica is skipped for REPLICA_RETRY_SECONDS
    replica.start()
    replica_reset()


def test_a_replica_stopped_before_a_server_side_cursor_is_closed_is_retried_on_the_primary(
    replica, rf, station_a, officer_a, monkeypatch
):
    """The cluster proof's one failed request: a list page's form read its choices through a server-side
    cursor on the replica, the replica stopped after the last fetch, and closing the cursor raised the
    driver's own error (psycopg's, which Django does not translate), which the fallback did not catch: a 500.
    Here the replica's backend is terminated at that same moment, right after the cursor's last fetch."""
    from django.db.backends.utils import CursorWrapper
    from django.http import HttpResponse

    filed(station_a)
    filed(station_a)
    wait_until(lambda: _on_replica(Complaint.objects.order_by("-pk").first().pk), 30, "complaints on the replica")
    terminated: list[bool] = []

    def fetchmany(self, size):  # noqa: ANN001, ANN202 - as Django's, then the fault at the chosen moment
        with self.db.wrap_database_errors:
            rows = self.cursor.fetchmany(size)
        if not rows and self.db.alias == REPLICA and not terminated:
            terminated.append(True)
            replica.sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE usename = '{settings.DATABASE_APP_ROLE}' AND backend_type = 'client backend'"
            )
        return rows

    monkeypatch.setattr(CursorWrapper, "fetchmany", fetchmany, raising=False)
    read_from: list[str] = []

    @using_replica
    def view(request):  # noqa: ANN001, ANN202
        read_from.append(ReplicaRouter().db_for_read(Complaint))
        rows = list(Complaint.objects.order_by("pk").iterator(chunk_size=1))  # a server-side cursor
        return HttpResponse(f"{len(rows)} complaints")

    request = rf.get("/complaints/")
    request.user = officer_a
    response = view(request)
    assert terminated == [True]
    assert response.status_code == 200 and response.content == b"2 complaints"
    assert read_from == [REPLICA, "default"]  # the read-only view ran again, on the primary
    assert not casp_replica.replica_usable()  # and the replica is skipped for REPLICA_RETRY_SECONDS
    replica_reset()


def test_reads_inside_a_transaction_or_outside_using_replica_use_the_primary(replica):
    router = ReplicaRouter()
    assert router.db_for_read(Complaint) == "default"
    with using_replica() as on_replica:
        assert on_replica and router.db_for_read(Complaint) == REPLICA
        with transaction.atomic():
            assert router.db_for_read(Complaint) == "default"
        assert router.db_for_write(Complaint) == "default"
    assert router.allow_migrate(REPLICA, "complaints") is False
    assert router.allow_migrate("default", "complaints") is True


def test_the_replica_connects_as_the_application_role_it_inherited(replica):
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT current_user, pg_is_in_recovery()")
        assert cursor.fetchone() == (settings.DATABASE_APP_ROLE, True)
        cursor.execute("SELECT has_table_privilege('complaints_complaint', 'INSERT')")
        assert cursor.fetchone() == (True,)  # granted on the primary; the standby itself is read-only


def test_reports_maps_trends_register_lists_and_the_audit_log_read_the_replica(replica, client, station_a, colleague_a):
    """The heavy read-only pages the issue names (analytics, exports, lists) are read on the replica."""
    client.force_login(colleague_a)
    pages = [
        reverse("analytics:compstat", args=["station", station_a.code]),
        reverse("analytics:compstat_csv", args=["station", station_a.code]),
        reverse("hotspots:station", args=[station_a.code]),
        reverse("hotspots:station_trends", args=[station_a.code]),
        reverse("stations:register_list", args=[station_a.code, "ii"]),
        reverse("stations:audit_log"),
    ]
    for url in pages:
        replica_reset()
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            assert client.get(url).status_code == 200, url
        read_there = [q["sql"] for q in on_replica.captured_queries if "pg_is_in_recovery" not in q["sql"]]
        assert read_there, f"{url} read nothing on the replica"
