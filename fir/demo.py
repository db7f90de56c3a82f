"""Demo FIRs at PS Kohsar, registered through the service as the station clerk would."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from casp.models import User
from fir.catalogue import sections_seed
from fir.models import Fir, FirStatus, Section
from fir.services import arrest_record, fir_register, fir_status_change
from stations.models import PoliceStation

DEMO_KEY = uuid.UUID("00000000-0000-4000-8000-00000000f1e0")


def seed_firs() -> list[str]:
    created = sections_seed(Section)
    lines = [f"Sections: {Section.objects.count()} in the catalogue ({created} new)."]
    station = PoliceStation.objects.filter(code="ISB-KOH").first()
    clerk = User.objects.filter(username="clerk.kohsar").first()
    sho = User.objects.filter(username="sho.kohsar").first()
    if station is None or clerk is None or Fir.objects.filter(station=station, submission_key=DEMO_KEY).exists():
        return lines
    now = timezone.now()
    fir = fir_register(
        station=station,
        acting_user=clerk,
        data={
            "submission_key": DEMO_KEY,
            "reported_at": now - dt.timedelta(hours=1),
            "occurred_from": now - dt.timedelta(hours=4),
            "place": "Jinnah Super Market, F-7 Markaz",
            "distance_km": "1.5",
            "direction": "NW",
            "latitude": "33.720600",
            "longitude": "73.056000",
            "complainant_name": "Muhammad Aslam",
            "complainant_father_name": "Abdul Ghani",
            "complainant_cnic": "61101-1234567-1",
            "complainant_phone": "0300-1234567",
            "sections": "392 PPC",
            "facts": "دو نامعلوم افراد نے اسلحہ کے زور پر میرا موبائل فون اور نقدی چھین لی۔",
            "accused": [
                {"name": "Kaloo", "father_name": "Nazir Ahmad"},
                {"is_unknown": True, "description": "Young man, black helmet, red motorcycle"},
            ],
        },
    )
    if sho is not None:
        fir_status_change(fir=fir, acting_user=sho, to_status=FirStatus.UNDER_INVESTIGATION)
        arrest_record(
            fir=fir,
            accused=fir.accused.first(),
            acting_user=sho,
            arrested_at=now - dt.timedelta(minutes=30),
            place="Aabpara Chowk",
        )
    lines.append(f"{fir.label}: registered, under investigation, one arrest.")
    return lines
