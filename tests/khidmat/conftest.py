"""Khidmat fixtures: a centre in district A with a counter clerk and an in-charge; stations A and B verify."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from casp.roles import Role
from cro.faces import face_index_reset
from khidmat.models import CentreStaff, KhidmatCentre, ServiceType
from tests.factories import (
    UserFactory,
    posted_user,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    face_index_reset()
    yield
    face_index_reset()


def centre_user(centre, *, username, incharge=False):
    user = UserFactory(username=username)
    role = Role.KHIDMAT_INCHARGE if incharge else Role.KHIDMAT_STAFF
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    CentreStaff.objects.create(user=user, centre=centre, is_incharge=incharge)
    return user


@pytest.fixture
def centre(district_a):
    return KhidmatCentre.objects.create(code="KHM-A", name="Centre Alpha", district=district_a, address="A", counters=3)


@pytest.fixture
def centre_b(district_b):
    return KhidmatCentre.objects.create(code="KHM-B", name="Centre Bravo", district=district_b, address="B", counters=2)


@pytest.fixture
def clerk(centre, roles):
    return centre_user(centre, username="khidmat_clerk")


@pytest.fixture
def incharge(centre, roles):
    return centre_user(centre, username="khidmat_incharge", incharge=True)


@pytest.fixture
def clerk_b(centre_b, roles):
    return centre_user(centre_b, username="khidmat_clerk_b")


@pytest.fixture
def cro_officer(district_a, roles):
    return posted_user(Role.CRO_OFFICER, district=district_a, username="cro_officer")


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


def service(code):
    return ServiceType.objects.prefetch_related("documents").get(code=code)


def jpeg(path=None, size=(80, 80)):
    if path is not None:
        return SimpleUploadedFile(path.name, path.read_bytes(), content_type="image/jpeg")
    buf = io.BytesIO()
    Image.new("RGB", size, "white").save(buf, format="JPEG")
    return SimpleUploadedFile("photo.jpg", buf.getvalue(), content_type="image/jpeg")


def pdf_upload(name="scan.pdf"):
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


def form_body(svc, *, station_present, station_permanent, photo=None, **overrides):
    """Return a valid POST body for ``svc`` (every required document ticked, the catalogue's fee)."""
    body = {
        "applicant_cnic": "35202-1234567-1",
        "applicant_name": "Ali Raza",
        "applicant_phone": "0300-1234567",
        "subject_name": "Ali Raza",
        "subject_father_name": "Raza Khan",
        "subject_dob": "1990-05-01",
        "present_address": "House 1, Street 2",
        "present_station": str(station_present.pk),
        "permanent_address": "Village 3",
        "permanent_station": str(station_permanent.pk),
        "documents": [str(d.pk) for d in svc.documents.all() if d.is_required],
        "fee": str(svc.fee),
        "photo": photo if photo is not None else jpeg(),
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def apply_character_certificate(client, centre, station_p, station_q, capture, **overrides):
    """File a character certificate through the counter form (on-commit work run); return the application."""
    from django.urls import reverse

    from khidmat.models import Application

    svc = service("character-certificate")
    with capture(execute=True):
        response = client.post(
            reverse("khidmat:new", args=[centre.code, svc.code]),
            form_body(svc, station_present=station_p, station_permanent=station_q, **overrides),
        )
    assert response.status_code == 302, response.context["form"].errors
    return Application.objects.order_by("-pk").first()
