from __future__ import annotations

from pathlib import Path

import pytest

from casp.roles import Role
from cro.faces import face_index_reset
from tests.factories import FACES, posted_user


@pytest.fixture(autouse=True)
def _fresh_face_index(settings, tmp_path):
    """Each test gets its own media folder and a face index reloaded from its own database."""
    settings.MEDIA_ROOT = tmp_path / "media"
    face_index_reset()
    yield
    face_index_reset()


@pytest.fixture
def faces_dir() -> Path:
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
