"""Many FIRs at once, straight into the table (the registration service is tested in tests/fir)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone

from fir.models import Fir, Section


def firs_bulk(
    station,
    officer,
    rows: Iterable[tuple[dt.datetime, float | None, float | None]],
    *,
    section: str = "379",
    registered: bool = False,
) -> list[Fir]:
    """Create one FIR per (occurred_from, lat, lon); reported and registered an hour after it occurred."""
    section_obj = Section.objects.get(law="PPC", number=section)
    last = Fir.objects.filter(station=station).order_by("-number").values_list("number", flat=True).first() or 0
    firs = []
    for i, (at, lat, lon) in enumerate(rows, start=last + 1):
        at = at if timezone.is_aware(at) else timezone.make_aware(at)
        later = min(at + dt.timedelta(hours=1), timezone.now())
        firs.append(
            Fir(
                station=station,
                year=at.year,
                number=i,
                reported_at=later,
                occurred_from=at,
                place="Street",
                complainant_name="Complainant",
                facts="Facts.",
                writing_officer=officer,
                writing_officer_name="SI",
                registered_at=later if registered else timezone.now(),
                status_changed_at=timezone.now(),
                submission_key=uuid.uuid4(),
                latitude=None if lat is None else Decimal(f"{lat:.6f}"),
                longitude=None if lon is None else Decimal(f"{lon:.6f}"),
            )
        )
    created = Fir.objects.bulk_create(firs)
    Fir.sections.through.objects.bulk_create([Fir.sections.through(fir=f, section=section_obj) for f in created])
    return created
