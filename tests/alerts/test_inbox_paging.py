"""The inbox pages a district's alerts by merging each station's newest, without counting every alert."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alerts import selectors
from alerts.models import Alert
from casp.roles import POLICE_ROLES, Role, user_roles
from hoteleye.models import CheckIn
from tests.factories import cro_record, posted_user


@pytest.fixture
def many_alerts(station_a, station_a2, station_b):
    """37 alerts over two stations of district A and one of B; several share a time (the id breaks the tie)."""
    record = cro_record(name="Wanted Person", is_wanted=True)
    ct = ContentType.objects.get_for_model(CheckIn)
    stations = [station_a, station_a2, station_b]
    kinds = ["hotel_checkin", "tenant", "vehicle_check"]
    alerts = Alert.objects.bulk_create(
        Alert(
            station=stations[i % 3],
            source_type=ct,
            source_id=i,
            source_kind=kinds[(i // 3) % 3],
            cro_record=record,
            record_name="Wanted Person",
            kind="cnic",
            score=100.0,
            status="new" if i % 4 else "acknowledged",
        )
        for i in range(37)
    )
    base = timezone.now() - dt.timedelta(days=1)
    for i, alert in enumerate(alerts):
        Alert.objects.filter(pk=alert.pk).update(created_at=base + dt.timedelta(minutes=(i * 7) % 11))
    return alerts


def _walk(user, **filters) -> tuple[list[int], list[bool]]:
    ids, nexts = [], []
    number = 1
    while True:
        page = selectors.alerts_page_for_user(user, page=number, per_page=4, **filters)
        ids += [a.pk for a in page]
        nexts.append(page.has_next())
        if not page.has_next():
            return ids, nexts
        number = page.next_page_number()


@pytest.mark.parametrize(
    "filters",
    [{}, {"source_kind": "tenant"}, {"status": "new"}, {"source_kind": "hotel_checkin", "status": "new"}],
)
def test_the_pages_hold_the_district_s_alerts_in_the_inbox_s_order(dpo_a, many_alerts, filters):
    expected = list(selectors.alerts_for_user(dpo_a, **filters).values_list("pk", flat=True))
    ids, nexts = _walk(dpo_a, **filters)
    assert ids == expected
    assert len(expected) > 4
    assert nexts[-1] is False and all(nexts[:-1])


def test_an_officer_of_one_station_pages_that_station_only(officer_a, station_a, many_alerts):
    ids, _nexts = _walk(officer_a)
    assert ids == list(
        Alert.objects.filter(station=station_a).order_by("-created_at", "-id").values_list("pk", flat=True)
    )


def test_the_inbox_state_is_the_latest_id_and_the_new_count(dpo_a, station_a, station_a2, many_alerts):
    district = Alert.objects.filter(station__in=[station_a, station_a2])
    for kind in ("", "tenant"):
        alerts = district.filter(source_kind=kind) if kind else district
        expected = (alerts.aggregate(m=Max("id"))["m"], alerts.filter(status="new").count())
        assert selectors.alerts_inbox_state(dpo_a, source_kind=kind) == expected


def test_the_inbox_state_compiled_once_answers_each_user_for_their_own_jurisdiction_today(
    dpo_a, officer_a, officer_b, station_a, station_a2, station_b, many_alerts
):
    """The poll's query is compiled once per process and bound per user and day: every kind of user gets the
    figures of the stations in their own jurisdiction, whoever asked before them."""
    from stations.models import Posting
    from stations.selectors import stations_for_user

    today = timezone.localdate()
    khidmat = posted_user(Role.KHIDMAT_STAFF, station=station_a, username="counter_a")
    admin = posted_user(Role.SYSTEM_ADMIN, username="admin_all")
    ended = posted_user(Role.SHO, username="sho_gone")
    Posting.objects.create(
        user=ended, station=station_a, role=Role.SHO, starts_on=today - dt.timedelta(days=30),
        ends_on=today - dt.timedelta(days=1),
    )  # fmt: skip
    coming = posted_user(Role.SHO, username="sho_next")
    Posting.objects.create(user=coming, station=station_b, role=Role.SHO, starts_on=today + dt.timedelta(days=1))
    expected_stations = {
        officer_a: [station_a], dpo_a: [station_a, station_a2], officer_b: [station_b], khidmat: [], ended: [],
        coming: [], admin: [station_a, station_a2, station_b],
    }  # fmt: skip
    for kind in ("", "hotel_checkin", "tenant"):
        for user, stations in [*expected_stations.items(), *reversed(expected_stations.items())]:
            alerts = Alert.objects.filter(station__in=stations)
            alerts = alerts.filter(source_kind=kind) if kind else alerts
            expected = (alerts.aggregate(m=Max("id"))["m"] or 0, alerts.filter(status="new").count())
            assert selectors.alerts_inbox_state(user, source_kind=kind) == expected, (user.username, kind)
            ids = list(stations_for_user(user, roles=POLICE_ROLES).values_list("pk", flat=True))
            assert selectors.alerts_inbox_state(user, source_kind=kind, station_ids=ids) == expected
    assert selectors.alerts_inbox_state(AnonymousUser()) == (0, 0)


def test_the_inbox_poll_builds_no_query_after_the_first(officer_a, dpo_a, many_alerts, monkeypatch):
    """The poll binds the user and the day to SQL compiled once: the ORM does not compile it again."""
    from django.db.models.sql.compiler import SQLCompiler

    selectors.alerts_inbox_state(officer_a, source_kind="tenant")
    user_roles(dpo_a)  # read once per request (cached on the user), as the view's role check does
    compiled = []
    original = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        compiled.append(self.query.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    with CaptureQueriesContext(connection) as queries:
        state = selectors.alerts_inbox_state(dpo_a, source_kind="tenant")
    assert state[0] > 0
    assert compiled == [] and len(queries) == 1


def test_the_inbox_page_costs_the_same_queries_whatever_the_number_of_alerts(client, dpo_a, many_alerts):
    client.force_login(dpo_a)
    url = reverse("alerts:inbox")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    record = many_alerts[0].cro_record
    Alert.objects.bulk_create(
        Alert(
            station=many_alerts[0].station,
            source_type=many_alerts[0].source_type,
            source_id=1000 + i,
            source_kind="tenant",
            cro_record=record,
            record_name="Wanted Person",
            kind="cnic",
            score=100.0,
        )
        for i in range(60)
    )
    with CaptureQueriesContext(connection) as more:
        page = client.get(url).content.decode()
    assert len(more) == len(few)
    assert not any("COUNT(*)" in q["sql"] and "'new'" not in q["sql"] for q in more.captured_queries)
    assert "page=2" in page


@pytest.mark.parametrize("number", ["abc", "-3", "0", ""])
def test_a_page_number_that_is_not_one_shows_the_first_page(client, dpo_a, many_alerts, number):
    client.force_login(dpo_a)
    first = client.get(reverse("alerts:inbox"))
    response = client.get(reverse("alerts:inbox"), {"page": number})
    assert response.status_code == 200
    assert response.content.count(b"data-alert-id") == first.content.count(b"data-alert-id") > 0


def test_the_last_page_allowed_offers_no_next(dpo_a, many_alerts, monkeypatch):
    monkeypatch.setattr(selectors, "INBOX_MAX_PAGE", 2)
    page = selectors.alerts_page_for_user(dpo_a, page=5, per_page=4)
    assert page.number == 2 and not page.has_next() and len(page) == 4


def test_many_stations_are_paged_by_one_walk_in_the_same_order(dpo_a, many_alerts, monkeypatch):
    expected = list(selectors.alerts_for_user(dpo_a).values_list("pk", flat=True))
    monkeypatch.setattr(selectors, "MERGE_MAX_STATIONS", 1)
    assert _walk(dpo_a)[0] == expected
