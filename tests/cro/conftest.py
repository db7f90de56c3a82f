from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from casp.roles import Role
from cro.faces import face_index_reset
from tests.factories import posted_user

FACES = settings.BASE_DIR.parent / "shared" / "faces"


@pytest.fixture(autouse=True)
def _fresh_face_index(settings, tmp_path):
    """Each test gets its own media folder and a face index reloaded from its own database."""
    settings.MEDIA_ROOT = tmp_path / "media"
    face_index_reset()
    yield
    face_index_reset()


@pytest.fixture
def faces_dir() -> Path:
    if not (FACES / "obama.jpg").exists():
        pytest.skip(f"the real test photos are absent from {FACES} (see ARCHITECTURE.md, Test images)")
    return FACES


@pytest.fixture
def cro_officer(district_a, roles):
    return posted_user(Role.CRO_OFFICER, district=district_a, username="cro_officer")


@pytest.fixture
def sho_b(station_b, roles):
    return posted_user(Role.SHO, station=station_b, username="sho_b")


@pytest.fixture
def cro_client(client, cro_officer):
    client.force_login(cro_officer)
    return client
