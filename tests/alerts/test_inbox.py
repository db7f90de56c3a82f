"""The shared inbox: filtered by source, a district officer sees the district, the API names the source."""

import importlib

import pytest
from django.urls import reverse

from alerts.models import Alert
from alerts.vehicles import vehicle_check
from casp.models import AuditEvent
from fir.vehicles import stolen_vehicle_add
from tests.alerts.conftest import VEHICLE
from tests.factories import cro_record
from tests.hoteleye.conftest import make_alert, make_checkin


@pytest.fixture
def hotel_alert(hotel_a, station_a):
    return make_alert(station_a, make_checkin(hotel_a))


@pytest.fixture
def vehicle_alert(theft_fir, colleague_a, officer_a):
    stolen_vehicle_add(fir=theft_fir, acting_user=colleague_a, data=VEHICLE)
    return vehicle_check(acting_user=officer_a, registration="ICT5678").alerts[0]


@pytest.fixture
def hotel_a(station_a):
    from tests.factories import HotelFactory

    return HotelFactory(station=station_a, code="HA", name="Alpha Inn")


def _ids(page: str, alerts) -> set[int]:
    return {a.pk for a in alerts if f'data-alert-id="{a.pk}"' in page}


def test_the_inbox_filters_by_source(client, officer_a, hotel_alert, vehicle_alert):
    client.force_login(officer_a)
    url = reverse("alerts:inbox")
    both = [hotel_alert, vehicle_alert]
    assert _ids(client.get(url).content.decode(), both) == {hotel_alert.pk, vehicle_alert.pk}
    assert _ids(client.get(url, {"source": "vehicle_check"}).content.decode(), both) == {vehicle_alert.pk}
    assert _ids(client.get(url, {"source": "hotel_checkin"}).content.decode(), both) == {hotel_alert.pk}
    # Hotel Eye's own inbox keeps showing hotel alerts only.
    hotel_inbox = client.get(reverse("hoteleye:alert_inbox")).content.decode()
    assert _ids(hotel_inbox, both) == {hotel_alert.pk}


def test_a_district_officer_sees_every_station_of_the_district_and_no_other(
    client, dpo_a, station_a2, station_b, hotel_a
):
    checkin = make_checkin(hotel_a)
    own = make_alert(station_a2, checkin, record=cro_record(name="Wanted One", is_wanted=True))
    other = make_alert(station_b, checkin, record=cro_record(name="Wanted Two", is_wanted=True))
    client.force_login(dpo_a)
    page = client.get(reverse("alerts:inbox")).content.decode()
    assert _ids(page, [own, other]) == {own.pk}
    assert client.get(reverse("alerts:alert_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("alerts:alert_detail", args=[other.pk])).status_code == 404


def test_the_api_gives_the_source_and_filters_by_it(client, officer_a, hotel_alert, vehicle_alert):
    client.force_login(officer_a)
    api = reverse("hoteleye_api:alert_list")
    results = {r["id"]: r for r in client.get(api).json()["results"]}
    assert results[hotel_alert.pk]["source"]["kind"] == "hotel_checkin"
    assert results[hotel_alert.pk]["guest"]["hotel"] == "HA"
    vehicle = results[vehicle_alert.pk]
    assert vehicle["source"]["kind"] == "vehicle_check" and vehicle["cro_record"] is None
    assert vehicle["fir"]["id"] == vehicle_alert.fir_id and vehicle["guest"] is None
    only = client.get(api, {"source": "vehicle_check"}).json()
    assert [r["id"] for r in only["results"]] == [vehicle_alert.pk]
    event = AuditEvent.objects.filter(action="hoteleye.alerts_listed").latest("id")
    assert event.data["source"] == "vehicle_check" and event.data["alerts"] == [vehicle_alert.pk]


def test_a_vehicle_alert_is_acknowledged_and_closed_on_its_page(client, colleague_a, vehicle_alert):
    client.force_login(colleague_a)
    detail = reverse("alerts:alert_detail", args=[vehicle_alert.pk])
    page = client.get(detail).content.decode()
    assert "Reported stolen in FIR" in page
    client.post(reverse("alerts:alert_acknowledge", args=[vehicle_alert.pk]), {"note": "Team sent"})
    refused = client.post(reverse("alerts:alert_close", args=[vehicle_alert.pk]), {"note": "Found"})
    assert refused.status_code == 400  # the outcome is a deliberate choice
    client.post(
        reverse("alerts:alert_close", args=[vehicle_alert.pk]),
        {"outcome": "arrested", "note": "Vehicle impounded", "confirm": "on"},
    )
    vehicle_alert.refresh_from_db()
    assert vehicle_alert.status == "closed" and vehicle_alert.outcome == "arrested"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"alerts.alert_acknowledged", "alerts.alert_closed", "alerts.alert_viewed"} <= actions


def test_the_hotel_alert_migration_copies_rows_with_their_ids(hotel_a, station_a, station_b):
    """Run the data migration's function on rows of the old hoteleye_alert table (rebuilt in this test)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    migration = importlib.import_module("hoteleye.migrations.0003_alerts_moved_to_alerts_app")
    state = MigrationLoader(connection).project_state(
        [("hoteleye", "0002_date_ranges"), ("alerts", "0001_alerts_shared_inbox")]
    )
    apps = state.apps
    old_alert = apps.get_model("hoteleye", "Alert")
    checkin = make_checkin(hotel_a)
    companion = apps.get_model("hoteleye", "Companion").objects.create(
        checkin_id=checkin.pk, guest_type="pakistani", cnic="3520299999991", name="Companion Khan", gender="male"
    )
    record = cro_record(name="Wanted Person", is_wanted=True)
    with connection.schema_editor() as editor:
        editor.create_model(old_alert)
        common = {"cro_record_id": record.pk, "record_name": "Wanted Person", "kind": "cnic", "score": 100.0}
        old_alert.objects.create(id=7001, station_id=station_a.pk, checkin_id=checkin.pk, **common)
        old_alert.objects.create(
            id=7002, station_id=station_b.pk, checkin_id=checkin.pk, companion_id=companion.pk,
            is_flagging_station=True, **common,
        )  # fmt: skip
        assert migration.copy_hotel_alerts(apps, editor) == 2
    guest, other = Alert.objects.get(pk=7001), Alert.objects.get(pk=7002)
    assert guest.source == checkin and guest.source_kind == "hotel_checkin" and guest.station == station_a
    assert (guest.person_name, guest.place, guest.place_detail) == (checkin.name, "Alpha Inn", checkin.room)
    assert other.source_type.model == "companion" and other.source_id == companion.pk and other.is_flagging_station
    assert guest.get_absolute_url() == reverse("hoteleye:alert_detail", args=[7001])
    assert make_alert(station_a, make_checkin(hotel_a, cnic="61101-1234567-1")).pk > 7002  # the sequence moved on
