import pytest

from analytics.spatial_demo import seed_spatial_demo
from fir.demo import seed_firs
from fir.models import Fir
from stations.demo import seed_organisation

pytestmark = pytest.mark.django_db


def test_demo_firs_have_plausible_points_near_their_stations_and_seeding_twice_adds_nothing(roles):
    seed_organisation()
    seed_firs()
    seed_spatial_demo(per_station=12)
    firs = list(Fir.objects.select_related("station"))
    count = len(firs)
    mapped = [f for f in firs if f.latitude is not None]
    assert count >= 8 * 12 and 0 < len(mapped) < count  # a few left without a point, as in life
    for fir in mapped:
        assert abs(fir.latitude - fir.station.latitude) < 0.06 and abs(fir.longitude - fir.station.longitude) < 0.06
    assert {f.station.code[:3] for f in mapped} == {"ISB", "KHI"}
    assert Fir.objects.filter(station__code="ISB-KOH", place__startswith="Jinnah", latitude__isnull=False).exists()
    seed_spatial_demo(per_station=12)
    assert Fir.objects.count() == count
