"""A district's year on the hotspot map, against naive approaches.

Data: one district of 12 stations, two years of FIRs (``small``: 15,000 a
year; ``national``: 60,000 a year, a large Pakistani district), 85 % with a
point of occurrence over about 30 x 30 km, a fifth of them around ten hot
places. Measured (the cache is cleared before each run):

- ``district_year``: the whole map of the first year as the page computes it
  (counts, points, 250 m grid, Gi* with 999 permutations, hit rate and PAI on
  the second year): median of 3 runs; aim under 5 s.
- its parts: fetching the points, and Gi* alone.
- naive counting: one ``COUNT(*)`` per grid cell (as a per-cell SQL loop
  would do), timed over 300 cells and scaled to the grid.
- naive permutations: the Gi* permutation test as a Python loop over cells,
  timed over 50 cells and scaled to the cells the vectorised code permutes.
- the Knox test for the year's burglaries (99 shuffles, 4 x 4 bands).

The district's FIRs are inserted with generate_series; the FIR table refuses
DELETE, so a district of a different size is replaced with TRUNCATE (as
bench_fir does).
"""

from __future__ import annotations

import datetime as dt
import random
import time

import numpy as np
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from bench.db import ensure_bench_database, p50

PER_YEAR = {"small": 15_000, "national": 60_000}
STATIONS = 12
CENTRE = (33.65, 73.05)


def _setup(scale: str):
    from casp.models import User
    from fir.catalogue import sections_seed
    from fir.models import Fir, Section
    from stations.models import District, PoliceStation, Province

    sections_seed(Section)
    province, _ = Province.objects.get_or_create(code="BHP", defaults={"name": "Bench hotspots"})
    district, _ = District.objects.get_or_create(code="BH", defaults={"province": province, "name": "Bench hotspots"})
    PoliceStation.objects.bulk_create(
        [
            PoliceStation(
                district=district,
                code=f"BH-{i:02d}",
                name=f"Hotspot bench {i}",
                latitude=round(CENTRE[0] - 0.1 + 0.2 * (i % 4) / 3, 6),
                longitude=round(CENTRE[1] - 0.1 + 0.2 * (i // 4) / 2, 6),
            )
            for i in range(STATIONS)
        ],
        ignore_conflicts=True,
    )
    ids = list(PoliceStation.objects.filter(district=district).values_list("pk", flat=True))
    user, _ = User.objects.get_or_create(username="bench-hotspots")
    n = 2 * PER_YEAR[scale]
    if Fir.objects.filter(station_id__in=ids).count() != n:
        _generate(n, ids, user.pk)
    return district


def _generate(n: int, station_ids: list[int], user_id: int) -> None:
    from fir.models import Section

    section_ids = list(Section.objects.values_list("pk", flat=True))
    rng = random.Random(1)
    hot = [(CENTRE[0] + rng.uniform(-0.1, 0.1), CENTRE[1] + rng.uniform(-0.1, 0.1)) for _ in range(10)]
    s = len(station_ids)
    hot_lat = "ARRAY[" + ",".join(f"{a:.6f}" for a, _b in hot) + "]"
    hot_lon = "ARRAY[" + ",".join(f"{b:.6f}" for _a, b in hot) + "]"
    # Two years ending yesterday; every fifth offence near one of the ten hot places; 15 % without a point.
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE fir_fir, fir_fir_sections, fir_accused, fir_arrest, fir_statuschange, fir_casenote CASCADE"
        )
        cur.execute(
            f"""
            INSERT INTO fir_fir (station_id, year, number, reported_at, occurred_from, place, direction,
                complainant_name, complainant_father_name, complainant_address, complainant_phone,
                facts, weapons, property_involved, delay_reason, action_taken, writing_officer_id,
                writing_officer_name, registered_at, submission_key, status, challan_kind, status_changed_at,
                latitude, longitude)
            SELECT (%(stations)s)[1 + g %% {s}], 2026, g / {s} + 1,
                t + interval '1 hour', t, 'Street', '', 'Complainant', '', '', '', 'Facts', '', '', '', '',
                %(user)s, 'Bench', t + interval '1 hour', md5('bh' || g::text)::uuid, 'registered', '', now(),
                CASE WHEN g %% 20 < 3 THEN NULL
                     WHEN g %% 5 = 0 THEN round((({hot_lat})[1 + g %% 10] + (random() - 0.5) * 0.004)::numeric, 6)
                     ELSE round(({CENTRE[0]} + (random() - 0.5) * 0.27)::numeric, 6) END,
                CASE WHEN g %% 20 < 3 THEN NULL
                     WHEN g %% 5 = 0 THEN round((({hot_lon})[1 + g %% 10] + (random() - 0.5) * 0.004)::numeric, 6)
                     ELSE round(({CENTRE[1]} + (random() - 0.5) * 0.33)::numeric, 6) END
            FROM generate_series(0, {n - 1}) AS g,
                 LATERAL (SELECT now() - interval '1 day' - (g * interval '730 days' / {n})) AS at(t)
            """,
            {"stations": station_ids, "user": user_id},
        )
        cur.execute(
            "INSERT INTO fir_fir_sections (fir_id, section_id) SELECT id, (%(sections)s)[1 + id %% %(k)s] FROM fir_fir",
            {"sections": section_ids, "k": len(section_ids)},
        )
        cur.execute("ANALYZE fir_fir")
        cur.execute("ANALYZE fir_fir_sections")


def _naive_cell_counts(area, grid, date_from, date_to, cells: int) -> float:
    """Seconds for ``cells`` per-cell COUNT(*) queries (the loop a naive implementation runs)."""
    from analytics.spatial_selectors import OffenceFilter, area_firs, day_bounds

    start, end = day_bounds(date_from, date_to)
    base = area_firs(area, OffenceFilter()).filter(occurred_from__gte=start, occurred_from__lt=end)
    started = time.perf_counter()
    for k in range(cells):
        row, col = divmod(k * 7919 % (grid.rows * grid.cols), grid.cols)
        (s, w), (n, e) = grid.cell_bounds(row, col)
        base.filter(latitude__gte=s, latitude__lt=n, longitude__gte=w, longitude__lt=e).count()
    return time.perf_counter() - started


def _naive_permutations(counts: np.ndarray, cells: list[tuple[int, int]], permutations: int = 999) -> float:
    """Seconds for the permutation test of ``cells`` as a Python loop (one random draw per neighbour)."""
    rng = random.Random(1)
    flat = counts.ravel().tolist()
    rows, cols = counts.shape
    started = time.perf_counter()
    for r, c in cells:
        k = sum(1 for dr in (-1, 0, 1) for dc in (-1, 0, 1) if 0 <= r + dr < rows and 0 <= c + dc < cols) - 1
        observed = sum(
            counts[r + dr, c + dc]
            for dr in (-1, 0, 1)
            for dc in (-1, 0, 1)
            if 0 <= r + dr < rows and 0 <= c + dc < cols
        )
        extreme = 0
        for _ in range(permutations):
            extreme += counts[r, c] + sum(flat[rng.randrange(len(flat))] for _ in range(k)) >= observed
    return time.perf_counter() - started


def run(scale: str) -> list[tuple[str, float, str]]:
    from analytics import spatial
    from analytics.spatial_reports import hotspot_map, near_repeat
    from analytics.spatial_selectors import Area, OffenceFilter, near_repeat_filter, offence_points

    ensure_bench_database()
    district = _setup(scale)
    ids = tuple(district.stations.values_list("pk", flat=True))
    area = Area("district", district.code, district.name, district, ids)
    today = timezone.localdate()
    date_from, date_to = today - dt.timedelta(days=730), today - dt.timedelta(days=366)
    times = []
    for _ in range(3):
        cache.clear()
        started = time.perf_counter()
        result = hotspot_map(area, OffenceFilter(), date_from, date_to)
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    lat, lon, _days = offence_points(area, OffenceFilter(), date_from, date_to)
    points_s = time.perf_counter() - started
    grid = spatial.Grid.around(lat, lon)
    counts, _outside = grid.counts(lat, lon)
    started = time.perf_counter()
    gi = spatial.gi_star(counts)
    gi_s = time.perf_counter() - started
    n_cells = grid.rows * grid.cols
    naive_counts = _naive_cell_counts(area, grid, date_from, date_to, 300) * n_cells / 300
    active = list(zip(*np.nonzero(spatial.window_sum(counts) > 0), strict=True))
    naive_perm = _naive_permutations(counts, active[:50]) * len(active) / 50
    burglary = near_repeat_filter("burglary")
    started = time.perf_counter()
    knox = near_repeat(
        area,
        burglary,
        date_from,
        date_to,
        distance_bands=[(0, 100), (101, 200), (201, 400), (401, 800)],
        day_bands=[(0, 7), (8, 14), (15, 30), (31, 60)],
    )
    knox_s = time.perf_counter() - started
    assert result.tally.total > 0 and gi.z.shape == counts.shape
    return [
        ("hotspots.district_year_firs", result.tally.total, "FIRs"),
        ("hotspots.district_year_mapped", result.tally.mapped, "FIRs"),
        ("hotspots.grid_cells", n_cells, "cells"),
        ("hotspots.hot_cells", result.hot_cells, "cells"),
        ("hotspots.district_year_p50", p50(times), "s"),
        ("hotspots.district_year_max", max(times), "s"),
        ("hotspots.points_query", points_s, "s"),
        ("hotspots.gi_star_999_permutations", gi_s, "s"),
        ("hotspots.naive_per_cell_count_extrapolated", naive_counts, "s"),
        ("hotspots.naive_python_permutations_extrapolated", naive_perm, "s"),
        ("hotspots.knox_burglary_events", knox.events, "events"),
        ("hotspots.knox_burglary_99_shuffles", knox_s, "s"),
    ]
