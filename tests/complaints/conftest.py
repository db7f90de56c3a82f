from __future__ import annotations

import io
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from casp.notify import Notifier
from casp.roles import Role
from tests.factories import posted_user

SENT: list = []


class RecordingNotifier(Notifier):
    """Keeps every message, so tests can read what a citizen or officer was sent."""

    def send(self, message) -> None:
        SENT.append(message)


@pytest.fixture
def outbox(settings):
    settings.NOTIFIER = "tests.complaints.conftest.RecordingNotifier"
    SENT.clear()
    return SENT


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield settings.MEDIA_ROOT
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture(autouse=True)
def clean_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def district_officer_a(district_a, roles):
    user = posted_user(Role.DISTRICT_OFFICER, district=district_a, username="dpo_a")
    user.phone = "03111111111"
    user.save(update_fields=["phone"])
    return user


def jpeg_upload(name: str = "photo.jpg", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf_upload(name: str = "letter.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


def form_data(at, **overrides) -> dict:
    from complaints.models import Category

    data = {
        "name": "Ayesha Khan",
        "cnic": "35202-1234567-2",
        "phone": "0300-1234567",
        "email": "",
        "address": "House 1, Street 2",
        "district": str(at.district_id),
        "station": str(at.pk),
        "category": str(Category.objects.get(code="crime-report").pk),
        "incident_place": "Blue Area market",
        "incident_at": "2026-01-10T14:30",
        "description": "My motorcycle was stolen outside the market.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
