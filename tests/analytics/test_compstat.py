"""CompStat: weeks, percent change, aggregates against a direct count, snapshots, jurisdiction, bad input, PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from analytics.periods import compstat_periods, percent_change, week_end, week_start, year_earlier
from analytics.selectors import area_get_for_user, compstat_report
from analytics.services import aggregates_refresh, snapshot_take
from casp.models import AuditEvent
from casp.roles import Role
from fir.models import Fir, FirStatus, Section
from tests.factories import posted_user


def test_weeks_run_monday_to_sunday_across_a_year_change():
    assert week_start(dt.date(2026, 1, 1)) == dt.date(2025, 12, 29)  # a Thursday; its Monday is in 2025
    assert week_end(dt.date(2025, 12, 29)) == dt.date(2026, 1, 4)
    assert week_start(dt.date(2026, 11, 29)) == dt.date(2026, 11, 23)  # Sunday belongs to the week before
    assert week_start(dt.date(2026, 11, 30)) == dt.date(2026, 11, 30)


def test_leap_day_compares_with_28_february():
    assert year_earlier(dt.date(2024, 2, 29)) == dt.date(2023, 2, 28)
    ytd = compstat_periods(dt.date(2024, 2, 29), week=dt.date(2024, 2, 29))[2]
    assert (ytd.base_start, ytd.base_end) == (dt.date(2023, 1, 1), dt.date(2023, 2, 28))
    week = compstat_periods(dt.date(2024, 3, 3), week=dt.date(2024, 3, 3))[0]
    assert week.start == dt.date(2024, 2, 26) and week.base_start.weekday() == 0  # Monday against Monday


def test_percent_change_with_zero_base_is_not_a_number():
    assert percent_change(5, 0) is None
    assert percent_change(0, 0) is None
    assert percent_change(15, 10) == 50.0
    assert percent_change(0, 4) == -100.0


def _fir(station, officer, when, *sections, status=FirStatus.REGISTERED):
    fir = Fir.objects.create(
        station=station, year=when.year, number=Fir.objects.filter(station=station).count() + 1,
        reported_at=when, occurred_from=when, place="x", complainant_name="Test", facts="x",
        writing_officer=officer, writing_officer_name="x", registered_at=when, status=status,
    )  # fmt: skip
    fir.sections.add(*[Section.objects.get(law=law, number=n) for law, n in sections])
    return fir


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_default_timezone())


@pytest.fixture
def seeded(catalogue, station_a, station_b, officer_a):
    today = timezone.localdate()
    monday = week_start(today) - dt.timedelta(days=14)
    mix = [[("PPC", "302"), ("PPC", "337")], [("PPC", "379")], [("PPC", "381-A")], [("AO", "13"), ("PPC", "392")]]
    for i in range(24):
        day = monday + dt.timedelta(days=i % 14)
        _fir(station_a if i % 3 else station_b, officer_a, _at(day), *mix[i % 4])
    _fir(station_a, officer_a, _at(monday), ("PPC", "392"), status=FirStatus.CANCELLED)
    aggregates_refresh(start=monday - dt.timedelta(days=400), end=today)
    return monday


def test_counts_equal_a_direct_count_on_the_fir_table(seeded, station_a, station_b, officer_a):
    admin = posted_user(Role.SYSTEM_ADMIN, username="adm")
    area = area_get_for_user(admin, level="country", code="PK")
    today = timezone.localdate()
    periods = compstat_periods(today, week=today)
    report = compstat_report(area, periods)
    ytd_start = today.replace(month=1, day=1)
    direct = Fir.objects.exclude(status=FirStatus.CANCELLED).filter(
        registered_at__date__gte=ytd_start, registered_at__date__lte=today
    )
    firs = next(r for r in report["summary"] if r["measure"] == "firs")
    assert firs["figures"]["ytd"].current == direct.count() == 24
    by_head = {r["head"].code: r["figures"]["ytd"].current for r in report["by_head"]}
    # Most serious head once: 302+337 counts as murder only, 13 AO + 392 as robbery.
    assert by_head["murder"] == 6 and by_head["hurt"] == 0 and by_head["robbery"] == 6 and by_head["arms"] == 0
    detailed = {r["head"].code: r["detailed"]["ytd"] for r in report["by_head"]}
    assert detailed["hurt"] == 6 and detailed["arms"] == 6
    per_station = dict(direct.values_list("station").annotate(n=Count("id")))
    units = {u["code"]: u["firs"].current for u in report["units"]}
    assert units[station_a.district.code] == per_station[station_a.pk]


def test_resectioned_fir_changes_live_figures_not_the_snapshot(seeded, station_a, officer_a):
    today = timezone.localdate()
    snapshot_take(week=seeded, today=today)
    fir = Fir.objects.filter(station=station_a, registered_at__date=seeded).exclude(status="cancelled").first()
    fir.sections.add(Section.objects.get(law="PPC", number="302"))  # a victim died: 302 added
    aggregates_refresh(start=seeded, end=today)
    area = area_get_for_user(officer_a, level="station", code=station_a.code)
    from analytics.periods import custom_period

    period = custom_period(seeded, seeded + dt.timedelta(days=6))
    frozen = {r["head"].code: r["figures"]["custom"].current for r in compstat_report(area, period)["by_head"]}
    live = {
        r["head"].code: r["figures"]["custom"].current for r in compstat_report(area, period, frozen=False)["by_head"]
    }
    assert live["murder"] == frozen["murder"] + 1


def test_dpo_sees_district_report_and_the_run_is_audited(client, seeded, station_a, district_a):
    dpo = posted_user(Role.DISTRICT_OFFICER, district=district_a, username="dpo")
    client.force_login(dpo)
    response = client.get(reverse("analytics:compstat", args=["district", district_a.code]))
    assert response.status_code == 200
    assert "compstat-heads" in response.content.decode()
    assert AuditEvent.objects.filter(actor=dpo, action="analytics.report_run").exists()
    assert client.get("/").url == reverse("analytics:compstat", args=["district", district_a.code])


def test_area_outside_jurisdiction_is_404(client, seeded, officer_a, station_b, district_a, district_b):
    sho = posted_user(Role.SHO, station=officer_a.postings.first().station, username="sho_a")
    client.force_login(sho)
    assert client.get(reverse("analytics:compstat", args=["station", station_b.code])).status_code == 404
    # An SHO sees the station, never the district (even one holding only their station).
    assert client.get(reverse("analytics:compstat", args=["district", district_a.code])).status_code == 404
    assert client.get(reverse("analytics:compstat", args=["province", "ICT"])).status_code == 404
    assert client.get(reverse("analytics:compstat", args=["planet", "X"])).status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-05-01", "end": "2026-04-01"}, "ends before it starts"),
        ({"week": "2099-01-05"}, "has not begun yet"),
        ({"start": "2026-05-01"}, "both the start and the end"),
        ({"week": "not-a-date"}, "valid date"),
    ],
)
def test_bad_period_gets_a_clear_message(client, seeded, district_a, query, message):
    client.force_login(posted_user(Role.DISTRICT_OFFICER, district=district_a, username="dpo2"))
    response = client.get(reverse("analytics:compstat", args=["district", district_a.code]), query)
    assert response.status_code == 400
    assert message in response.content.decode()
    csv_response = client.get(reverse("analytics:compstat_csv", args=["district", district_a.code]), query)
    assert csv_response.status_code == 400


def test_csv_holds_the_figures(client, seeded, district_a):
    client.force_login(posted_user(Role.DISTRICT_OFFICER, district=district_a, username="dpo3"))
    response = client.get(reverse("analytics:compstat_csv", args=["district", district_a.code]))
    text = response.content.decode()
    assert text.startswith("area,as_of,computed_at,period")
    assert ",ytd," in text and "n/a" in text


def test_urdu_pdf_renders_digits_and_labels(client, seeded, district_a):
    from pypdf import PdfReader

    client.force_login(posted_user(Role.DISTRICT_OFFICER, district=district_a, username="dpo4"))
    response = client.get(reverse("analytics:compstat_pdf", args=["district", district_a.code, "ur"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    today = timezone.localdate()
    assert today.strftime("%d-%m-%Y") in text  # the date, in left-to-right digits
    assert district_a.name in text  # a Latin name inside the Urdu heading
    assert "%" in text and "ضلع" in text  # percentages; the level's label ("District") in Urdu
    assert sum("\u0600" <= c <= "\u06ff" for c in text) > 200  # the labels are Urdu (Nastaliq, extracted)
