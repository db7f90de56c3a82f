"""Weeks (Monday to Sunday) and the periods a CompStat report compares."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


def week_start(day: dt.date) -> dt.date:
    """Return the Monday of ``day``'s week (weeks run Monday to Sunday)."""
    return day - dt.timedelta(days=day.weekday())


def week_end(day: dt.date) -> dt.date:
    """Return the Sunday of ``day``'s week."""
    return week_start(day) + dt.timedelta(days=6)


def year_earlier(day: dt.date) -> dt.date:
    """Return the same calendar day a year before (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def month_start(day: dt.date) -> dt.date:
    """Return the first day of ``day``'s month."""
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    """Return the first day of the month after ``month``."""
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def months_of(start: dt.date, end: dt.date) -> set[dt.date]:
    """Return the first days of the months that ``start``..``end`` touches."""
    months, month = set(), month_start(start)
    while month <= end:
        months.add(month)
        month = next_month(month)
    return months


@dataclass(frozen=True)
class Period:
    key: str
    start: dt.date
    end: dt.date
    base_start: dt.date
    base_end: dt.date


def compstat_periods(as_of: dt.date, *, week: dt.date) -> list[Period]:
    """Return week-to-date, the last 28 days and year-to-date ending ``as_of``, each with its base a year earlier.

    The week and the 28 days are compared with the same weekdays 52 weeks (364 days) earlier, so a
    Monday is compared with a Monday; the year-to-date with 1 January to the same date of the year before.
    """
    ws = week_start(week)
    weeks52 = dt.timedelta(days=364)
    start28 = as_of - dt.timedelta(days=27)
    jan1 = as_of.replace(month=1, day=1)
    return [
        Period("week", ws, as_of, ws - weeks52, as_of - weeks52),
        Period("28d", start28, as_of, start28 - weeks52, as_of - weeks52),
        Period("ytd", jan1, as_of, jan1.replace(year=jan1.year - 1), year_earlier(as_of)),
    ]


def custom_period(start: dt.date, end: dt.date) -> list[Period]:
    """Return one period ``start``..``end`` against the same dates a year earlier."""
    return [Period("custom", start, end, year_earlier(start), year_earlier(end))]


def percent_change(current: int, base: int) -> float | None:
    """Return the change from ``base`` to ``current`` in percent, or None when the base is zero (shown "n/a")."""
    if base == 0:
        return None
    return round(100.0 * (current - base) / base, 1)
