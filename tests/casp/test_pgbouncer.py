"""PgBouncer in transaction mode in front of the embedded primary: the application's typical work runs
through it (a request cycle that files a complaint and reads the list, FIR registration with its
select_for_update counter, the audit CSV export's chunked iterator, the CRO face index COPY load),
as the application role, and survives a PgBouncer restart."""

from __future__ import annotations

import copy

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_started
from django.db import connections
from django.test.utils import override_settings

from casp.audit_display import events_csv_lines
from casp.models import AuditEvent
from complaints.models import Complaint
from tests.complaints.conftest import form_data
from tests.factories import FACES, cro_record
from tests.fir.factories import register
from tests.pgcluster import bouncer_create, reference_data_seed, require_binaries

pytestmark = [pytest.mark.pgbouncer, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def bouncer(django_db_setup):
    require_binaries("pgbouncer")
    primary = settings.DATABASES["default"]
    if not str(primary["HOST"]).startswith("/"):
        pytest.skip("PgBouncer is started in front of the embedded server (DATABASE_URL points elsewhere)")
    server = bouncer_create(
        primary["HOST"], int(primary["PORT"]), settings.VAR_DIR / "pgbouncer-test", ["postgres", "casp_app"]
    )
    yield server
    server.stop()


@pytest.fixture
def pooled(bouncer, transactional_db):
    """Point the default connection at PgBouncer, as the application role, with the pooled settings."""
    reference_data_seed()  # before switching: the seed needs the owner
    connection = connections["default"]
    saved = copy.deepcopy(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(
        HOST="127.0.0.1",
        PORT=str(bouncer.port),
        USER=settings.DATABASE_APP_ROLE,
        DISABLE_SERVER_SIDE_CURSORS=True,
        OPTIONS={**saved.get("OPTIONS", {}), "prepare_threshold": None},
    )
    yield bouncer
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)


def _transactions(bouncer) -> int:  # noqa: ANN001
    name = settings.DATABASES["default"]["NAME"]
    return sum(int(row["total_xact_count"]) for row in bouncer.admin("SHOW STATS") if row["database"] == name)


def _through_bouncer() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT current_user, application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()")
        user, _app = cursor.fetchone()
    return user == settings.DATABASE_APP_ROLE and connections["default"].settings_dict["HOST"] == "127.0.0.1"


def test_a_request_cycle_fir_counter_and_export_work_through_pgbouncer(pooled, client, station_a, officer_a):
    before = _transactions(pooled)
    assert _through_bouncer()
    response = client.post("/complaints/new/", form_data(station_a))
    assert response.status_code == 302
    client.force_login(officer_a)
    assert [c.station_id for c in client.get("/complaints/").context["page"]] == [station_a.pk]
    # FIR numbers come from a counter row locked with select_for_update: gap-free through the pool.
    first, second = register(station_a, officer_a), register(station_a, officer_a)
    assert (second.number, second.year) == (first.number + 1, first.year)
    assert client.get("/fir/").status_code == 200
    # The audit export reads in chunks with .iterator(): a plain cursor here (DISABLE_SERVER_SIDE_CURSORS).
    lines = list(events_csv_lines(AuditEvent.objects.order_by("pk")))
    assert len(lines) >= 3 and Complaint.objects.count() == 1
    assert _transactions(pooled) > before + 5  # the work really went through PgBouncer


def test_the_face_index_copy_load_works_through_pgbouncer(pooled, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cro import services
    from cro.faces import MemoryFaceIndex, encode_face, memory_search

    record = cro_record(name="Barack Obama")
    upload = SimpleUploadedFile("obama.jpg", (FACES / "obama.jpg").read_bytes())
    with override_settings(MEDIA_ROOT=settings.VAR_DIR / "test-media-pgbouncer"):
        services.photo_add(record=record, acting_user=None, upload=upload)  # encoded after commit (eager task)
    index = MemoryFaceIndex()
    index.load_full()  # COPY ... TO STDOUT (FORMAT BINARY) through PgBouncer
    assert index.size == 1
    query = encode_face((FACES / "obama2.jpg").read_bytes()).encoding
    assert memory_search(index, [query], limit=5, tolerance=0.6)[0][0].record_id == record.pk


def test_a_kept_connection_survives_a_pgbouncer_restart(pooled, client, station_a, officer_a):
    connection = connections["default"]
    connection.settings_dict["CONN_MAX_AGE"] = 600  # keep it between requests, as production does
    client.force_login(officer_a)
    assert client.get("/complaints/").status_code == 200
    kept = connection.connection
    assert kept is not None
    pooled.stop()
    pooled.start()
    # The next request checks the kept connection (CONN_HEALTH_CHECKS), finds it broken and reconnects.
    # The test client disconnects that check from request_started, so send the signal the WSGI handler sends.
    request_started.send(sender=WSGIHandler)
    assert client.get("/complaints/").status_code == 200
    assert connection.connection is not kept
    client.post("/complaints/new/", form_data(station_a))
    assert Complaint.objects.count() == 1
