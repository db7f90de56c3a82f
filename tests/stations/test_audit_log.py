"""The audit log as people read it: labels in their language, details as pairs, station names, IPs, filters, CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from casp import audit
from casp.models import AuditEvent
from casp.roles import Role
from tests.factories import posted_user

pytestmark = pytest.mark.django_db
LOG = reverse("stations:audit_log")


@pytest.fixture
def sho_b(station_b, roles):
    return posted_user(Role.SHO, station=station_b, username="sho_b")


def _add_entry(client, station, name="Aslam", ip="203.0.113.7"):
    url = reverse("stations:register_add", args=[station.code, "xi"])
    response = client.post(url, {"name": name, "reason": "loitering"}, REMOTE_ADDR=ip)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_change_made_through_a_page_records_the_ip_address(client_a, station_a):
    _add_entry(client_a, station_a)
    event = AuditEvent.objects.get(action="stations.register_xi.entry_added")
    assert event.ip_address == "203.0.113.7"


def test_an_event_outside_a_request_has_no_ip(station_a, officer_a):
    event = audit.record(actor=officer_a, action="fir.registered", station_id=station_a.pk)
    assert event.ip_address is None


@pytest.mark.parametrize(
    ("language", "label", "station_name"),
    [("en", "Register entry added", "PS Alpha"), ("ur", "رجسٹر میں اندراج شامل", "تھانہ الفا")],
)
def test_log_shows_labels_pairs_and_station_names_not_codes(
    client, client_a, station_a, colleague_a, language, label, station_name
):
    station_a.name_ur = "تھانہ الفا"
    station_a.save(update_fields=["name_ur"])
    _add_entry(client_a, station_a)
    client.force_login(colleague_a)
    client.cookies["django_language"] = language
    page = client.get(LOG).content.decode()
    assert label in page
    assert station_name in page
    assert "stations.register_xi.entry_added" not in page
    assert "{&#x27;" not in page and "{'" not in page
    assert "203.0.113.7" in page


def test_log_filters_by_user(client, client_a, station_a, colleague_a):
    _add_entry(client_a, station_a, name="By the clerk")
    audit.record(actor=colleague_a, action="stations.register_xi.entry_voided", station_id=station_a.pk)
    client.force_login(colleague_a)
    page = client.get(LOG, {"user": "colleague_a"}).content.decode()
    assert "Register entry voided" in page
    assert "Register entry added" not in page
    assert "officer_a" not in page.split('id="audit-events"')[1]


def test_an_unknown_action_filter_names_the_field_and_lists_nothing(client, client_a, station_a, colleague_a):
    _add_entry(client_a, station_a)
    client.force_login(colleague_a)
    response = client.get(LOG, {"action": "no.such_action"})
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert "No events match." in page


def test_sho_sees_only_the_events_of_their_stations(client, client_a, station_a, sho_b):
    _add_entry(client_a, station_a)
    client.force_login(sho_b)
    page = client.get(LOG).content.decode()
    assert "Register entry added" not in page


def test_a_clerk_cannot_open_the_audit_log(client_a):
    assert client_a.get(LOG).status_code == 403


@pytest.mark.parametrize(
    ("language", "header", "label"),
    [("en", "Action", "Register entry added"), ("ur", "کارروائی", "رجسٹر میں اندراج شامل")],
)
def test_csv_export_in_the_readers_language_and_the_export_is_audited(
    client, client_a, station_a, colleague_a, language, header, label
):
    _add_entry(client_a, station_a)
    client.force_login(colleague_a)
    client.cookies["django_language"] = language
    response = client.get(LOG, {"format": "csv", "user": "officer_a"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert header in rows[0]
    assert len(rows) == 2
    assert label in rows[1][2]
    assert rows[1][1] == "officer_a"
    assert rows[1][6] == "203.0.113.7"
    exported = AuditEvent.objects.get(action="casp.audit_exported")
    assert exported.actor == colleague_a and exported.is_read


def test_cro_search_log_reads_as_labels_and_pairs(client, district_a, roles):
    cro = posted_user(Role.CRO_OFFICER, district=district_a, username="cro_log")
    client.force_login(cro)
    client.get(reverse("cro:search"), {"q": "Mohd Yusuf", "father_name": "Ali"})
    page = client.get(reverse("cro:search_log")).content.decode()
    table = page.split('id="audit-events"')[1]
    assert "CRO search by name" in table
    assert "cro.search_name" not in table
    assert "{&#x27;" not in page
    assert "Mohd Yusuf" in page


def test_log_page_queries_do_not_grow_with_its_rows(client, station_a, colleague_a, officer_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(colleague_a)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LOG).status_code == 200
        return len(queries)

    audit.record(actor=officer_a, action="fir.registered", station_id=station_a.pk, data={"number": 1})
    few = count()
    for _ in range(20):
        audit.record(actor=officer_a, action="fir.status_changed", station_id=station_a.pk, data={"to": "closed"})
    assert count() == few
