"""Writes of the analytics app: recompute daily aggregates, freeze finished weeks, roll days up into months.

Every function here is idempotent: recomputing a day deletes its rows and counts them again from the
FIR, complaint and alert tables (one INSERT ... SELECT per run of days, never a Python loop over FIRs);
freezing a week that is already frozen changes nothing; the monthly roll-up of the months touched is
summed again from the daily rows in the same transaction, so it never disagrees with them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from analytics.models import MEASURES, RefreshState, SnapshotRow, SnapshotWeek, counts_source
from analytics.periods import months_of, next_month, week_end, week_start

# The crime head of one FIR: the most serious head among its sections (a section without a head counts
# as the head coded "other").
_TOP_HEAD = """
LEFT JOIN LATERAL (
    SELECT COALESCE(s.head_id, (SELECT id FROM fir_crimehead WHERE code = 'other')) AS head_id
    FROM fir_fir_sections fs JOIN fir_section s ON s.id = fs.section_id
    LEFT JOIN fir_crimehead h ON h.id = COALESCE(s.head_id, (SELECT id FROM fir_crimehead WHERE code = 'other'))
    WHERE fs.fir_id = f.id ORDER BY h.rank NULLS LAST LIMIT 1
) top ON true
"""


def _day(column: str) -> str:
    return f"(({column}) AT TIME ZONE %(tz)s)::date"


def _event(select: str, measures: dict[str, str], rest: str) -> str:
    cols = ", ".join(f"{measures.get(m, '0')} AS {m}" for m in MEASURES)
    return f"SELECT {select}, {cols} {rest}"


_IN = "{col} >= %(lo)s AND {col} < %(hi)s"

EVENTS = [
    # FIRs registered, not (now) cancelled, under their most serious head.
    _event(
        f"{_day('f.registered_at')} AS day, f.station_id, top.head_id",
        {"firs": "1"},
        f"FROM fir_fir f {_TOP_HEAD} WHERE {_IN.format(col='f.registered_at')} AND f.status <> 'cancelled'",
    ),
    # The detailed view: the same FIRs under each head their sections belong to.
    _event(
        f"{_day('f.registered_at')} AS day, f.station_id, hh.head_id",
        {"firs_any": "1"},
        "FROM fir_fir f JOIN (SELECT DISTINCT fs.fir_id, "  # noqa: S608
        "COALESCE(s.head_id, (SELECT id FROM fir_crimehead WHERE code = 'other')) AS head_id "
        "FROM fir_fir_sections fs JOIN fir_section s ON s.id = fs.section_id) hh ON hh.fir_id = f.id "
        f"WHERE {_IN.format(col='f.registered_at')} AND f.status <> 'cancelled'",
    ),
    # Status changes: first challan (traced), every challan, cancellation, conviction.
    _event(
        f"{_day('c.changed_at')} AS day, f.station_id, top.head_id",
        {
            "traced": "CASE WHEN c.to_status = 'challan_submitted' AND c.from_status <> 'challan_submitted' "
            "THEN 1 ELSE 0 END",
            "challans": "CASE WHEN c.to_status = 'challan_submitted' THEN 1 ELSE 0 END",
            "cancelled": "CASE WHEN c.to_status = 'cancelled' THEN 1 ELSE 0 END",
            "convictions": "CASE WHEN c.to_status = 'convicted' THEN 1 ELSE 0 END",
        },
        f"FROM fir_statuschange c JOIN fir_fir f ON f.id = c.fir_id {_TOP_HEAD} WHERE {_IN.format(col='c.changed_at')}",
    ),
    _event(
        f"{_day('a.arrested_at')} AS day, f.station_id, top.head_id",
        {"arrests": "1"},
        f"FROM fir_arrest a JOIN fir_fir f ON f.id = a.fir_id {_TOP_HEAD} WHERE {_IN.format(col='a.arrested_at')}",
    ),
    # Complaints count at the station handling them (the named station when the district handles them).
    _event(
        f"{_day('c.created_at')} AS day, COALESCE(c.handling_station_id, c.station_id), NULL::bigint",
        {"complaints": "1"},
        f"FROM complaints_complaint c WHERE {_IN.format(col='c.created_at')}",
    ),
    _event(
        f"{_day('c.decided_at')} AS day, COALESCE(c.handling_station_id, c.station_id), NULL::bigint",
        {
            "complaints_decided": "1",
            "complaints_on_time": "CASE WHEN c.decided_at <= c.reply_due_at THEN 1 ELSE 0 END",
        },
        f"FROM complaints_complaint c WHERE {_IN.format(col='c.decided_at')}",
    ),
    _event(
        f"{_day('a.created_at')} AS day, a.station_id, NULL::bigint",
        {"alerts": "1"},
        f"FROM alerts_alert a WHERE {_IN.format(col='a.created_at')}",
    ),
    _event(
        f"{_day('a.closed_at')} AS day, a.station_id, NULL::bigint",
        {"alerts_arrest": "1"},
        f"FROM alerts_alert a WHERE {_IN.format(col='a.closed_at')} AND a.outcome = 'arrested'",
    ),
]

_COLS = ", ".join(MEASURES)
_SUMS = ", ".join(f"SUM({m})" for m in MEASURES)
REFRESH_SQL = (
    f"INSERT INTO analytics_dailyaggregate (day, station_id, head_id, {_COLS}) "  # noqa: S608
    f"SELECT day, station_id, head_id, {_SUMS} FROM ("
    + " UNION ALL ".join(EVENTS)
    + ") e(day, station_id, head_id, "
    + _COLS
    + ") GROUP BY day, station_id, head_id"
)


def _bounds(start: dt.date, end: dt.date) -> dict[str, object]:
    tz = timezone.get_default_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return {"lo": lo, "hi": hi, "tz": settings.TIME_ZONE}


# The roll-up of the days matching {where}: per month, district and head, for one reading (%(frozen)s).
ROLLUP_SQL = (
    "INSERT INTO analytics_monthlyaggregate (month, district_id, head_id, recorded, "  # noqa: S608
    f"{_COLS}) SELECT date_trunc('month', x.day)::date, p.district_id, x.head_id, %(frozen)s, {_SUMS} "
    "FROM ({source}) x JOIN stations_policestation p ON p.id = x.station_id GROUP BY 1, 2, 3"
)


@transaction.atomic
def rollup_refresh(*, months: Iterable[dt.date] | None = None) -> int:
    """Sum the monthly roll-up of ``months`` (first days; None: every month) again; return rows written.

    Each month is summed twice from the daily tables: as recorded (frozen weeks from their snapshot) and
    live. A week that straddles two months lies in both, each month taking its own days.
    """
    written = 0
    with connection.cursor() as cursor:
        if months is None:
            cursor.execute("DELETE FROM analytics_monthlyaggregate")
            runs = [(None, None)]
        else:
            months = sorted(set(months))
            cursor.execute("DELETE FROM analytics_monthlyaggregate WHERE month = ANY(%s)", [months])
            runs = [(a, next_month(b) - dt.timedelta(days=1)) for a, b in _runs(months, step=None)]
        for lo, hi in runs:
            where = "true" if lo is None else "day BETWEEN %(lo)s AND %(hi)s"
            for frozen in (True, False):
                cursor.execute(ROLLUP_SQL.format(source=counts_source(where)), {"frozen": frozen, "lo": lo, "hi": hi})
                written += cursor.rowcount
    return written


@transaction.atomic
def aggregates_refresh(*, start: dt.date, end: dt.date, rollup: bool = True) -> int:
    """Recompute the daily aggregates of ``start``..``end`` (inclusive) for every station; return rows written.

    With ``rollup`` (the default) the months of those days are rolled up again too; a caller refreshing
    many runs of days passes False and rolls up the months once at the end.
    """
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM analytics_dailyaggregate WHERE day BETWEEN %s AND %s", [start, end])
        cursor.execute(REFRESH_SQL, _bounds(start, end))
        written = cursor.rowcount
    if rollup:
        rollup_refresh(months=months_of(start, end))
    state, _created = RefreshState.objects.get_or_create(pk=1)
    state.refreshed_at = timezone.now()
    state.save(update_fields=["refreshed_at"])
    return written


def _runs(
    days: Iterable[dt.date], *, step: dt.timedelta | None = dt.timedelta(days=1)
) -> list[tuple[dt.date, dt.date]]:
    """Group ``days`` into runs of consecutive days (``step`` None: consecutive months' first days)."""
    runs: list[list[dt.date]] = []
    for day in sorted(set(days)):
        follows = runs and (day == next_month(runs[-1][1]) if step is None else day - runs[-1][1] == step)
        if follows:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(a, b) for a, b in runs]


@transaction.atomic
def aggregates_refresh_changed(*, recent_days: int | None = None, today: dt.date | None = None) -> list[str]:
    """Recompute the last ``recent_days`` days plus the days of FIRs re-sectioned or moved since the last run.

    An FIR registered long ago that is cancelled, or charged with a further section, changes the count
    of its day of registration: those days are found from the rows added to the FIR's sections and status
    changes since the last run (their ids only grow), so an old day is recomputed without a full rebuild.
    """
    recent = recent_days if recent_days is not None else settings.ANALYTICS_REFRESH_DAYS
    today = today or timezone.localdate()
    state, _created = RefreshState.objects.select_for_update().get_or_create(pk=1)
    days = {today - dt.timedelta(days=n) for n in range(recent)}
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM fir_fir_sections")
        last_section = cursor.fetchone()[0]
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM fir_statuschange")
        last_change = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT DISTINCT {_day('f.registered_at')} FROM fir_fir f WHERE f.id IN ("  # noqa: S608
            "SELECT fir_id FROM fir_fir_sections WHERE id > %(s0)s AND id <= %(s1)s "
            "UNION SELECT fir_id FROM fir_statuschange WHERE id > %(c0)s AND id <= %(c1)s)",
            {
                "tz": settings.TIME_ZONE,
                "s0": state.last_section_row,
                "s1": last_section,
                "c0": state.last_status_change,
                "c1": last_change,
            },
        )
        days |= {row[0] for row in cursor.fetchall()}
    done, months = [], set()
    for start, end in _runs(d for d in days if d <= today):
        aggregates_refresh(start=start, end=end, rollup=False)
        months |= months_of(start, end)
        done.append(f"{start}..{end}")
    rollup_refresh(months=months)
    state.last_section_row, state.last_status_change = last_section, last_change
    state.refreshed_at = timezone.now()
    state.save()
    return done


@transaction.atomic
def snapshot_take(*, week: dt.date, today: dt.date | None = None) -> SnapshotWeek | None:
    """Freeze the week of ``week`` (refreshed first); None when it has not ended. A frozen week stays as it is."""
    today = today or timezone.localdate()
    start, end = week_start(week), week_end(week)
    if end >= today:
        return None
    existing = SnapshotWeek.objects.filter(week_start=start).first()
    if existing is not None:
        return existing
    aggregates_refresh(start=start, end=end, rollup=False)
    snapshot = SnapshotWeek.objects.create(week_start=start, taken_at=timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {SnapshotRow._meta.db_table} (week_id, day, station_id, head_id, {_COLS}) "  # noqa: S608
            f"SELECT %s, day, station_id, head_id, {_COLS} FROM analytics_dailyaggregate "
            "WHERE day BETWEEN %s AND %s",
            [snapshot.pk, start, end],
        )
    rollup_refresh(months=months_of(start, end))
    return snapshot


def snapshots_catch_up(*, weeks: int = 8, today: dt.date | None = None) -> list[dt.date]:
    """Freeze each of the last ``weeks`` finished weeks not yet frozen; return their Mondays."""
    today = today or timezone.localdate()
    last = week_start(today) - dt.timedelta(days=7)
    frozen = []
    for n in range(weeks):
        monday = last - dt.timedelta(days=7 * n)
        if not SnapshotWeek.objects.filter(week_start=monday).exists():
            snapshot_take(week=monday, today=today)
            frozen.append(monday)
    return frozen
