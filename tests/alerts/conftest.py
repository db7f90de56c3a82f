import pytest

from casp.roles import Role
from tests.factories import PoliceStationFactory, posted_user
from tests.fir.factories import register


@pytest.fixture(autouse=True)
def sections(db):
    """The seeded section catalogue (transactional tests truncate what the data migration seeded)."""
    from fir.catalogue import sections_seed
    from fir.models import Section

    sections_seed(Section)


@pytest.fixture
def station_a2(district_a):
    return PoliceStationFactory(district=district_a, code="PS-A2", name="Alpha Two")


@pytest.fixture
def dpo_a(district_a, roles):
    return posted_user(Role.DISTRICT_OFFICER, district=district_a, username="dpo_a")


@pytest.fixture
def theft_fir(station_a, colleague_a):
    return register(station_a, colleague_a, sections="381-A PPC", facts="My car was stolen from the market.")


VEHICLE = {
    "kind": "car",
    "registration_number": "ICT-5678",
    "chassis_number": "NZE141-9876543",
    "engine_number": "1NZ-1234567",
    "make": "Toyota",
    "model": "Corolla",
    "colour": "White",
    "year": 2015,
}
