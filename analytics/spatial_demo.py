"""Demo offences with points of occurrence around Islamabad's and Karachi's stations (idempotent).

``seed_spatial_demo()`` registers, through the FIR service, a year of thefts,
burglaries (some as near repeats), vehicle thefts and robberies at the pilot
stations, most with a point around the station and a few hot streets, one in
ten without a point (to show the "not mapped" count). It is meant to be
called from ``AnalyticsConfig.seed_demo``. ``demo_point`` gives any other demo
generator a plausible point near a station: a point can only be given at
registration, since the FIR's text (the point included) is immutable.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from decimal import Decimal

from django.utils import timezone

from casp.geo import point_errors
from casp.models import User
from fir.catalogue import sections_seed
from fir.models import Fir, Section
from fir.services import fir_register
from stations.models import PoliceStation, Posting

NAMESPACE = uuid.UUID("6f1c0c53-8f0e-4b7a-9c51-7a1d2d0e5a10")
STATIONS = ("ISB-KOH", "ISB-SEC", "ISB-MAR", "ISB-AAB", "KHI-CLF", "KHI-DRK", "KHI-SDR", "KHI-GIQ")
PER_STATION = 60
VEHICLE_THEFT = ("PPC", "381-A", "Theft of a motor vehicle", "گاڑی کی چوری")
OFFENCES = [("379 PPC", 0.35), ("457 PPC, 380 PPC", 0.25), ("381-A PPC", 0.2), ("392 PPC", 0.2)]
PLACES = {"379": "Market", "457": "House", "381-A": "Parking", "392": "Road"}


def demo_point(station: PoliceStation, rng: random.Random, *, hot: bool = False) -> tuple[Decimal, Decimal] | None:
    """Return a point within about 2 km of ``station`` (within 300 m of one of its two hot streets if ``hot``)."""
    if station.latitude is None or station.longitude is None:
        return None
    lat, lon = float(station.latitude), float(station.longitude)
    if hot:
        street = rng.choice([(0.006, 0.004), (-0.005, 0.007)])  # two fixed places a few hundred metres off
        lat, lon, spread = lat + street[0], lon + street[1], 0.0015
    else:
        spread = 0.01
    point = (Decimal(f"{rng.gauss(lat, spread):.6f}"), Decimal(f"{rng.gauss(lon, spread):.6f}"))
    return None if point_errors(*point) else point


def _officer(station: PoliceStation) -> User | None:
    posting = Posting.objects.active().filter(station=station).select_related("user").first()
    return posting.user if posting else User.objects.filter(is_superuser=True).order_by("pk").first()


def seed_spatial_demo(per_station: int = PER_STATION) -> list[str]:
    sections_seed(Section)
    law, number, title, title_ur = VEHICLE_THEFT
    Section.objects.get_or_create(law=law, number=number, defaults={"title": title, "title_ur": title_ur})
    lines = []
    now = timezone.now()
    for station in PoliceStation.objects.filter(code__in=STATIONS).order_by("code"):
        officer = _officer(station)
        if officer is None:
            continue
        rng = random.Random(station.code)
        made = 0
        for i in range(per_station):
            key = uuid.uuid5(NAMESPACE, f"{station.code}-{i}")
            sections = rng.choices([o for o, _w in OFFENCES], weights=[w for _o, w in OFFENCES])[0]
            occurred = now - dt.timedelta(days=rng.uniform(2, 365), hours=rng.uniform(0, 24))
            point = demo_point(station, rng, hot=rng.random() < 0.4) if rng.random() > 0.1 else None
            repeat = occurred + dt.timedelta(days=rng.uniform(1, 6)) if rng.random() < 0.5 else None
            made += _register(station, officer, key, sections, occurred, point)
            if sections.startswith("457") and point and repeat and repeat < now - dt.timedelta(hours=2):
                near = (point[0] + Decimal("0.000400"), point[1] + Decimal("0.000300"))  # next door, days later
                made += _register(
                    station, officer, uuid.uuid5(NAMESPACE, f"{station.code}-{i}-r"), sections, repeat, near
                )
        lines.append(f"{station.code}: {made} FIRs with map points registered for the maps.")
    return lines


def _register(
    station: PoliceStation,
    officer: User,
    key: uuid.UUID,
    sections: str,
    occurred: dt.datetime,
    point: tuple[Decimal, Decimal] | None,
) -> int:
    """Register one demo FIR unless its key already did; return how many were registered (0 or 1)."""
    if Fir.objects.filter(station=station, submission_key=key).exists():
        return 0
    first = sections.split()[0]
    fir_register(
        station=station,
        acting_user=officer,
        data={
            "submission_key": key,
            "reported_at": occurred + dt.timedelta(hours=1),
            "occurred_from": occurred,
            "place": f"{PLACES.get(first, 'Street')}, {station.name}",
            "complainant_name": "Demo Complainant",
            "sections": sections,
            "facts": "Demo offence for the hotspot maps.",
            "latitude": point[0] if point else None,
            "longitude": point[1] if point else None,
        },
    )
    return 1
