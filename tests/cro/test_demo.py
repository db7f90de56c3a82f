import pytest

from cro.demo import DEMO_RECORDS, seed_records
from cro.models import CriminalRecord

pytestmark = pytest.mark.django_db


def test_demo_records_are_seeded_once(station_a):
    seed_records()
    seed_records()
    assert CriminalRecord.objects.count() == len(DEMO_RECORDS)
    wanted = CriminalRecord.objects.get(cnic="3520212345671")
    assert wanted.is_wanted and wanted.wanted_by_station == station_a
