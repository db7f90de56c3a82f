"""Dates and times as CASP shows them: day-month-year, 24-hour, Pakistan Standard Time, in both languages.

The per-language modules (en/, ur/) are Django's FORMAT_MODULE_PATH; these helpers are for text built
in Python (``__str__``, messages), which templates' ``|date`` does not reach."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone


def datetime_text(value: dt.datetime) -> str:
    """Return ``value`` in Pakistan Standard Time as DATETIME_FORMAT (e.g. ``30-11-2026 14:05``)."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")


def date_text(value: dt.date) -> str:
    """Return ``value`` as DATE_FORMAT (e.g. ``30-11-2026``); an aware datetime is first put in local time."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATE_FORMAT")
