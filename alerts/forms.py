"""Forms of the alert pages: the workflow steps and the vehicle look-up."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alerts.models import AlertOutcome, AlertStatus, SourceKind
from casp.text import DigitsCharField


class AlertNoteForm(forms.Form):
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)


class AlertCloseForm(forms.Form):
    """Close an alert: the outcome has no default, and the officer confirms that a close is final."""

    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[("", _("— choose the outcome —")), *AlertOutcome.choices],
        error_messages={"required": _("Choose the outcome: arrested, verified not the person, or false match.")},
    )
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    confirm = forms.BooleanField(
        label=_("I have checked the outcome; a closed alert cannot be reopened."),
        error_messages={"required": _("Tick the box to confirm the outcome; a close cannot be undone.")},
    )


class InboxFilterForm(forms.Form):
    source = forms.ChoiceField(label=_("source"), choices=[("", _("All sources")), *SourceKind.choices], required=False)
    status = forms.ChoiceField(label=_("status"), choices=[("", _("All")), *AlertStatus.choices], required=False)


class VehicleCheckForm(forms.Form):
    """Look a vehicle up by any of its numbers (Urdu digits accepted); at least one is needed."""

    registration = DigitsCharField(label=_("registration number"), max_length=30, required=False)
    chassis = DigitsCharField(label=_("chassis number"), max_length=40, required=False)
    engine = DigitsCharField(label=_("engine number"), max_length=40, required=False)

    def clean(self) -> dict:
        data = super().clean()
        if not any(data.get(k) for k in ("registration", "chassis", "engine")):
            raise forms.ValidationError(_("Give the registration, chassis or engine number."))
        return data
