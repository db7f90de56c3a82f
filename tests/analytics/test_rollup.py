"""The monthly roll-up: region, province and country reports read whole months from it and give exactly the
figures of the daily-only path and of a direct count on the FIR table, across month, week and year edges."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db.models import F
from django.utils import timezone

from analytics.models import MonthlyAggregate
from analytics.periods import compstat_periods, custom_period, week_start
from analytics.selectors import area_get_for_user, compstat_report
from analytics.services import aggregates_refresh_changed, snapshot_take
from casp.roles import Role
from fir.models import Fir, FirStatus, Section
from stations.models import District, PoliceStation, Province, Region
from tests.analytics.test_compstat import _fir
from tests.factories import posted_user

TZ = timezone.get_default_timezone()
MIX = [[("PPC", "379")], [("PPC", "302"), ("PPC", "337")], [("PPC", "392"), ("AO", "13")], [("PPC", "454")]]
# Just inside and just outside the edges of weeks, months and the year (Pakistan time).
EDGES = [
    dt.datetime(2025, 12, 28, 23, 30),  # Sunday, the week before
    dt.datetime(2025, 12, 29, 0, 30),  # Monday of the week across the year change (UTC: still the 28th)
    dt.datetime(2025, 12, 31, 23, 30),
    dt.datetime(2026, 1, 1, 0, 30),
    dt.datetime(2026, 1, 4, 23, 30),  # Sunday ending that week
    dt.datetime(2026, 1, 5, 0, 30),  # next Monday
    dt.datetime(2026, 1, 31, 23, 30),
    dt.datetime(2026, 2, 1, 0, 30),
    dt.datetime(2026, 2, 28, 23, 30),
    dt.datetime(2026, 3, 1, 0, 30),
]


@pytest.fixture
def admin(roles):
    return posted_user(Role.SYSTEM_ADMIN, username="rollup_admin")


@pytest.fixture
def punjab(catalogue, officer_a):
    """A province of three stations in two districts (one of them in a region), FIRs over 14 months."""
    province = Province.objects.create(code="PJ", name="Punjab")
    region = Region.objects.create(province=province, code="RWP", name="Rawalpindi")
    d1 = District.objects.create(province=province, region=region, code="RWD", name="Rawalpindi district")
    d2 = District.objects.create(province=province, code="ATK", name="Attock")
    stations = [
        PoliceStation.objects.create(district=d1, code="RW-1", name="Saddar"),
        PoliceStation.objects.create(district=d1, code="RW-2", name="Civil Lines"),
        PoliceStation.objects.create(district=d2, code="AT-1", name="Attock City"),
    ]
    today = timezone.localdate()
    moments = [dt.datetime.combine(today - dt.timedelta(days=n), dt.time(12)) for n in range(0, 430, 4)] + EDGES
    for i, moment in enumerate(m for m in moments if m.date() <= today):
        status = FirStatus.CANCELLED if i % 9 == 4 and moment.hour == 12 else FirStatus.REGISTERED
        _fir(stations[i % 3], officer_a, moment.replace(tzinfo=TZ), *MIX[i % 4], status=status)
    aggregates_refresh_changed(today=today)  # the first run counts the day of every FIR
    return {"province": province, "region": region, "districts": [d1, d2], "stations": stations}


def _figures(report: dict) -> dict:
    """Every number of a report, keyed by what it is."""
    out = {}
    for row in report["by_head"]:
        for key, fig in row["figures"].items():
            out[("head", row["head"].code, key)] = (fig.current, fig.base, row["detailed"][key])
    for row in report["summary"]:
        for key, fig in row["figures"].items():
            out[("summary", row["measure"], key)] = (fig.current, fig.base)
    for u in report["units"]:
        out[("unit", u["code"])] = (u["firs"].current, u["firs"].base, u["traced"], u["complaints"], u["decided"])
    return out


def _direct(start: dt.date, end: dt.date, **where) -> int:
    """Count the FIRs registered (not cancelled) from ``start`` to ``end``, Pakistan days, on the FIR table."""
    qs = Fir.objects.exclude(status=FirStatus.CANCELLED).filter(registered_at__date__range=(start, end), **where)
    return qs.count()


PERIODS = [
    lambda today: compstat_periods(today, week=today),
    lambda today: compstat_periods(dt.date(2026, 1, 4), week=dt.date(2025, 12, 29)),  # the week across the year
    lambda today: custom_period(dt.date(2025, 12, 15), min(today, dt.date(2026, 3, 14))),
    lambda today: custom_period(dt.date(2025, 11, 1), dt.date(2026, 2, 27)),  # February one day short
]


@pytest.mark.parametrize("make_periods", PERIODS, ids=["this-week", "year-change-week", "mid-month", "month-short"])
@pytest.mark.parametrize("frozen", [True, False], ids=["recorded", "live"])
def test_rollup_equals_daily_path_and_a_direct_count(punjab, admin, make_periods, frozen):
    today = timezone.localdate()
    periods = make_periods(today)
    snapshot_take(week=dt.date(2026, 1, 5), today=today)  # a frozen week inside the periods
    for level, code in (("province", "PJ"), ("region", "RWP"), ("country", "PK")):
        area = area_get_for_user(admin, level=level, code=code)
        assert area.by_district
        rolled = compstat_report(area, periods, frozen=frozen)
        daily = compstat_report(area, periods, frozen=frozen, rollup=False)
        assert _figures(rolled) == _figures(daily)
        firs = next(r for r in rolled["summary"] if r["measure"] == "firs")["figures"]
        stations = PoliceStation.objects.filter(pk__in=area.station_ids)
        for p in periods:
            assert firs[p.key].current == _direct(p.start, p.end, station__in=stations)
            assert firs[p.key].base == _direct(p.base_start, p.base_end, station__in=stations)
        last = periods[-1]
        for u in rolled["units"]:
            assert u["firs"].current == _direct(last.start, last.end, station__district__code=u["code"])
    assert MonthlyAggregate.objects.filter(district__code="RWD", recorded=frozen).exists()


def test_week_across_the_year_counts_monday_to_sunday_pakistan_time(punjab, admin):
    area = area_get_for_user(admin, level="province", code="PJ")
    week = compstat_periods(dt.date(2026, 1, 4), week=dt.date(2025, 12, 29))[0]
    assert (week.start, week.end) == (dt.date(2025, 12, 29), dt.date(2026, 1, 4))
    firs = next(r for r in compstat_report(area, [week])["summary"] if r["measure"] == "firs")
    in_week = [m for m in EDGES if week.start <= m.date() <= week.end]
    assert len(in_week) == 4  # Monday 00:30 to Sunday 23:30; the Sunday before and the Monday after are out
    cancelled = Fir.objects.filter(status=FirStatus.CANCELLED, registered_at__date__range=(week.start, week.end))
    assert firs["figures"]["week"].current == len(in_week) + _others(week) - cancelled.count()


def _others(week) -> int:  # noqa: ANN001
    """The fixture's noon FIRs in ``week`` (every fourth day back from today)."""
    return Fir.objects.filter(registered_at__date__range=(week.start, week.end), registered_at__hour=12).count()


def test_report_reads_the_rollup_for_whole_months(punjab, admin):
    """Doctored roll-up rows show through a province report and not through the daily path."""
    area = area_get_for_user(admin, level="province", code="PJ")
    periods = custom_period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    before = _figures(compstat_report(area, periods))[("summary", "firs", "custom")][0]
    doctored = MonthlyAggregate.objects.filter(
        month=dt.date(2026, 2, 1), recorded=True, district__in=punjab["districts"]
    ).update(firs=F("firs") + 100)
    after = _figures(compstat_report(area, periods))[("summary", "firs", "custom")][0]
    daily = _figures(compstat_report(area, periods, rollup=False))[("summary", "firs", "custom")][0]
    assert doctored > 0 and after == before + 100 * doctored and daily == before


def test_resectioned_fir_updates_rollup_and_daily_path_at_the_next_refresh(punjab, admin):
    today = timezone.localdate()
    january = Fir.objects.filter(registered_at__date__range=(dt.date(2026, 1, 6), dt.date(2026, 1, 31)))
    fir = january.filter(status=FirStatus.REGISTERED).exclude(sections__number="302").first()
    snapshot_take(week=fir.registered_at.date(), today=today)
    area = area_get_for_user(admin, level="province", code="PJ")
    periods = custom_period(dt.date(2025, 12, 20), dt.date(2026, 3, 10))  # January whole, from the roll-up

    def murders(frozen: bool, rollup: bool) -> int:
        report = compstat_report(area, periods, frozen=frozen, rollup=rollup)
        return _figures(report)[("head", "murder", "custom")][0]

    live, recorded = murders(False, True), murders(True, True)
    fir.sections.add(Section.objects.get(law="PPC", number="302"))  # the victim died: murder is now the head
    aggregates_refresh_changed(today=today)
    assert murders(False, True) == murders(False, False) == live + 1
    # The week was frozen before: "as recorded" keeps the figure it gave then, on both paths.
    assert murders(True, True) == murders(True, False) == recorded
    assert live + 1 == _direct(dt.date(2025, 12, 20), dt.date(2026, 3, 10), sections__number="302")


def test_week_start_is_monday_on_both_sides_of_a_month_edge():
    assert week_start(dt.date(2026, 3, 1)) == dt.date(2026, 2, 23)
    assert week_start(dt.date(2026, 2, 1)) == dt.date(2026, 1, 26)


def test_rollup_command_rebuilds_after_a_station_moves_district(punjab, admin):
    from django.core.management import call_command

    station = punjab["stations"][1]
    station.district = punjab["districts"][1]
    station.save(update_fields=["district"])
    area = area_get_for_user(admin, level="province", code="PJ")
    periods = custom_period(dt.date(2025, 12, 15), dt.date(2026, 3, 14))
    assert _figures(compstat_report(area, periods)) != _figures(compstat_report(area, periods, rollup=False))
    call_command("analytics_refresh", "--rollup", stdout=io.StringIO())
    assert _figures(compstat_report(area, periods)) == _figures(compstat_report(area, periods, rollup=False))
