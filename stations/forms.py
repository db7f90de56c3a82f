"""Forms built from a register's declaration: one form class serves every register."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casp.cnic import CNICFormField
from casp.dates import OFFENCE, SEARCH, DateRangesMixin
from casp.text import DigitsCharField, DigitsIntegerField
from stations.columns import column_python, register_data_clean
from stations.models import DiaryKind, PoliceStation
from stations.registers import (
    CHOICE,
    CNIC,
    DATE,
    DATETIME,
    DECIMAL,
    FIR_REFERENCE,
    INTEGER,
    TEXTAREA,
    Column,
    Register,
)


def _field(column: Column) -> forms.Field:
    common: dict[str, Any] = {"label": column.label, "required": column.required}
    if column.kind == TEXTAREA:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=column.max_length, **common)
    if column.kind == DATE:
        attrs = {"type": "date"} if column.future_allowed else {"type": "date", "max": timezone.localdate().isoformat()}
        return forms.DateField(widget=forms.DateInput(attrs=attrs, format="%Y-%m-%d"), **common)
    if column.kind == DATETIME:
        widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
        return forms.DateTimeField(widget=widget, **common)
    if column.kind == FIR_REFERENCE:
        return DigitsCharField(
            max_length=column.max_length,
            help_text=_("number/year of an FIR of this station, e.g. 12/2026"),
            widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
            **common,
        )
    if column.kind == INTEGER:
        return DigitsIntegerField(min_value=0, **common)
    if column.kind == DECIMAL:
        return forms.DecimalField(min_value=0, max_digits=14, decimal_places=2, **common)
    if column.kind == CNIC:
        return CNICFormField(**common)
    if column.kind == CHOICE:
        return forms.ChoiceField(choices=[("", "---------"), *column.choices], **common)
    return forms.CharField(max_length=column.max_length, **common)


class RegisterEntryForm(forms.Form):
    """The columns of ``register``, plus the diary's kind and hour received where it has them.

    ``clean`` applies the register's column rules (stations.columns) to what
    parsed, the same rules the service applies again when it saves.
    """

    def __init__(self, *args: Any, register: Register, station: PoliceStation, **kwargs: Any) -> None:
        if kwargs.get("initial"):
            columns = {c.name: c for c in register.columns}
            kwargs["initial"] = {
                k: column_python(columns[k], v) if k in columns else v for k, v in kwargs["initial"].items()
            }
        super().__init__(*args, **kwargs)
        self.register = register
        self.station = station
        if register.has_kind:
            self.fields["kind"] = forms.ChoiceField(
                label=_("kind"),
                choices=[
                    (DiaryKind.GENERAL, DiaryKind.GENERAL.label),
                    (DiaryKind.DEPARTURE, DiaryKind.DEPARTURE.label),
                    (DiaryKind.RETURN, DiaryKind.RETURN.label),
                ],
                initial=DiaryKind.GENERAL,
            )
        if register.has_received_at:
            self.fields["received_at"] = forms.DateTimeField(
                label=_("hour the information arrived"),
                required=False,
                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                help_text=_("Leave empty if it is the hour of this entry."),
                # An FIR's report or an arrest may be entered long after; never in the future.
                validators=[OFFENCE.validator(_("hour the information arrived"))],
            )
        for column in register.columns:
            self.fields[column.name] = _field(column)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            register_data_clean(self.register, self.column_data(), station=self.station)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                if name not in self.errors:
                    self.add_error(name, messages)
        return data

    def column_data(self) -> dict[str, Any]:
        return {c.name: self.cleaned_data.get(c.name) for c in self.register.columns}


class RegisterCorrectionForm(RegisterEntryForm):
    """The columns again, prefilled, with the reason the rules require for a correction."""

    correction_reason = forms.CharField(
        label=_("reason for correction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Give the reason for the correction; the rules forbid silent changes.")},
    )

    def __init__(self, *args: Any, register: Register, station: PoliceStation, **kwargs: Any) -> None:
        super().__init__(*args, register=register, station=station, **kwargs)
        self.fields.pop("kind", None)
        self.fields.pop("received_at", None)
        self.fields["correction_reason"] = self.fields.pop("correction_reason")  # last


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for voiding"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Give the reason for voiding the entry.")},
    )


class RegisterSearchForm(DateRangesMixin, forms.Form):
    date_ranges = {"date_from": SEARCH, "date_to": SEARCH}
    q = DigitsCharField(label=_("search"), required=False, max_length=100)
    year = DigitsIntegerField(label=_("year"), required=False, min_value=1900, max_value=2100)
    date_from = forms.DateField(label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    hide_void = forms.BooleanField(label=_("hide void entries"), required=False)
