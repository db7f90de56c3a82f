import pytest


@pytest.fixture
def catalogue(db):
    """The sections and crime heads (data migrations; seeded again for transactional tests)."""
    from fir.catalogue import crime_heads_seed, sections_seed
    from fir.models import CrimeHead, Section

    sections_seed(Section)
    crime_heads_seed(CrimeHead, Section)
