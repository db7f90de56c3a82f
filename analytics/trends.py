"""Weekly and monthly series of FIRs with a seasonal decomposition (STL) and the weeks or months that stand out.

A series counts FIRs by the day the offence was reported to the police
(``reported_at``, written in the FIR; the same day as registration but for
entries made late), in Pakistan time, over whole weeks (Monday to Sunday) or whole months
inside the period. With at least two seasonal cycles (104 weeks, 24 months)
statsmodels' robust STL splits it into trend, season and remainder; the
expectation of a week is trend + season, and a week stands out when its
remainder is more than THRESHOLD standard deviations away from it (see
``decompose`` for how a spike is kept from explaining itself). With fewer
cycles there is no season to remove: the expectation is a 9-point rolling
median, and the page says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db.models import Count
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils.translation import gettext as _
from statsmodels.tsa.seasonal import STL

from analytics.spatial_selectors import Area, OffenceFilter, area_firs, day_bounds

THRESHOLD = 3.0
WEEK, MONTH = "week", "month"
SEASON = {WEEK: 52, MONTH: 12}


@dataclass(frozen=True)
class Point:
    start: dt.date
    count: int
    expected: float
    deviations: float  # (count - expected) / robust standard deviation; 0 when the spread is 0
    flagged: bool
    seasonal: bool = True  # False: the expectation is a rolling median, not trend + season

    @property
    def reason(self) -> str:
        if not self.flagged:
            return ""
        n = f"{abs(self.deviations):.1f}"
        if not self.seasonal:
            if self.deviations > 0:
                return _("%(n)s standard deviations above the median of the periods around it") % {"n": n}
            return _("%(n)s standard deviations below the median of the periods around it") % {"n": n}
        if self.deviations > 0:
            return _("%(n)s standard deviations above the seasonal expectation") % {"n": f"{self.deviations:.1f}"}
        return _("%(n)s standard deviations below the seasonal expectation") % {"n": f"{-self.deviations:.1f}"}


@dataclass(frozen=True)
class Series:
    step: str  # WEEK or MONTH
    points: list[Point]
    seasonal: bool  # False: too short for STL; compared with the median

    @property
    def flagged(self) -> list[Point]:
        return [p for p in self.points if p.flagged]

    @property
    def total(self) -> int:
        return sum(p.count for p in self.points)


def whole_steps(date_from: dt.date, date_to: dt.date, step: str) -> list[dt.date]:
    """Return the first days of the whole weeks (Mondays) or whole months inside the period."""
    starts = []
    if step == WEEK:
        day = date_from + dt.timedelta(days=(7 - date_from.weekday()) % 7)
        while day + dt.timedelta(days=6) <= date_to:
            starts.append(day)
            day += dt.timedelta(days=7)
        return starts
    day = date_from if date_from.day == 1 else _next_month(date_from.replace(day=1))
    while _next_month(day) - dt.timedelta(days=1) <= date_to:
        starts.append(day)
        day = _next_month(day)
    return starts


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def counts(area: Area, offences: OffenceFilter, starts: list[dt.date], step: str) -> list[int]:
    """Return the FIRs reported in each week or month starting at ``starts`` (one GROUP BY query)."""
    if not starts:
        return []
    end = starts[-1] + dt.timedelta(days=6) if step == WEEK else _next_month(starts[-1]) - dt.timedelta(days=1)
    lo, hi = day_bounds(starts[0], end)
    trunc = TruncWeek("reported_at") if step == WEEK else TruncMonth("reported_at")
    rows = (
        area_firs(area, offences)
        .filter(reported_at__gte=lo, reported_at__lt=hi)
        .annotate(bucket=trunc)
        .values("bucket")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_start = {row["bucket"].date(): row["n"] for row in rows}
    return [by_start.get(start, 0) for start in starts]


def _rolling_median(y: np.ndarray, half: int = 4) -> np.ndarray:
    return np.array([np.median(y[max(0, i - half) : i + half + 1]) for i in range(len(y))])


def decompose(values: list[int], period: int) -> tuple[np.ndarray, np.ndarray, bool]:
    """Return each value's expectation, its distance from it in standard deviations, and whether STL was used.

    With only two or three cycles, STL's seasonal smoother follows a one-off
    spike (each week of the year has two or three values), so the spike would
    explain itself. The series is first clipped to 3 Poisson standard
    deviations around a 9-point rolling median; STL (robust) runs on the
    clipped series; the distance of the real value from trend + season is
    then measured in the larger of the remainder's robust standard deviation
    (1.4826 x MAD) and the Poisson one (sqrt of the expectation), since counts
    of a few a week vary by that much by chance alone.
    """
    y = np.asarray(values, dtype=float)
    if not len(y):
        return y, y, False
    base = _rolling_median(y)
    band = 3 * np.sqrt(np.maximum(base, 1))
    clipped = np.clip(y, np.maximum(base - band, 0), base + band)
    seasonal = len(y) >= 2 * period + 1
    if seasonal:
        fit = STL(clipped, period=period, robust=True).fit()
        expected = np.maximum(np.asarray(fit.trend + fit.seasonal), 0)
    else:
        expected = base
    rest = clipped - expected
    mad = 1.4826 * float(np.median(np.abs(rest - np.median(rest))))
    spread = np.maximum(mad, np.sqrt(np.maximum(expected, 1)))
    return expected, (y - expected) / spread, seasonal


def series_build(starts: list[dt.date], values: list[int], step: str) -> Series:
    expected, deviations, seasonal = decompose(values, SEASON[step])
    points = [
        Point(start, count, float(exp), float(dev), bool(abs(dev) > THRESHOLD), seasonal)
        for start, count, exp, dev in zip(starts, values, expected, deviations, strict=True)
    ]
    return Series(step, points, seasonal)


def trend_series(area: Area, offences: OffenceFilter, date_from: dt.date, date_to: dt.date, step: str) -> Series:
    starts = whole_steps(date_from, date_to, step)
    return series_build(starts, counts(area, offences, starts, step), step)
