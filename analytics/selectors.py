"""Reads of the analytics app: areas in the user's jurisdiction and the CompStat figures of one area.

Figures come from the daily aggregates, the frozen weekly snapshots and their monthly roll-up only
(analytics.models), never from the FIR table: a region, province or country reads its whole months from
the roll-up per district and only the partial months at the edges of its periods day by day.

An area (station, sub-division, district, region, province, country) is visible when
every one of its stations is in the user's jurisdiction; above a station it takes a district posting (or
the system administrator).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from analytics.models import MEASURES, RefreshState, counts_source
from analytics.periods import Period, month_start, next_month, percent_change
from casp.models import User
from casp.roles import Role
from fir.models import CrimeHead
from stations.models import District, PoliceStation, Province, Region, SubDivision
from stations.selectors import stations_for_user

LEVELS = {
    "station": _("Police station"),
    "subdivision": _("Sub-division"),
    "district": _("District"),
    "region": _("Region"),
    "province": _("Province"),
    "country": _("Pakistan"),
}


@dataclass
class Area:
    level: str
    code: str
    name: str
    station_ids: list[int]
    # The units one level down that the report breaks the area into: (level, code, name, station ids,
    # district id of a district unit, else None).
    units: list[tuple[str, str, str, list[int], int | None]] = field(default_factory=list)
    district_id: int | None = None

    @property
    def level_label(self) -> str:
        return str(LEVELS[self.level])

    @property
    def by_district(self) -> bool:
        """Whether the area is made of whole districts (its units are districts): the roll-up can serve it."""
        return bool(self.units) and all(u[4] is not None for u in self.units)


def _stations(level: str, code: str) -> tuple[str, list[PoliceStation]] | None:
    qs = PoliceStation.objects.select_related("district", "subdivision").order_by("name")
    model = {"subdivision": SubDivision, "district": District, "region": Region, "province": Province}.get(level)
    if level == "station":
        station = qs.filter(code=code).first()
        return (station.display_name, [station]) if station else None
    if level == "country":
        return (str(LEVELS["country"]), list(qs)) if code == "PK" else None
    if model is None:
        return None
    unit = model.objects.filter(code=code).first()
    if unit is None:
        return None
    lookup = {
        "subdivision": {"subdivision": unit},
        "district": {"district": unit},
        "region": {"district__region": unit},
        "province": {"district__province": unit},
    }[level]
    return getattr(unit, "display_name", unit.name), list(qs.filter(**lookup))


def _units(level: str, stations: list[PoliceStation]) -> list[tuple[str, str, str, list[int], int | None]]:
    """Break the stations of an area one level down: districts for a province or region, else stations."""
    if level in ("province", "region", "country"):
        groups: dict[int, list[PoliceStation]] = defaultdict(list)
        for s in stations:
            groups[s.district_id].append(s)
        return [
            ("district", g[0].district.code, g[0].district.display_name, [s.pk for s in g], g[0].district_id)
            for g in sorted(groups.values(), key=lambda g: g[0].district.name)
        ]
    return [("station", s.code, s.display_name, [s.pk], None) for s in stations]


def area_get_for_user(user: User, *, level: str, code: str) -> Area:
    """Return the area ``level``/``code`` if every station of it is in ``user``'s jurisdiction, else Http404."""
    found = _stations(level, code) if level in LEVELS else None
    if found is None or not found[1]:
        raise Http404("No such area.")
    name, stations = found
    roles = None if level == "station" else [Role.DISTRICT_OFFICER]
    visible = set(stations_for_user(user, roles=roles).values_list("pk", flat=True))
    ids = [s.pk for s in stations]
    if not set(ids) <= visible:
        raise Http404("No such area.")
    district_ids = {s.district_id for s in stations}
    return Area(
        level=level,
        code=code,
        name=name,
        station_ids=ids,
        units=_units(level, stations),
        district_id=district_ids.pop() if len(district_ids) == 1 else None,
    )


def area_default_for_user(user: User) -> tuple[str, str] | None:
    """Return the (level, code) a user's reports open on: the country, their district, or their station."""
    stations = list(stations_for_user(user, roles=[Role.DISTRICT_OFFICER]).select_related("district")[:2000])
    if user.is_superuser or Role.SYSTEM_ADMIN in {g.name for g in user.groups.all()}:
        return ("country", "PK")
    districts = {s.district.code for s in stations}
    if districts:
        return ("district", sorted(districts)[0])
    own = stations_for_user(user, roles=[Role.SHO]).order_by("code").first()
    return ("station", own.code) if own else None


def freshness() -> dt.datetime | None:
    """Return when the daily aggregates were last refreshed (None: never)."""
    state = RefreshState.objects.filter(pk=1).first()
    return state.refreshed_at if state else None


_SOURCE = counts_source("station_id = ANY(%(ids)s) AND day BETWEEN %(lo)s AND %(hi)s")
# The roll-up path: whole months per district, and the edge days (partial months) per station's district.
_ROLLUP_SOURCE = (
    f"SELECT district_id AS unit, head_id, month AS day, {', '.join(MEASURES)} FROM analytics_monthlyaggregate "  # noqa: S608
    "WHERE district_id = ANY(%(districts)s) AND recorded = %(frozen)s AND month = ANY(%(months)s::date[]) "
    f"UNION ALL SELECT p.district_id, x.head_id, x.day, {', '.join(f'x.{m}' for m in MEASURES)} FROM ("
    + counts_source("station_id = ANY(%(ids)s) AND day BETWEEN %(lo)s AND %(hi)s AND day = ANY(%(days)s::date[])")
    + ") x JOIN stations_policestation p ON p.id = x.station_id"
)


@dataclass
class Totals:
    """The counts of one period: overall, per crime head and per unit (station, or district on the roll-up)."""

    all: dict[str, int]
    head: dict[int | None, dict[str, int]]
    unit: dict[int, dict[str, int]]

    @classmethod
    def empty(cls) -> Totals:
        return cls(dict.fromkeys(MEASURES, 0), {}, {})

    def units_sum(self, ids: list[int], measure: str) -> int:
        return sum(self.unit[i][measure] for i in ids if i in self.unit)

    def head_value(self, head_id: int, measure: str) -> int:
        return self.head[head_id][measure] if head_id in self.head else 0


def _add(target: dict, key: object, values: list) -> None:
    row = target.setdefault(key, dict.fromkeys(MEASURES, 0))
    for m, v in zip(MEASURES, values, strict=True):
        row[m] += int(v or 0)


def _whole_months(segments: list[tuple[dt.date, dt.date]]) -> tuple[list[dt.date], list[dt.date]]:
    """Split the days of ``segments`` ([start, end) each) into the months wholly inside one, and the rest."""
    months, days = [], []
    for lo, hi in segments:
        day = lo
        while day < hi:
            month = month_start(day)
            if month == day and next_month(month) <= hi:
                months.append(month)
                day = next_month(month)
            else:
                days.append(day)
                day += dt.timedelta(days=1)
    return months, days


def counts_by_period(
    station_ids: list[int], periods: list[Period], *, frozen: bool = True, district_ids: list[int] | None = None
) -> dict[tuple, Totals]:
    """Return {(period key, is_base): Totals} for the stations ``station_ids``, in one query.

    The periods overlap (the week lies in the 28 days, which lie in the year): the days are cut into the
    disjoint segments their boundaries make, and PostgreSQL sums each measure once per segment, per head
    and per station (two grouping sets, so a province returns a few thousand rows); each period adds up
    its segments here. With ``frozen``, days of frozen weeks are read from their snapshot, the other days
    live. With ``district_ids`` (the stations are exactly those districts' stations) the months lying
    wholly inside a segment come from the monthly roll-up and the other days from the daily rows, and the
    units are the districts: the same sums from far fewer rows.
    """
    spans = [
        (p.key, is_base, a, b)
        for p in periods
        for is_base, (a, b) in ((False, (p.start, p.end)), (True, (p.base_start, p.base_end)))
    ]
    cuts = sorted({a for _k, _b, a, _z in spans} | {b + dt.timedelta(days=1) for _k, _b, _a, b in spans})
    segment = "CASE " + " ".join(f"WHEN day < '{c.isoformat()}' THEN {i}" for i, c in enumerate(cuts[1:])) + " END"
    in_any = " OR ".join(f"day BETWEEN '{a.isoformat()}' AND '{b.isoformat()}'" for _k, _x, a, b in spans)
    keys_of_segment: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    for k, b, a, z in spans:
        for i, c in enumerate(cuts[:-1]):
            if c >= a and cuts[i + 1] <= z + dt.timedelta(days=1):
                keys_of_segment[i].append((k, b))
    params = {"ids": station_ids, "lo": cuts[0], "hi": cuts[-1], "frozen": frozen}
    if district_ids is None:
        source, unit = _SOURCE, "station_id"
    else:
        months, days = _whole_months([(cuts[i], cuts[i + 1]) for i in sorted(keys_of_segment)])
        source, unit = _ROLLUP_SOURCE, "unit"
        params.update(districts=district_ids, months=months, days=days)
    sql = (
        f"SELECT GROUPING({unit}), {unit}, head_id, {segment} AS seg, "  # noqa: S608 - constants only
        f"{', '.join(f'SUM({m})' for m in MEASURES)} "
        f"FROM ({source}) x WHERE {in_any} "
        f"GROUP BY GROUPING SETS ((head_id, seg), ({unit}, seg))"
    )
    result = {(k, b): Totals.empty() for k, b, _a, _z in spans}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for by_head, unit_id, head_id, seg, *values in rows:
        for key in keys_of_segment.get(seg, ()):
            totals = result[key]
            if by_head:
                _add(totals.head, head_id, values)
                for m, v in zip(MEASURES, values, strict=True):
                    totals.all[m] += int(v or 0)
            else:
                _add(totals.unit, unit_id, values)
    return result


@dataclass
class Figure:
    current: int
    base: int

    @property
    def change(self) -> int:
        return self.current - self.base

    @property
    def percent(self) -> float | None:
        return percent_change(self.current, self.base)


def _ratio(num: int, den: int) -> float | None:
    return None if den == 0 else round(100.0 * num / den, 1)


# The rows of the summary table: (measure, label).
SUMMARY = [
    ("firs", _("FIRs registered")),
    ("traced", _("Cases traced")),
    ("cancelled", _("FIRs cancelled")),
    ("arrests", _("Arrests")),
    ("challans", _("Challans submitted")),
    ("convictions", _("Convictions")),
    ("complaints", _("Complaints received")),
    ("complaints_on_time", _("Complaints resolved on time")),
    ("alerts", _("Alerts raised (hotels, registrations, vehicle checks)")),
    ("alerts_arrest", _("Alerts closed with an arrest")),
]


def compstat_report(area: Area, periods: list[Period], *, frozen: bool = True, rollup: bool = True) -> dict:
    """Return the CompStat figures of ``area``: per crime head, the summary, and per unit one level down.

    An area of whole districts reads the monthly roll-up for its whole months unless ``rollup`` is False
    (the daily rows only: the same figures, slower; kept for tests and the benchmark).
    """
    use_rollup = rollup and area.by_district
    district_ids = [u[4] for u in area.units] if use_rollup else None
    t = counts_by_period(area.station_ids, periods, frozen=frozen, district_ids=district_ids)
    heads = list(CrimeHead.objects.order_by("rank"))
    by_head = [
        {
            "head": head,
            "figures": {
                p.key: Figure(
                    t[(p.key, False)].head_value(head.pk, "firs"), t[(p.key, True)].head_value(head.pk, "firs")
                )
                for p in periods
            },
            "detailed": {p.key: t[(p.key, False)].head_value(head.pk, "firs_any") for p in periods},
        }
        for head in heads
    ]
    summary = [
        {
            "measure": measure,
            "label": label,
            "figures": {p.key: Figure(t[(p.key, False)].all[measure], t[(p.key, True)].all[measure]) for p in periods},
        }
        for measure, label in SUMMARY
    ]
    last = periods[-1].key  # the longest period (year to date, or the custom period)
    cur, base = t[(last, False)], t[(last, True)]
    units = []
    for level, code, name, ids, district_id in area.units:
        keys = [district_id] if use_rollup else ids
        firs = cur.units_sum(keys, "firs")
        traced = cur.units_sum(keys, "traced")
        complaints = cur.units_sum(keys, "complaints")
        decided = cur.units_sum(keys, "complaints_decided")
        on_time = cur.units_sum(keys, "complaints_on_time")
        units.append(
            {
                "level": level,
                "code": code,
                "name": name,
                "station_id": ids[0],
                "firs": Figure(firs, base.units_sum(keys, "firs")),
                "traced": traced,
                "detection_rate": _ratio(traced, firs),
                "complaints": complaints,
                "complaint_fir_ratio": None if firs == 0 else round(complaints / firs, 2),
                "decided": decided,
                "on_time": on_time,
                "on_time_rate": _ratio(on_time, decided),
            }
        )
    return {"periods": periods, "by_head": by_head, "summary": summary, "units": units, "rankings": rankings(units)}


def _rank(units: list[dict], key, *, reverse: bool) -> list[dict]:  # noqa: ANN001
    """Units ordered by ``key`` (None last), each with its place."""
    known = sorted((u for u in units if key(u) is not None), key=key, reverse=reverse)
    ordered = known + [u for u in units if key(u) is None]
    return [{"place": i, **u} for i, u in enumerate(ordered, start=1)]


def rankings(units: list[dict]) -> dict[str, list[dict]]:
    """Rank units by change in crime (smallest rise first), detection rate and complaint deadlines met."""
    return {
        "change": _rank(units, lambda u: u["firs"].percent, reverse=False),
        "detection": _rank(units, lambda u: u["detection_rate"], reverse=True),
        "on_time": _rank(units, lambda u: u["on_time_rate"], reverse=True),
    }
