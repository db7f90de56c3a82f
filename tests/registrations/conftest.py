import datetime as dt

import pytest
from django.utils import timezone

from registrations.services import PersonData, RegistrationData, registration_file

CNIC_TENANT = "35202-1234567-1"


@pytest.fixture(autouse=True)
def clean_cache():
    """Start each test with no rate-limit counts: every test posts from the same address."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def form_body(station, *, kind="tenant", occupants=0, **overrides):
    """Return a valid POST body of the public form: a tenant who moved in yesterday, no occupants."""
    body = {
        "registrant_name": "Naveed Landlord",
        "registrant_cnic": "61101-7654321-3",
        "registrant_phone": "03001234567",
        "address": "House 12, Street 4, G-9/1",
        "station": str(station.pk),
        "start_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "person-cnic": CNIC_TENANT,
        "person-name": "Ali Raza",
        "person-father_name": "Raza Khan",
        "person-date_of_birth": "1990-05-01",
        "occupant-TOTAL_FORMS": str(occupants),
        "occupant-INITIAL_FORMS": "0",
    }
    body.update(overrides)
    return body


def registration(
    station,
    *,
    kind="tenant",
    cnic=CNIC_TENANT,
    start=None,
    home_station=None,
    address="House 12, Street 4, G-9/1",
    **person,
):
    """Register one person at ``station`` through the service (the counter's call)."""
    values = {"name": "Ali Raza", "father_name": "Raza Khan", "date_of_birth": dt.date(1990, 5, 1), "cnic": cnic}
    values.update(person)
    return registration_file(
        data=RegistrationData(
            kind=kind,
            registrant_name="Naveed Landlord",
            registrant_cnic="6110176543213",
            registrant_phone="03001234567",
            address=address,
            station=station,
            start_date=start or timezone.localdate() - dt.timedelta(days=1),
            home_address="Village Chak 5" if home_station else "",
            home_station=home_station,
            persons=[PersonData(**values)],
        )
    )
