"""CompStat at scale: the district report (daily aggregates) and the province report (monthly roll-up for
whole months, daily aggregates for the edges; also timed on the daily aggregates alone), against the naive
GROUP BY over the FIR table in the same run.

Sizes: ``small`` 100,000 FIRs over 5 years at 150 stations; ``national`` 10 million FIRs over 5 years at
1,500 stations (``BENCH_ANALYTICS_FIRS`` overrides the number of FIRs of either scale). FIRs, their
sections and a third of them with a challan are generated inside PostgreSQL (generate_series); then the
daily aggregates of the 5 years are computed once (timed), their monthly roll-up (timed), and the last 35
days again with their months (the beat task's incremental refresh, timed).
"""

from __future__ import annotations

import datetime as dt
import os

from django.db import connection
from django.utils import timezone

from bench.db import ensure_bench_database, p50, p95, timings_ms

SIZES = {"small": (100_000, 150), "national": (10_000_000, 1_500)}  # FIRs, stations
PROVINCES = 4
STATIONS_PER_DISTRICT = 10
REPEAT = {"small": 30, "national": 20}
YEARS = 5


def _setup(n_firs: int, n_stations: int) -> dict:
    from fir.catalogue import crime_heads_seed, sections_seed
    from fir.models import CrimeHead, Fir, Section
    from stations.models import District, PoliceStation, Province

    sections_seed(Section)
    crime_heads_seed(CrimeHead, Section)
    provinces = [
        Province.objects.get_or_create(code=f"BA{p}", defaults={"name": f"Bench province {p}"})[0]
        for p in range(PROVINCES)
    ]
    n_districts = n_stations // STATIONS_PER_DISTRICT
    District.objects.bulk_create(
        [
            District(province=provinces[d % PROVINCES], code=f"BAD{d:04d}", name=f"Bench district {d}")
            for d in range(n_districts)
        ],
        ignore_conflicts=True,
    )
    districts = {d.code: d for d in District.objects.filter(code__startswith="BAD")}
    PoliceStation.objects.bulk_create(
        [
            PoliceStation(
                district=districts[f"BAD{i // STATIONS_PER_DISTRICT:04d}"], code=f"BA-{i:05d}", name=f"Bench {i}"
            )
            for i in range(n_stations)
        ],
        ignore_conflicts=True,
    )
    ids = list(PoliceStation.objects.filter(code__startswith="BA-").order_by("code").values_list("pk", flat=True))
    if Fir.objects.filter(station_id__in=ids).count() != n_firs:
        _generate(n_firs, ids)
    with connection.cursor() as cur:
        for table in (
            "fir_fir",
            "fir_fir_sections",
            "fir_statuschange",
            "analytics_dailyaggregate",
            "analytics_monthlyaggregate",
        ):
            cur.execute(f"ANALYZE {table}")
    return {"district": "BAD0000", "province": "BA0", "ids": ids}


def _generate(n_firs: int, station_ids: list[int]) -> None:
    """Fill the FIR tables with generate_series (TRUNCATE: the tables refuse DELETE), then the aggregates."""
    from casp.models import User
    from fir.models import Section

    user, _ = User.objects.get_or_create(username="bench-analytics")
    sections = list(Section.objects.values_list("pk", flat=True))
    s, k = len(station_ids), len(sections)
    span = YEARS * 365 * 24 * 3600
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE fir_fir, fir_fir_sections, fir_accused, fir_arrest, fir_statuschange, fir_casenote, "
            "analytics_dailyaggregate, analytics_monthlyaggregate, analytics_snapshotrow, analytics_snapshotweek "
            "CASCADE"
        )
        cur.execute(
            f"""
            INSERT INTO fir_fir (station_id, year, number, reported_at, occurred_from, place, direction,
                complainant_name, complainant_father_name, complainant_address, complainant_phone,
                facts, weapons, property_involved, delay_reason, action_taken, writing_officer_id,
                writing_officer_name, registered_at, submission_key, status, challan_kind, status_changed_at)
            SELECT (%(stations)s)[1 + g %% {s}], EXTRACT(YEAR FROM t)::int, g + 1, t, t - interval '2 hours',
                'x', '', 'x', '', '', '', 'x', '', '', '', '', %(user)s, 'Bench', t, md5(g::text)::uuid,
                CASE WHEN g %% 3 = 0 AND t < now() - interval '20 days' THEN 'challan_submitted'
                     ELSE 'under_investigation' END,
                CASE WHEN g %% 3 = 0 AND t < now() - interval '20 days' THEN 'complete' ELSE '' END, t
            FROM (SELECT g, now() - ((g::bigint * {span} / {n_firs}) * interval '1 second') - interval '1 hour' AS t
                  FROM generate_series(0, {n_firs - 1}) AS g) x
            """,
            {"stations": station_ids, "user": user.pk},
        )
        # number: the generator's serial, unique per station and year without a counter.
        cur.execute(
            "INSERT INTO fir_fir_sections (fir_id, section_id) "
            "SELECT id, (%(sections)s)[1 + (hashtext(id::text) & 2147483647) %% %(k)s] FROM fir_fir",
            {"sections": sections, "k": k},
        )
        cur.execute(
            "INSERT INTO fir_statuschange (fir_id, from_status, to_status, challan_kind, reason, order_reference, "
            "changed_at, changed_by_id) SELECT id, 'under_investigation', 'challan_submitted', 'complete', '', '', "
            "registered_at + interval '20 days', %(user)s FROM fir_fir WHERE status = 'challan_submitted'",
            {"user": user.pk},
        )


def _naive(ids: list[int], periods) -> list:  # noqa: ANN001
    """The same per-head FIR counts straight from the FIR table (GROUP BY per request)."""
    tz = timezone.get_default_timezone()
    filters = []
    for p in periods:
        for a, b in ((p.start, p.end), (p.base_start, p.base_end)):
            filters.append(
                f"COUNT(*) FILTER (WHERE f.registered_at >= '{dt.datetime.combine(a, dt.time.min, tzinfo=tz)}' "
                f"AND f.registered_at < '{dt.datetime.combine(b + dt.timedelta(days=1), dt.time.min, tzinfo=tz)}')"
            )
    lo = dt.datetime.combine(min(p.base_start for p in periods), dt.time.min, tzinfo=tz)
    from analytics.services import _TOP_HEAD

    sql = (
        f"SELECT top.head_id, {', '.join(filters)} FROM fir_fir f {_TOP_HEAD} "  # noqa: S608 - constants only
        "WHERE f.station_id = ANY(%(ids)s) AND f.registered_at >= %(lo)s AND f.status <> 'cancelled' "
        "GROUP BY top.head_id"
    )
    with connection.cursor() as cur:
        cur.execute(sql, {"ids": ids, "lo": lo})
        return cur.fetchall()


def _numbers(report: dict) -> list:
    """Every figure of a CompStat report, in a comparable form."""
    rows = [(r["measure"], k, f.current, f.base) for r in report["summary"] for k, f in r["figures"].items()]
    rows += [(r["head"].pk, k, f.current, f.base) for r in report["by_head"] for k, f in r["figures"].items()]
    return rows + [(u["code"], u["firs"].current, u["firs"].base, u["traced"]) for u in report["units"]]


def run(scale: str) -> list[tuple[str, float, str]]:
    import time

    from analytics.periods import compstat_periods
    from analytics.selectors import Area, _stations, _units, compstat_report
    from analytics.services import aggregates_refresh, aggregates_refresh_changed, rollup_refresh

    ensure_bench_database()
    n_firs, n_stations = SIZES[scale]
    n_firs = int(os.environ.get("BENCH_ANALYTICS_FIRS", n_firs))
    started = time.monotonic()
    setup = _setup(n_firs, n_stations)
    out = [("analytics.firs", n_firs, "FIRs"), ("analytics.stations", n_stations, "stations")]
    today = timezone.localdate()
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM analytics_dailyaggregate")
        empty = cur.fetchone()[0] == 0
    out.append(("analytics.setup", time.monotonic() - started, "s"))
    if empty:
        t0 = time.monotonic()
        aggregates_refresh(start=today - dt.timedelta(days=YEARS * 366), end=today, rollup=False)
        out.append(("analytics.full_refresh_5_years", time.monotonic() - t0, "s"))
        aggregates_refresh_changed(recent_days=35, today=today)  # moves the change watermark past the generation
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM analytics_monthlyaggregate")
        rolled = cur.fetchone()[0] > 0
    if empty or not rolled or os.environ.get("BENCH_ANALYTICS_ROLLUP_REBUILD"):
        t0 = time.monotonic()
        rollup_refresh()
        out.append(("analytics.rollup_rebuild_5_years", time.monotonic() - t0, "s"))
    t0 = time.monotonic()
    aggregates_refresh_changed(recent_days=35, today=today)
    out.append(("analytics.incremental_refresh_35_days", time.monotonic() - t0, "s"))
    with connection.cursor() as cur:
        cur.execute("ANALYZE analytics_dailyaggregate")
        cur.execute("ANALYZE analytics_monthlyaggregate")
        cur.execute("SELECT count(*) FROM analytics_dailyaggregate")
        out.append(("analytics.aggregate_rows", cur.fetchone()[0], "rows"))
        cur.execute("SELECT count(*) FROM analytics_monthlyaggregate")
        out.append(("analytics.rollup_rows", cur.fetchone()[0], "rows"))
    periods = compstat_periods(today, week=today)
    for level, code in (("district", setup["district"]), ("province", setup["province"])):
        name, stations = _stations(level, code)
        ids = [st.pk for st in stations]
        area = Area(level=level, code=code, name=name, station_ids=ids, units=_units(level, stations))
        repeat = REPEAT[scale] if level == "district" else max(5, REPEAT[scale] // 4)
        fast = timings_ms(lambda area=area: compstat_report(area, periods), repeat)
        naive = timings_ms(lambda ids=ids: _naive(ids, periods), max(3, repeat // 5))
        out += [
            (f"analytics.compstat_{level}_stations", len(ids), "stations"),
            (f"analytics.compstat_{level}_p50", p50(fast), "ms"),
            (f"analytics.compstat_{level}_p95", p95(fast), "ms"),
        ]
        if area.by_district:  # the same report from the daily aggregates alone, to show what the roll-up saves
            daily = timings_ms(lambda area=area: compstat_report(area, periods, rollup=False), repeat)
            if _numbers(compstat_report(area, periods)) != _numbers(compstat_report(area, periods, rollup=False)):
                raise AssertionError("the roll-up and the daily aggregates give different figures")
            out += [
                (f"analytics.compstat_{level}_daily_only_p50", p50(daily), "ms"),
                (f"analytics.compstat_{level}_daily_only_p95", p95(daily), "ms"),
                (f"analytics.compstat_{level}_rollup_speedup_p50", p50(daily) / max(p50(fast), 0.001), "x"),
            ]
        out += [
            (f"analytics.naive_group_by_{level}_p50", p50(naive), "ms"),
            (f"analytics.naive_group_by_{level}_p95", p95(naive), "ms"),
            (f"analytics.compstat_{level}_speedup_p50", p50(naive) / max(p50(fast), 0.001), "x"),
            (f"analytics.compstat_{level}_speedup_p95", p95(naive) / max(p95(fast), 0.001), "x"),
        ]
    return out
