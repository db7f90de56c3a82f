"""Jurisdiction lookup: the stations a user may see, at Punjab's ~713 stations.

Compares the selector (one indexed query) with the naive approach: load the
user's postings and the stations and filter them in Python.
"""

from __future__ import annotations

from django.db import transaction

from bench.db import ensure_bench_database, p50, p95, timings_ms

SIZES = {"small": (100, 2_000), "national": (713, 60_000)}  # stations, postings


def _seed(n_stations: int, n_postings: int) -> object:
    from casp.models import User
    from casp.roles import Role
    from stations.models import District, PoliceStation, Posting, Province

    if (
        PoliceStation.objects.filter(code__startswith="BJ-").count() >= n_stations
        and Posting.objects.count() >= n_postings
    ):
        return User.objects.get(username="bench-dpo")
    with transaction.atomic():
        province, _ = Province.objects.get_or_create(code="BJP", defaults={"name": "Bench"})
        districts = [
            District.objects.get_or_create(code=f"BJ{d:02d}", defaults={"province": province, "name": f"D{d}"})[0]
            for d in range(36)
        ]
        PoliceStation.objects.bulk_create(
            [PoliceStation(district=districts[i % 36], code=f"BJ-{i:04d}", name=f"S{i}") for i in range(n_stations)],
            ignore_conflicts=True,
        )
        stations = list(PoliceStation.objects.filter(code__startswith="BJ-"))
        users = User.objects.bulk_create(
            [User(username=f"bench-u{i}") for i in range(n_postings)], ignore_conflicts=True
        )
        users = list(User.objects.filter(username__startswith="bench-u"))
        Posting.objects.bulk_create(
            [Posting(user=u, station=stations[i % len(stations)], role=Role.STATION_CLERK) for i, u in enumerate(users)]
        )
        dpo, _ = User.objects.get_or_create(username="bench-dpo")
        Posting.objects.get_or_create(user=dpo, district=districts[0], role=Role.DISTRICT_OFFICER)
    return dpo


def run(scale: str) -> list[tuple[str, float, str]]:
    from stations.models import PoliceStation, Posting
    from stations.selectors import stations_for_user

    ensure_bench_database()
    n_stations, n_postings = SIZES[scale]
    dpo = _seed(n_stations, n_postings)

    def selector() -> object:
        return list(stations_for_user(dpo).values_list("id", flat=True))

    def naive() -> object:
        postings = [p for p in Posting.objects.all() if p.user_id == dpo.pk]
        district_ids = {p.district_id for p in postings if p.district_id}
        return [s.id for s in PoliceStation.objects.all() if s.district_id in district_ids]

    assert sorted(selector()) == sorted(naive())
    fast = timings_ms(selector, 50)
    slow = timings_ms(naive, 10)
    return [
        ("jurisdiction.stations", n_stations, "stations"),
        ("jurisdiction.postings", n_postings, "postings"),
        ("jurisdiction.selector_p50", p50(fast), "ms"),
        ("jurisdiction.selector_p95", p95(fast), "ms"),
        ("jurisdiction.naive_python_p50", p50(slow), "ms"),
        ("jurisdiction.speedup_vs_naive", p50(slow) / p50(fast), "x"),
    ]
