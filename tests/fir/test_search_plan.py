"""The complainant-name search: one station's search keeps out of the trigram index, a district's uses it."""

import pytest
from django.db import connection, transaction

from casp.roles import Role
from fir.selectors import firs_search
from tests.factories import PoliceStationFactory, posted_user
from tests.fir.factories import register

TRIGRAM = "fir_fir_complainant_trgm"


@pytest.fixture
def firs(station_a, district_a, roles):
    other = PoliceStationFactory(district=district_a, code="PS-A2", name="Alpha Two")
    clerk = posted_user(Role.STATION_CLERK, station=station_a, username="clerk")
    clerk_b = posted_user(Role.STATION_CLERK, station=other, username="clerk_b")
    for name in ("Shazia Parveen", "Muhammad Aslam", "Rabia Cheema"):
        register(station_a, clerk, complainant_name=name)
    register(other, clerk_b, complainant_name="Shazia Bibi")
    dpo = posted_user(Role.DISTRICT_OFFICER, district=district_a, username="dpo")
    return {"clerk": clerk, "dpo": dpo, "station": station_a, "other": other}


def _plan(user, filters):
    """EXPLAIN the search with sequential scans priced out, so any index the query shape allows is taken."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        return firs_search(user, filters)[:51].explain()


def test_a_single_station_clerk_search_does_not_use_the_trigram_index(firs):
    plan = _plan(firs["clerk"], {"complainant": "shazia parv"})
    assert TRIGRAM not in plan
    assert [f.complainant_name for f in firs_search(firs["clerk"], {"complainant": "shazia parv"})] == [
        "Shazia Parveen"
    ]


def test_a_district_search_for_one_station_does_not_use_it_either(firs):
    filters = {"complainant": "shazia", "station": firs["other"]}
    assert TRIGRAM not in _plan(firs["dpo"], filters)
    assert [f.complainant_name for f in firs_search(firs["dpo"], filters)] == ["Shazia Bibi"]


def test_a_district_wide_search_keeps_the_trigram_indexed_shape(firs):
    """The district's search compares UPPER(name), the expression the trigram index covers (whether the planner
    takes it depends on the table's statistics, so the shape is what is checked here)."""
    sql = str(firs_search(firs["dpo"], {"complainant": "shazia"}).query)
    assert 'UPPER("fir_fir"."complainant_name"::text) LIKE' in sql
    assert 'LOWER("fir_fir"."complainant_name")' not in sql
    found = sorted(f.complainant_name for f in firs_search(firs["dpo"], {"complainant": "shazia"}))
    assert found == ["Shazia Bibi", "Shazia Parveen"]


def test_both_shapes_match_names_the_same_way(firs):
    """Case, other spellings and word order are read alike with and without the index."""
    for query in ("SHAZIA parveen", "parveen shazia", "Mohammad aslam", "cheema"):
        one = [f.complainant_name for f in firs_search(firs["clerk"], {"complainant": query})]
        district = [
            f.complainant_name
            for f in firs_search(firs["dpo"], {"complainant": query})
            if f.station_id == firs["station"].pk
        ]
        assert one == district and one, query


def test_stations_already_loaded_spare_the_search_a_query(firs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stations.selectors import stations_for_user

    stations = stations_for_user(firs["clerk"])
    len(stations)
    with CaptureQueriesContext(connection) as loaded:
        list(firs_search(firs["clerk"], {"complainant": "shazia"}, stations=stations))
    with CaptureQueriesContext(connection) as not_loaded:
        list(firs_search(firs["clerk"], {"complainant": "shazia"}))
    assert len(loaded) == len(not_loaded) - 1


def test_a_percent_sign_is_matched_literally_on_a_single_station(firs):
    assert list(firs_search(firs["clerk"], {"complainant": "%"})) == []
