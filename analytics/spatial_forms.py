"""Filters of the map, near-repeat and trend pages: a period, an offence, bands. Validation only."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics.spatial_selectors import NEAR_REPEAT_OFFENCES, OffenceFilter, near_repeat_filter
from casp.dates import OFFENCE, DateRangesMixin
from casp.text import DigitsCharField
from fir.models import Section

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_PERIOD_DAYS = 366 * 5


class PeriodForm(DateRangesMixin, forms.Form):
    """A period of whole days, ``date_from`` to ``date_to`` inclusive, not in the future."""

    date_ranges = {"date_from": OFFENCE, "date_to": OFFENCE}
    date_from = forms.DateField(label=_("from"), widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("to"), widget=DATE_WIDGET)
    default_days = 365

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        today = timezone.localdate()
        initial = {"date_from": today - dt.timedelta(days=self.default_days - 1), "date_to": today}
        if data is not None and not any(data.get(name) for name in self.base_fields):
            data = None  # a first visit: the defaults, unbound
        super().__init__(data, initial=initial, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if end < start:
                self.add_error("date_to", _("The end of the period (to) cannot be before its start (from)."))
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("date_to", _("Choose a period of at most five years."))
        return data

    def period(self) -> tuple[dt.date, dt.date]:
        """Return the valid period, or the defaults on a first visit."""
        if self.is_bound:
            return self.cleaned_data["date_from"], self.cleaned_data["date_to"]
        return self.initial["date_from"], self.initial["date_to"]


class HotspotForm(PeriodForm):
    section = forms.ModelChoiceField(
        label=_("offence (section)"),
        queryset=Section.objects.filter(is_active=True),
        required=False,
        empty_label=_("every offence"),
    )

    def offences(self) -> OffenceFilter:
        section = self.cleaned_data.get("section") if self.is_bound else None
        return OffenceFilter((section,), str(section)) if section else OffenceFilter()


BAND = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*$")


def _bands(text: str, *, upper: float, unit: str) -> list[tuple[float, float]]:
    bands = []
    for part in [p for p in text.split(",") if p.strip()]:
        match = BAND.match(part)
        if not match:
            raise forms.ValidationError(
                _("Write each band as two numbers with a dash, separated by commas, e.g. %(example)s."),
                params={"example": "0-100, 101-200"},
            )
        lo, hi = float(match[1]), float(match[2])
        if hi < lo:
            raise forms.ValidationError(_("In the band %(band)s the end is below the start."), params={"band": part})
        if hi > upper:
            raise forms.ValidationError(
                _("Bands end at %(upper)s %(unit)s at most."), params={"upper": int(upper), "unit": unit}
            )
        bands.append((lo, hi))
    if not bands or len(bands) > 6:
        raise forms.ValidationError(_("Give one to six bands."))
    ordered = sorted(bands)
    if any(b[0] <= a[1] for a, b in zip(ordered, ordered[1:], strict=False)):
        raise forms.ValidationError(_("The bands overlap: each must start after the previous one ends."))
    return ordered


class NearRepeatForm(PeriodForm):
    offence = forms.ChoiceField(
        label=_("offence"), choices=[(k, label) for k, (label, _n) in NEAR_REPEAT_OFFENCES.items()]
    )
    distance_bands = DigitsCharField(
        label=_("distance bands (metres)"),
        initial="0-100, 101-200, 201-400, 401-800",
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    day_bands = DigitsCharField(
        label=_("time bands (days)"),
        initial="0-7, 8-14, 15-30, 31-60",
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    shuffles = forms.IntegerField(
        label=_("Monte Carlo shuffles"), initial=99, min_value=19, max_value=999, widget=forms.NumberInput()
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        for name in ("offence", "distance_bands", "day_bands", "shuffles"):
            self.initial.setdefault(name, self.fields[name].initial or "burglary")

    def clean_distance_bands(self) -> list[tuple[float, float]]:
        return _bands(self.cleaned_data["distance_bands"], upper=5000, unit="m")

    def clean_day_bands(self) -> list[tuple[float, float]]:
        return _bands(self.cleaned_data["day_bands"], upper=365, unit=str(_("days")))

    def choices(self) -> dict[str, Any]:
        """Return the valid choices, or the defaults on a first visit."""
        if self.is_bound:
            data = self.cleaned_data
        else:
            data = {name: self.fields[name].initial for name in ("distance_bands", "day_bands", "shuffles")}
            data["offence"] = "burglary"
            data["distance_bands"] = _bands(data["distance_bands"], upper=5000, unit="m")
            data["day_bands"] = _bands(data["day_bands"], upper=365, unit="days")
        return {**data, "offences": near_repeat_filter(data["offence"])}
