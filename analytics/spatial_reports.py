"""The hotspot map and the near-repeat table of an area: selectors + statistics, cached by what they were built from."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.cache import cache
from django.utils import timezone

from analytics import spatial
from analytics.spatial_selectors import Area, OffenceFilter, Tally, offence_points, offence_tally

CACHE_SECONDS = 3600
MAX_POINTS_DRAWN = 5000  # more would slow a phone; the grid counts every point


@dataclass
class HotspotMap:
    tally: Tally
    cells: list[dict[str, Any]]  # what the map draws: cells holding an offence or in a hot spot
    points: list[tuple[float, float, str]]
    outside_grid: int
    hot_cells: int
    hot99_cells: int
    grid_cells: int
    permutations: int
    seconds: float  # time of the computation (0 when read from the cache)
    evaluation: spatial.Evaluation | None
    next_period: tuple[dt.date, dt.date]
    next_period_ended: bool
    computed_at: dt.datetime
    too_large: bool = False


def next_period(date_from: dt.date, date_to: dt.date) -> tuple[dt.date, dt.date]:
    """Return the period of the same length straight after ``date_from``..``date_to``."""
    length = date_to - date_from
    return date_to + dt.timedelta(days=1), date_to + dt.timedelta(days=1) + length


def hotspot_map(
    area: Area, offences: OffenceFilter, date_from: dt.date, date_to: dt.date, *, cell_m: int = 250
) -> HotspotMap:
    """Return the Gi* hot spots of the period and their hit rate and PAI on the next period (cached)."""
    tally = offence_tally(area, offences, date_from, date_to)
    nxt = next_period(date_from, date_to)
    ended = nxt[1] < timezone.localdate()
    next_tally = offence_tally(area, offences, *nxt) if ended else None
    key = ":".join(
        [
            "hotspots:v1",
            area.kind,
            area.code,
            offences.key(),
            date_from.isoformat(),
            date_to.isoformat(),
            str(cell_m),
            f"{tally.total}-{tally.mapped}-{tally.last_id}",
            f"{next_tally.mapped}-{next_tally.last_id}" if next_tally else "open",
        ]
    )
    cached = cache.get(key)
    if cached is not None:
        cached.seconds = 0.0
        return cached
    started = time.perf_counter()
    result = _compute(area, offences, date_from, date_to, tally, nxt, ended, cell_m)
    result.seconds = time.perf_counter() - started
    cache.set(key, result, CACHE_SECONDS)
    return result


def _compute(
    area: Area,
    offences: OffenceFilter,
    date_from: dt.date,
    date_to: dt.date,
    tally: Tally,
    nxt: tuple[dt.date, dt.date],
    ended: bool,
    cell_m: int,
) -> HotspotMap:
    lat, lon, _days = offence_points(area, offences, date_from, date_to)
    next_lat, next_lon = (offence_points(area, offences, *nxt)[:2]) if ended else (np.array([]), np.array([]))
    empty = HotspotMap(tally, [], [], 0, 0, 0, 0, 0, 0.0, None, nxt, ended, timezone.now())
    if len(lat) == 0:
        return empty
    try:
        # One grid for both periods, so the next period's offences fall in the same cells.
        grid = spatial.Grid.around(np.concatenate([lat, next_lat]), np.concatenate([lon, next_lon]), cell_m=cell_m)
    except spatial.AreaTooLarge:
        empty.too_large = True
        return empty
    counts, outside = grid.counts(lat, lon)
    gi = spatial.gi_star(counts)
    classes = spatial.classify(gi)
    hot = classes != spatial.NOT_SIGNIFICANT
    cells = []
    for row, col in zip(*np.nonzero((counts > 0) | hot), strict=True):
        cells.append(
            {
                "b": grid.cell_bounds(int(row), int(col)),
                "cls": classes[row, col],
                "n": int(counts[row, col]),
                "z": round(float(gi.z[row, col]), 2),
                "p": round(float(gi.p_sim[row, col]), 3),
            }
        )
    evaluation = spatial.evaluate(hot, grid.counts(next_lat, next_lon)[0]) if ended else None
    step = max(1, len(lat) // MAX_POINTS_DRAWN)
    points = [(float(a), float(b), "") for a, b in zip(lat[::step], lon[::step], strict=True)]
    return HotspotMap(
        tally=tally,
        cells=cells,
        points=points,
        outside_grid=outside,
        hot_cells=int(hot.sum()),
        hot99_cells=int((classes == spatial.HOT99).sum()),
        grid_cells=grid.rows * grid.cols,
        permutations=gi.permutations,
        seconds=0.0,
        evaluation=evaluation,
        next_period=nxt,
        next_period_ended=ended,
        computed_at=timezone.now(),
    )


class TooFewEvents(ValueError):
    """The Knox test needs at least two mapped events."""


@dataclass
class NearRepeat:
    tally: Tally
    events: int
    shuffles: int
    cells: list[spatial.KnoxCell]


def near_repeat(
    area: Area,
    offences: OffenceFilter,
    date_from: dt.date,
    date_to: dt.date,
    *,
    distance_bands: list[tuple[float, float]],
    day_bands: list[tuple[float, float]],
    shuffles: int = 99,
) -> NearRepeat:
    """Return the Knox table of the period's mapped offences; raise TooFewEvents with fewer than two."""
    tally = offence_tally(area, offences, date_from, date_to)
    lat, lon, days = offence_points(area, offences, date_from, date_to)
    if len(lat) < 2:
        raise TooFewEvents(len(lat))
    x, y = spatial.Projection(float(lat.mean()), float(lon.mean())).to_xy(lat, lon)
    cells = spatial.knox(x, y, days, distance_bands=distance_bands, day_bands=day_bands, shuffles=shuffles)
    return NearRepeat(tally, len(lat), shuffles, cells)
