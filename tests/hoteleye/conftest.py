import io
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from tests.factories import FACES, HotelFactory, hotel_staff_user


@pytest.fixture
def hotel_a(station_a):
    return HotelFactory(station=station_a, code="HA", name="Alpha Inn")


@pytest.fixture
def hotel_b(station_b):
    return HotelFactory(station=station_b, code="HB", name="Bravo Lodge")


@pytest.fixture
def staff_a(hotel_a, roles):
    return hotel_staff_user(hotel_a, username="staff_a")


@pytest.fixture
def staff_b(hotel_b, roles):
    return hotel_staff_user(hotel_b, username="staff_b")


@pytest.fixture
def staff_client(client, staff_a):
    client.force_login(staff_a)
    return client


def guest_data(**overrides):
    """Return a valid form/API body for a Pakistani guest checked in an hour ago."""
    data = {
        "guest_type": "pakistani",
        "cnic": "35202-1234567-1",
        "name": "Ali Raza",
        "father_name": "Raza Khan",
        "gender": "male",
        "date_of_birth": "1990-05-01",
        "phone": "03001234567",
        "address": "House 1, Lahore",
        "arriving_from": "Lahore",
        "purpose": "business",
        "room": "101",
        "checked_in_at": (timezone.localtime() - timezone.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "vehicle_number": "LEA-1234",
    }
    data.update(overrides)
    return data


def form_body(**overrides):
    """Return a check-in form POST body including an empty companions formset."""
    body = guest_data(**overrides)
    body.setdefault("companions-TOTAL_FORMS", "0")
    body.setdefault("companions-INITIAL_FORMS", "0")
    return body


def png_upload(name="photo.png", size=(60, 60)):
    buf = io.BytesIO()
    Image.new("RGB", size, "white").save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def face_upload(filename):
    return SimpleUploadedFile(filename, (FACES / filename).read_bytes(), content_type="image/jpeg")


def make_checkin(hotel, **overrides):
    from hoteleye.services import checkin_create

    data = guest_data(**overrides)
    if isinstance(data["checked_in_at"], str):
        data["checked_in_at"] = timezone.now() - timezone.timedelta(hours=1)
    data["date_of_birth"] = None
    return checkin_create(hotel=hotel, acting_user=None, data=data)


def make_alert(station, checkin, record=None, **kw):
    """Create an alert row directly (the matching tests raise them through the real matcher)."""
    from alerts.models import Alert
    from tests.factories import cro_record

    record = record or cro_record(name=kw.get("record_name", "Wanted Person"), is_wanted=True)
    defaults = {
        "record_name": record.name,
        "record_cnic": "3520212345671",
        "record_status": "Wanted",
        "kind": "cnic",
        "score": 100.0,
        "reasons": ["CNIC: CNIC identical"],
    }
    defaults.update(kw)
    return Alert.objects.create(
        station=station,
        source=checkin,
        source_kind="hotel_checkin",
        person_name=checkin.name,
        place=checkin.hotel.name,
        place_detail=checkin.room,
        cro_record=record,
        **defaults,
    )


@contextmanager
def celery_broker(url):
    """Send this process's tasks to the broker at ``url`` instead of running them in-process, then restore."""
    from casp.celery import app

    def reset_pools():
        # Drop (do not close) the cached pools: kombu's global producer pools may still hold them.
        app._pool = None
        app.amqp._producer_pool = None

    saved = (app.conf.task_always_eager, app.conf.broker_url)
    reset_pools()
    app.conf.task_always_eager, app.conf.broker_url = False, url
    try:
        yield
    finally:
        reset_pools()
        app.conf.task_always_eager, app.conf.broker_url = saved
