import pytest


@pytest.fixture(autouse=True)
def sections(db):
    """The seeded section catalogue (transactional tests truncate what the data migration seeded)."""
    from fir.catalogue import sections_seed
    from fir.models import Section

    sections_seed(Section)
