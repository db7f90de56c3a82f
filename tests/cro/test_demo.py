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


def test_demo_records_have_their_photos_on_a_fresh_clone(station_a):
    """The demo's photos are the test photographs carried in the project, not ../shared beside the checkout."""
    seed_records()
    with_photo = [cnic for cnic, *_rest, photo in DEMO_RECORDS if photo]
    assert with_photo
    for cnic in with_photo:
        assert CriminalRecord.objects.get(cnic=cnic.replace("-", "")).photos.count() == 1, cnic
