"""Gi*, PAI and the Knox test on constructed data, where the right answer is known."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analytics import spatial


def _gi_star_by_definition(x: np.ndarray) -> np.ndarray:
    """Gi* from its textbook formula with an explicit weight matrix (binary queen contiguity plus self)."""
    rows, cols = x.shape
    flat = x.ravel()
    n = flat.size
    xbar, s = flat.mean(), math.sqrt((flat**2).mean() - flat.mean() ** 2)
    z = np.zeros(n)
    for i in range(n):
        r, c = divmod(i, cols)
        w = np.zeros(n)
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                if 0 <= r + dr < rows and 0 <= c + dc < cols:
                    w[(r + dr) * cols + c + dc] = 1
        wi, s1 = w.sum(), (w**2).sum()
        z[i] = (w @ flat - xbar * wi) / (s * math.sqrt((n * s1 - wi**2) / (n - 1)))
    return z.reshape(rows, cols)


def _grid_with_hotspot() -> np.ndarray:
    rng = np.random.default_rng(7)
    grid = rng.poisson(0.2, size=(30, 30)).astype(float)
    grid[10:13, 17:20] += 6  # the known hot spot: a 3x3 block of busy cells
    return grid


def test_gi_star_matches_the_textbook_formula():
    grid = _grid_with_hotspot()
    assert np.allclose(spatial.gi_star(grid, permutations=0).z, _gi_star_by_definition(grid))


def test_gi_star_finds_the_constructed_hotspot_and_little_else():
    grid = _grid_with_hotspot()
    gi = spatial.gi_star(grid, permutations=999)
    classes = spatial.classify(gi)
    assert classes[11, 18] == spatial.HOT99  # the centre of the block
    assert gi.p_sim[11, 18] == pytest.approx(1 / 1000)
    assert all(classes[r, c] != spatial.NOT_SIGNIFICANT for r in range(10, 13) for c in range(17, 20))
    hot = classes != spatial.NOT_SIGNIFICANT
    far = hot.copy()
    far[7:16, 14:23] = False  # away from the block (and the windows that touch it)
    assert far.sum() <= 0.06 * far.size  # chance alone: about 5 %
    assert classes[0, 0] == spatial.NOT_SIGNIFICANT


def test_gi_star_on_an_even_grid_finds_nothing():
    gi = spatial.gi_star(np.ones((10, 10)))
    assert not (spatial.classify(gi) != spatial.NOT_SIGNIFICANT).any()


def test_grid_puts_points_in_250_metre_cells():
    lat = np.array([33.70, 33.70, 33.7010, 33.80])
    lon = np.array([73.05, 73.05, 73.05, 73.10])
    grid = spatial.Grid.around(lat, lon)
    counts, outside = grid.counts(lat, lon)
    assert outside == 0 and counts.sum() == 4
    assert counts.max() == 2  # the two identical points share a cell; 111 m north may or may not
    assert 40 <= grid.rows <= 50  # 0.1 degree of latitude = 11.1 km = 45 cells (+2 margin)
    (s, w), (n, e) = grid.cell_bounds(0, 0)
    assert (n - s) * 111_195 == pytest.approx(250, rel=0.01)


def test_pai_and_hit_rate():
    hot = np.zeros((10, 10), dtype=bool)
    hot[0, :5] = True  # 5 % of the area
    following = np.zeros((10, 10))
    following[0, 0] = 6  # 6 of 20 offences fall in the hot spots
    following[5, 5] = 14
    ev = spatial.evaluate(hot, following)
    assert ev.hit_rate == pytest.approx(0.30)
    assert ev.area_share == pytest.approx(0.05)
    assert ev.pai == pytest.approx(6.0)
    assert spatial.evaluate(hot, np.zeros((10, 10))).pai is None  # nothing to catch
    assert spatial.evaluate(np.zeros((10, 10), dtype=bool), following).pai is None  # nothing flagged


BANDS = {"distance_bands": [(0, 100), (101, 400)], "day_bands": [(0, 7), (8, 30)]}


def _background(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return rng.uniform(0, 5000, n), rng.uniform(0, 5000, n), rng.integers(0, 365, n).astype(float)


def test_knox_finds_near_repeats_when_they_are_there():
    rng = np.random.default_rng(3)
    x, y, t = _background(rng, 150)
    # 40 repeats: each within 50 m and 3 days of an earlier offence.
    src = rng.integers(0, 150, 40)
    x = np.concatenate([x, x[src] + rng.uniform(-35, 35, 40)])
    y = np.concatenate([y, y[src] + rng.uniform(-35, 35, 40)])
    t = np.concatenate([t, t[src] + rng.integers(0, 4, 40)])
    table = {(c.distance, c.days): c for c in spatial.knox(x, y, t, shuffles=199, **BANDS)}
    close = table[((0, 100), (0, 7))]
    assert close.observed >= 40 and close.observed > 5 * close.expected
    assert close.p_value == pytest.approx(1 / 200)


def test_knox_finds_nothing_in_random_data():
    x, y, t = _background(np.random.default_rng(4), 300)
    cells = spatial.knox(x, y, t, shuffles=199, **BANDS)
    assert len(cells) == 4
    assert all(c.p_value > 0.01 for c in cells)
    close = next(c for c in cells if c.distance == (0, 100) and c.days == (0, 7))
    assert close.observed == pytest.approx(close.expected, abs=4 + close.expected)


def test_knox_with_no_close_pairs_has_an_empty_table():
    cells = spatial.knox(np.array([0.0, 10_000]), np.array([0.0, 0]), np.array([0.0, 1]), shuffles=19, **BANDS)
    assert [c.observed for c in cells] == [0, 0, 0, 0] and all(c.ratio is None for c in cells)


def test_permutation_p_values_agree_with_a_per_cell_permutation_loop():
    """The shared reference sets give the p-values a textbook per-cell permutation test gives (within chance)."""
    grid = _grid_with_hotspot()
    gi = spatial.gi_star(grid, permutations=999)
    rng = np.random.default_rng(11)
    flat = grid.ravel()
    for r, c in [(11, 18), (10, 16), (12, 21), (5, 5), (20, 3)]:
        window = [(r + dr, c + dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1) if 0 <= r + dr < 30 and 0 <= c + dc < 30]
        observed = sum(grid[i, j] for i, j in window)
        if observed == 0:
            continue
        others = np.delete(flat, r * 30 + c)
        sims = np.array([grid[r, c] + rng.permutation(others)[: len(window) - 1].sum() for _ in range(999)])
        extreme = (sims >= observed).sum() if gi.z[r, c] >= 0 else (sims <= observed).sum()
        assert gi.p_sim[r, c] == pytest.approx((extreme + 1) / 1000, abs=0.04), (r, c)
