"""The refresh of the daily aggregates: changed old days, frozen weeks, sub-divisions, the SHO's panel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from analytics.models import DailyAggregate, SnapshotRow, SnapshotWeek
from analytics.periods import week_start
from analytics.services import aggregates_refresh_changed, snapshot_take
from casp.roles import Role
from fir.models import FirStatus, StatusChange
from stations.models import SubDivision
from tests.analytics.test_compstat import _at, _fir
from tests.factories import PoliceStationFactory, posted_user


def _firs_on(day: dt.date) -> int:
    return sum(DailyAggregate.objects.filter(day=day).values_list("firs", flat=True))


def test_an_old_fir_cancelled_today_changes_its_day_at_the_next_refresh(catalogue, station_a, officer_a):
    today = timezone.localdate()
    old = today - dt.timedelta(days=200)
    fir = _fir(station_a, officer_a, _at(old), ("PPC", "379"))
    aggregates_refresh_changed(recent_days=1, today=today)
    assert _firs_on(old) == 1
    fir.status = FirStatus.CANCELLED
    fir.save(update_fields=["status"])
    StatusChange.objects.create(fir=fir, from_status="under_investigation", to_status="cancelled", changed_by=officer_a)
    aggregates_refresh_changed(recent_days=1, today=today)  # 200 days back is outside the recent window
    assert _firs_on(old) == 0
    assert sum(DailyAggregate.objects.filter(day=today).values_list("cancelled", flat=True)) == 1


def test_a_week_is_frozen_once_and_only_after_it_ended(catalogue, station_a, officer_a):
    today = timezone.localdate()
    assert snapshot_take(week=today, today=today) is None  # the current week has not ended
    last = week_start(today) - dt.timedelta(days=7)
    _fir(station_a, officer_a, _at(last), ("PPC", "302"))
    first = snapshot_take(week=last, today=today)
    rows = SnapshotRow.objects.filter(week=first).count()
    _fir(station_a, officer_a, _at(last + dt.timedelta(days=1)), ("PPC", "379"))
    assert snapshot_take(week=last, today=today) == first  # frozen: not taken again
    assert SnapshotRow.objects.filter(week=first).count() == rows == 1
    assert SnapshotWeek.objects.get().week_start.weekday() == 0


def test_station_refuses_a_subdivision_of_another_district(station_a, district_b):
    station_a.subdivision = SubDivision.objects.create(district=district_b, code="SD-B", name="B circle")
    with pytest.raises(ValidationError, match="sub-division of the station's district"):
        station_a.full_clean()


def test_subdivision_report_rolls_up_its_stations(client, catalogue, station_a, district_a, officer_a):
    sub = SubDivision.objects.create(district=district_a, code="SD-A", name="A circle")
    other = PoliceStationFactory(district=district_a, code="PS-A2", subdivision=sub)
    station_a.subdivision = sub
    station_a.save(update_fields=["subdivision"])
    today = timezone.localdate()
    _fir(station_a, officer_a, _at(today), ("PPC", "302"))
    _fir(other, officer_a, _at(today), ("PPC", "392"))
    aggregates_refresh_changed(recent_days=2, today=today)
    client.force_login(posted_user(Role.DISTRICT_OFFICER, district=district_a, username="dpo_sd"))
    response = client.get(reverse("analytics:compstat_csv", args=["subdivision", "SD-A"]))
    assert "subdivision SD-A" in response.content.decode()
    assert any(line.split(",")[6:9] == ["firs", "", "2"] for line in response.content.decode().splitlines())


def test_sho_dashboard_has_the_compstat_panel(client, catalogue, station_a):
    sho = posted_user(Role.SHO, station=station_a, username="sho_panel")
    client.force_login(sho)
    body = client.get(reverse("stations:dashboard", args=[station_a.code])).content.decode()
    assert 'id="compstat-panel"' in body
    assert reverse("analytics:compstat", args=["station", station_a.code]) in body


@pytest.mark.django_db
def test_the_database_refuses_a_refresh_time_outside_its_range():
    """The one date column without a named CHECK (found by test_dates reading every app): now held like the rest."""
    from django.db import IntegrityError, transaction

    from analytics.models import RefreshState

    RefreshState.objects.create(pk=1, refreshed_at=timezone.now())
    with pytest.raises(IntegrityError, match="analytics_refreshstate_refreshed_at_range"), transaction.atomic():
        RefreshState.objects.filter(pk=1).update(refreshed_at="0001-01-01T00:00:00+05:00")
    RefreshState.objects.filter(pk=1).update(refreshed_at=None)  # never refreshed yet
