"""Forms built from a register's declaration: one form class serves every register."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casp.cnic import CNICFormField
from casp.text import DigitsCharField
from stations.models import DiaryKind
from stations.registers import CHOICE, CNIC, DATE, DATETIME, DECIMAL, FIR_REF, INTEGER, TEXTAREA, Column, Register


def _field(column: Column) -> forms.Field:
    common: dict[str, Any] = {"label": column.label, "required": column.required}
    if column.kind == TEXTAREA:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=column.max_length, **common)
    if column.kind == DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if column.kind == DATETIME:
        return forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **common)
    if column.kind == INTEGER:
        return forms.IntegerField(min_value=0, **common)
    if column.kind == DECIMAL:
        return forms.DecimalField(min_value=0, max_digits=14, decimal_places=2, **common)
    if column.kind == CNIC:
        return CNICFormField(**common)
    if column.kind == CHOICE:
        return forms.ChoiceField(choices=[("", "---------"), *column.choices], **common)
    if column.name == FIR_REF.name:
        return DigitsCharField(max_length=column.max_length, **common)
    return forms.CharField(max_length=column.max_length, **common)


class RegisterEntryForm(forms.Form):
    """The columns of ``register``, plus the diary's kind and hour received where it has them."""

    def __init__(self, *args: Any, register: Register, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.register = register
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
            )
        for column in register.columns:
            self.fields[column.name] = _field(column)

    def clean_received_at(self) -> Any:
        value = self.cleaned_data.get("received_at")
        if value and value > timezone.now():
            raise forms.ValidationError(_("The hour the information arrived cannot be in the future."))
        return value

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

    def __init__(self, *args: Any, register: Register, **kwargs: Any) -> None:
        super().__init__(*args, register=register, **kwargs)
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


class RegisterSearchForm(forms.Form):
    q = DigitsCharField(label=_("search"), required=False, max_length=100)
    year = forms.IntegerField(label=_("year"), required=False, min_value=1900, max_value=2100)
    date_from = forms.DateField(label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    hide_void = forms.BooleanField(label=_("hide void entries"), required=False)
