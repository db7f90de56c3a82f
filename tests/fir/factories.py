"""FIR test data: registration data that passes, to be spoiled one field at a time by bad-input tests."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from fir.models import Fir
from fir.services import fir_register


def fir_data(**overrides) -> dict:
    now = timezone.now()
    data = {
        "submission_key": uuid.uuid4(),
        "reported_at": now - dt.timedelta(minutes=10),
        "occurred_from": now - dt.timedelta(hours=3),
        "occurred_to": None,
        "place": "Main bazaar, near the mosque",
        "distance_km": "2.50",
        "direction": "NE",
        "complainant_name": "Muhammad Aslam",
        "complainant_father_name": "Abdul Ghani",
        "complainant_cnic": "35202-1234567-1",
        "complainant_address": "House 4, Street 9",
        "complainant_phone": "0300-1234567",
        "sections": "379 PPC, 380",
        "facts": "My motorcycle was stolen from outside the shop.",
        "weapons": "",
        "property_involved": "Honda CD-70, LEA-1234",
        "delay_reason": "",
        "action_taken": "",
        "accused": [{"name": "Bashir Ahmad", "father_name": "Nazir", "cnic": "35202-7654321-3"}],
    }
    data.update(overrides)
    return data


def register(station, user, **overrides) -> Fir:
    return fir_register(station=station, acting_user=user, data=fir_data(**overrides))
