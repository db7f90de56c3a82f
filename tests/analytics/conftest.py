import pytest


@pytest.fixture(autouse=True)
def sections(db):
    """The seeded section catalogue (transactional tests truncate what the data migration seeded)."""
    from fir.catalogue import sections_seed
    from fir.models import Section

    sections_seed(Section)


@pytest.fixture
def catalogue(sections):
    """The sections and crime heads (data migrations; seeded again for transactional tests)."""
    from fir.catalogue import crime_heads_seed
    from fir.models import CrimeHead, Section

    crime_heads_seed(CrimeHead, Section)
