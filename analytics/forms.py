"""The report's period: a week (any day of it), or a period from one date to another."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casp.dates import SEARCH, DateRangesMixin


class PeriodForm(DateRangesMixin, forms.Form):
    date_ranges = {"week": SEARCH, "start": SEARCH, "end": SEARCH}

    week = forms.DateField(
        label=_("Week containing"),
        required=False,
        help_text=_("Any day of the week (Monday to Sunday)."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    start = forms.DateField(label=_("Period from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Period to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    basis = forms.ChoiceField(
        label=_("Figures"),
        required=False,
        choices=[("frozen", _("As recorded (finished weeks frozen)")), ("live", _("Live (today's corrections)"))],
    )

    def clean(self) -> dict:
        data = super().clean()
        today = timezone.localdate()
        week, start, end = data.get("week"), data.get("start"), data.get("end")
        if week and week - dt.timedelta(days=week.weekday()) > today:
            self.add_error("week", _("That week has not begun yet: choose a week up to the current one."))
        if bool(start) != bool(end):
            self.add_error("end" if start else "start", _("Give both the start and the end of the period."))
        if start and end:
            if end < start:
                self.add_error("end", _("The period ends before it starts: the end must be on or after the start."))
            elif end > today:
                self.add_error("end", _("The period ends in the future: the end must be today or earlier."))
        return data
