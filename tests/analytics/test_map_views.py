"""The hotspot map, near-repeat and trend pages: jurisdiction, counts, bad input, audit."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone

from casp.models import AuditEvent
from casp.roles import Role
from tests.analytics.factories import firs_bulk
from tests.factories import posted_user

pytestmark = pytest.mark.django_db

ISLAMABAD = (33.6938, 73.0652)


def _scatter(n: int, *, start: dt.date, days: int, seed: int = 1, spread: float = 0.02, centre=ISLAMABAD):
    rng = np.random.default_rng(seed)
    base = timezone.make_aware(dt.datetime.combine(start, dt.time(12)))
    return [
        (
            base + dt.timedelta(days=int(rng.integers(0, days))),
            centre[0] + rng.normal(0, spread),
            centre[1] + rng.normal(0, spread),
        )
        for _ in range(n)
    ]


def _period(days_ago_from: int, days_ago_to: int) -> dict[str, str]:
    today = timezone.localdate()
    return {
        "date_from": (today - dt.timedelta(days=days_ago_from)).isoformat(),
        "date_to": (today - dt.timedelta(days=days_ago_to)).isoformat(),
    }


def test_map_counts_mapped_and_not_mapped_and_is_audited(client_a, station_a, officer_a):
    start = timezone.localdate() - dt.timedelta(days=60)
    firs_bulk(station_a, officer_a, _scatter(40, start=start, days=30))
    firs_bulk(station_a, officer_a, [(timezone.now() - dt.timedelta(days=40), None, None)] * 3)
    response = client_a.get(reverse("hotspots:station", args=[station_a.code]), _period(60, 0))
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.tally.total, result.tally.mapped, result.tally.not_mapped) == (43, 40, 3)
    html = response.content.decode()
    assert "3 incidents are not mapped" in html
    assert len(response.context["hotspot_map"]["points"]) == 40
    event = AuditEvent.objects.get(action="analytics.hotspot_map_viewed")
    assert event.is_read and event.actor == officer_a and event.data["area"] == "station PS-A"


def test_map_of_a_period_with_no_offence_says_so(client_a, station_a):
    response = client_a.get(reverse("hotspots:station", args=[station_a.code]))
    assert response.status_code == 200
    assert response.context["result"].tally.total == 0
    assert "0 incidents are not mapped" in response.content.decode()


def test_a_concentrated_cluster_is_a_hot_spot_and_is_evaluated_on_the_next_period(client_a, station_a, officer_a):
    today = timezone.localdate()
    first = today - dt.timedelta(days=100)
    rows = _scatter(60, start=first, days=40, spread=0.03, seed=2)
    rows += _scatter(40, start=first, days=40, spread=0.0004, seed=3)  # a cluster: one or two cells
    following = _scatter(20, start=first + dt.timedelta(days=41), days=40, spread=0.0004, seed=4)
    following += _scatter(20, start=first + dt.timedelta(days=41), days=40, spread=0.03, seed=5)
    firs_bulk(station_a, officer_a, rows + following)
    period = {"date_from": first.isoformat(), "date_to": (first + dt.timedelta(days=40)).isoformat()}
    response = client_a.get(reverse("hotspots:station", args=[station_a.code]), period)
    result = response.context["result"]
    assert result.hot99_cells >= 1
    cluster = [c for c in result.cells if c["cls"] == "hot99"]
    assert any(c["b"][0][0] <= ISLAMABAD[0] + 0.002 and c["b"][1][0] >= ISLAMABAD[0] - 0.002 for c in cluster)
    evaluation = response.context["evaluation"]
    assert evaluation.next_total == 40 and evaluation.next_in_hot >= 15
    assert evaluation.pai > 10
    assert 'id="pai"' in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field", "text"),
    [
        (_period(10, 20), "date_to", "cannot be before its start"),
        (
            {"date_from": "2020-01-01", "date_to": (timezone.localdate() + dt.timedelta(days=8)).isoformat()},
            "date_to",
            "future",
        ),
        ({"date_from": "someday", "date_to": "2024-01-01"}, "date_from", "valid date"),
    ],
    ids=["ends_before_start", "in_the_future", "not_a_date"],
)
@pytest.mark.parametrize("page", ["hotspots:station", "hotspots:station_near_repeat", "hotspots:station_trends"])
def test_bad_period_names_the_field_and_computes_nothing(client_a, station_a, params, field, text, page):
    response = client_a.get(reverse(page, args=[station_a.code]), params)
    assert response.status_code == 200
    assert text in " ".join(response.context["form"].errors[field])
    assert "result" not in response.context and "charts" not in response.context
    assert not AuditEvent.objects.filter(action__startswith="analytics.").exists()


def test_other_station_and_districts_outside_the_jurisdiction_are_404(client_a, station_b, district_a, district_b):
    refused = [
        ("hotspots:station", station_b.code),
        ("hotspots:district", district_a.code),
        ("hotspots:district", district_b.code),
        ("hotspots:district_trends", district_b.code),
        ("hotspots:station_near_repeat", station_b.code),
        ("hotspots:station_trends", "NOWHERE"),
    ]
    for name, code in refused:
        assert client_a.get(reverse(name, args=[code])).status_code == 404, name


def test_district_officer_sees_the_district_map_with_all_its_stations(client, district_a, station_a, officer_a, roles):
    from tests.factories import PoliceStationFactory

    second = PoliceStationFactory(district=district_a, code="PS-A2")
    start = timezone.localdate() - dt.timedelta(days=30)
    firs_bulk(station_a, officer_a, _scatter(5, start=start, days=20))
    firs_bulk(second, officer_a, _scatter(7, start=start, days=20, seed=9))
    client.force_login(posted_user(Role.DISTRICT_OFFICER, district=district_a, username="dpo"))
    response = client.get(reverse("hotspots:district", args=[district_a.code]))
    assert response.status_code == 200 and response.context["result"].tally.total == 12


def test_section_filter(client_a, station_a, officer_a):
    start = timezone.localdate() - dt.timedelta(days=30)
    firs_bulk(station_a, officer_a, _scatter(5, start=start, days=20), section="379")
    firs_bulk(station_a, officer_a, _scatter(3, start=start, days=20, seed=8), section="392")
    from fir.models import Section

    robbery = Section.objects.get(law="PPC", number="392")
    response = client_a.get(
        reverse("hotspots:station", args=[station_a.code]), {**_period(30, 0), "section": robbery.pk}
    )
    assert response.context["result"].tally.total == 3


def test_near_repeat_with_no_event_says_so(client_a, station_a):
    response = client_a.get(
        reverse("hotspots:station_near_repeat", args=[station_a.code]),
        {**_period(30, 0), "offence": "vehicle_theft", "distance_bands": "0-100", "day_bands": "0-7", "shuffles": "19"},
    )
    assert response.status_code == 200
    assert "needs at least two mapped offences" in response.content.decode()
    assert AuditEvent.objects.filter(action="analytics.near_repeat_run").exists()


@pytest.mark.parametrize(
    ("field", "value", "text"),
    [
        ("distance_bands", "100-0", "end is below the start"),
        ("day_bands", "0-7, eight", "two numbers with a dash"),
        ("distance_bands", "0-9000", "5000"),
        ("day_bands", "0-7, 5-14", "overlap"),
        ("shuffles", "5", "greater than or equal to 19"),
    ],  # fmt: skip
)
def test_near_repeat_bad_bands_name_the_field(client_a, station_a, field, value, text):
    params = {**_period(30, 0), "offence": "burglary", "distance_bands": "0-100", "day_bands": "0-7", "shuffles": "19"}
    response = client_a.get(reverse("hotspots:station_near_repeat", args=[station_a.code]), {**params, field: value})
    assert text in " ".join(response.context["form"].errors[field])


def test_near_repeat_table_for_burglaries(client_a, station_a, officer_a):
    now = timezone.now()
    rows = []
    for k in range(15):  # pairs: a burglary and another 30 m away two days later
        at = now - dt.timedelta(days=80 - 5 * k)
        lat, lon = ISLAMABAD[0] + 0.01 * (k % 5), ISLAMABAD[1] + 0.01 * (k // 5)
        rows += [(at, lat, lon), (at + dt.timedelta(days=2), lat + 0.0002, lon)]
    firs_bulk(station_a, officer_a, rows, section="457")
    params = {
        **_period(90, 0),
        "offence": "burglary",
        "distance_bands": "0-100, 101-500",
        "day_bands": "0-7, 8-30",
        "shuffles": "99",
    }
    response = client_a.get(reverse("hotspots:station_near_repeat", args=[station_a.code]), params)
    result = response.context["result"]
    close = result.cells[0]
    assert result.events == 30 and close.observed == 15 and close.p_value <= 0.05
    assert "more near repeats than chance" in response.content.decode()


def test_trends_flag_an_injected_spike(client_a, station_a, officer_a):
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday() + 7 * 120)
    rows = []
    for week in range(118):
        n = 40 if week == 90 else 4 + (week % 52 > 26)  # a seasonal step, and one spike
        for k in range(n):
            rows.append(
                (
                    timezone.make_aware(
                        dt.datetime.combine(monday + dt.timedelta(weeks=week, days=k % 7), dt.time(10))
                    ),
                    None,
                    None,
                )
            )
    firs_bulk(station_a, officer_a, rows, registered=True)
    params = {"date_from": monday.isoformat(), "date_to": today.isoformat()}
    response = client_a.get(reverse("hotspots:station_trends", args=[station_a.code]), params)
    weekly = response.context["charts"][0]["series"]
    assert weekly.seasonal
    flagged = weekly.flagged
    assert [p.start for p in flagged] == [monday + dt.timedelta(weeks=90)]
    assert "standard deviations above the seasonal expectation" in flagged[0].reason
    html = response.content.decode()
    assert "<svg" in html and "standard deviations above" in html
    assert AuditEvent.objects.filter(action="analytics.trends_viewed").exists()


def test_index_lists_the_users_stations(client_a, station_a, station_b):
    html = client_a.get(reverse("hotspots:index")).content.decode()
    assert reverse("hotspots:station", args=[station_a.code]) in html
    assert reverse("hotspots:station", args=[station_b.code]) not in html
