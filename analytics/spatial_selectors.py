"""Reads for the maps, near-repeat analysis and trends: an area in the user's jurisdiction and its offences.

An area is one police station or one district. A station is seen as
everywhere (stations.selectors.station_get_for_user); a district by its
district officers (a posting to the district) and system administrators.
Outside the jurisdiction, or unknown: 404, revealing nothing.

Offences are filtered by PPC section (``OffenceFilter``). When the crime
heads of issue 13 land, ``OffenceFilter.condition`` is the one place to
switch: a head is a set of sections, so ``sections`` becomes the head's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Exists, FloatField, Func, IntegerField, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Cast, TruncDate
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics.spatial_labels import SPATIAL_READERS
from casp.models import User
from fir.models import Fir, Section
from stations.models import District, PoliceStation, Posting
from stations.selectors import station_get_for_user, user_is_system_admin

READERS = SPATIAL_READERS
STATION, DISTRICT = "station", "district"


@dataclass(frozen=True)
class Area:
    kind: str  # STATION or DISTRICT
    code: str
    name: str
    target: PoliceStation | District  # what the audit event names
    station_ids: tuple[int, ...]

    def stations(self) -> QuerySet[PoliceStation]:
        return PoliceStation.objects.filter(pk__in=self.station_ids).order_by("name")


def districts_for_user(user: User) -> QuerySet[District]:
    """Return the districts whose maps ``user`` may see: all for a system administrator, else their postings."""
    districts = District.objects.order_by("name")
    if user_is_system_admin(user):
        return districts
    posted = Posting.objects.active().filter(user=user, role__in=[str(r) for r in READERS], district__isnull=False)
    return districts.filter(pk__in=posted.values("district_id"))


def area_get_for_user(user: User, *, kind: str, code: str) -> Area:
    """Return the station or district ``code`` if ``user`` may see it; else Http404."""
    if kind == STATION:
        station = station_get_for_user(user, code=code)
        return Area(STATION, station.code, station.display_name, station, (station.pk,))
    district = District.objects.filter(code=code).first()
    if district is None or not (
        user_is_system_admin(user)
        or Posting.objects.active().filter(user=user, district=district, role__in=[str(r) for r in READERS]).exists()
    ):
        raise Http404("No such district.")
    ids = tuple(PoliceStation.objects.filter(district=district).values_list("pk", flat=True))
    return Area(DISTRICT, district.code, district.display_name, district, ids)


@dataclass(frozen=True)
class OffenceFilter:
    """Which offences: those charged under any of ``sections`` (none: every offence)."""

    sections: Sequence[Section] = field(default_factory=tuple)
    label: str = ""

    def condition(self) -> Q:
        if not self.sections:
            return Q()
        through = Fir.sections.through.objects.filter(fir_id=OuterRef("pk"), section__in=list(self.sections))
        return Q(Exists(through))

    def key(self) -> str:
        return ",".join(str(s.pk) for s in self.sections) or "all"


# The offences of the near-repeat analysis, by PPC section until crime heads exist (docs/analytics.md).
NEAR_REPEAT_OFFENCES = {
    "burglary": (_("Burglary (house-breaking, house-trespass, theft in a dwelling)"), ["380", "448", "454", "457"]),
    "vehicle_theft": (_("Vehicle theft"), ["381-A"]),
}


def near_repeat_filter(offence: str) -> OffenceFilter:
    label, numbers = NEAR_REPEAT_OFFENCES[offence]
    return OffenceFilter(tuple(Section.objects.filter(law="PPC", number__in=numbers)), str(label))


def day_bounds(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Return [start, end) of the local days ``date_from`` to ``date_to`` inclusive."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def area_firs(area: Area, offences: OffenceFilter) -> QuerySet[Fir]:
    return Fir.objects.filter(offences.condition(), station_id__in=area.station_ids)


@dataclass(frozen=True)
class Tally:
    total: int  # every FIR of the period (mapped or not)
    mapped: int
    last_id: int  # changes when an FIR is registered: part of the cache key

    @property
    def not_mapped(self) -> int:
        return self.total - self.mapped


def offence_tally(area: Area, offences: OffenceFilter, date_from: dt.date, date_to: dt.date) -> Tally:
    """Count the period's FIRs (by time of occurrence) and those with a map point, in one query."""
    start, end = day_bounds(date_from, date_to)
    row = (
        area_firs(area, offences)
        .filter(occurred_from__gte=start, occurred_from__lt=end)
        .aggregate(total=Count("pk"), mapped=Count("pk", filter=Q(latitude__isnull=False)), last=Max("pk"))
    )
    return Tally(row["total"], row["mapped"], row["last"] or 0)


def offence_points(
    area: Area, offences: OffenceFilter, date_from: dt.date, date_to: dt.date
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return latitude, longitude and local day number (days since 1970-01-01) of the period's mapped FIRs."""
    start, end = day_bounds(date_from, date_to)
    rows = list(
        area_firs(area, offences)
        .filter(occurred_from__gte=start, occurred_from__lt=end, latitude__isnull=False)
        .order_by()
        .annotate(
            lat=Cast("latitude", FloatField()),
            lon=Cast("longitude", FloatField()),
            day=Func(
                TruncDate("occurred_from"),
                template="(%(expressions)s - DATE '1970-01-01')",
                output_field=IntegerField(),
            ),
        )
        .values_list("lat", "lon", "day")
    )
    if not rows:
        return np.array([]), np.array([]), np.array([], dtype=np.int64)
    table = np.array(rows, dtype=np.float64)
    return table[:, 0], table[:, 1], table[:, 2].astype(np.int64)
