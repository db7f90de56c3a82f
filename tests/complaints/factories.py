"""Factories for complaints; the real categories come from the seed migration."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from casp.cnic import CNIC
from complaints.models import Category
from complaints.services import ComplaintData, complaint_file
from stations.models import PoliceStation


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def complaint_data(station: PoliceStation, **overrides: object) -> ComplaintData:
    values = {
        "name": "Ayesha Khan",
        "cnic": CNIC("35202-1234567-2"),
        "phone": "03001234567",
        "address": "House 1, Street 2, Islamabad",
        "station": station,
        "category": category("crime-report"),
        "incident_place": "Blue Area market",
        "incident_at": timezone.now() - timedelta(hours=3),
        "description": "My motorcycle was stolen outside the market.",
    }
    values.update(overrides)
    return ComplaintData(**values)


def filed(station: PoliceStation, **overrides: object):
    """File a complaint through the service, as the public form does."""
    return complaint_file(data=complaint_data(station, **overrides))
