"""Validation and normalisation of CRO input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casp.dates import BIRTH, LEGAL_EVENT, DateRangesMixin
from casp.text import DigitsCharField, normalize_digits
from cro.models import STATUS_DATES, CriminalRecord, PhotoKind
from cro.services import RECORD_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


class RecordForm(DateRangesMixin, forms.ModelForm):
    date_ranges = {"date_of_birth": BIRTH, **dict.fromkeys(STATUS_DATES, LEGAL_EVENT)}
    aliases = forms.CharField(
        label=_("Aliases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One alias per line."),
    )
    confirm_new = forms.BooleanField(
        label=_("I have checked the possible duplicates; this is a different person."), required=False
    )

    class Meta:
        model = CriminalRecord
        fields = list(RECORD_FIELDS)
        widgets = dict.fromkeys(("date_of_birth", *STATUS_DATES), DATE_WIDGET) | {
            "permanent_address": forms.Textarea(attrs={"rows": 2}),
            "present_address": forms.Textarea(attrs={"rows": 2}),
            "identification_marks": forms.Textarea(attrs={"rows": 2}),
            "modus_operandi": forms.Textarea(attrs={"rows": 2}),
            "caution": forms.Textarea(attrs={"rows": 2}),
        }  # fmt: skip

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cnic"].required = False
        self.fields["wanted_by_station"].queryset = self.fields["wanted_by_station"].queryset.select_related("district")
        if self.instance.pk:
            del self.fields["confirm_new"]
            self.initial["aliases"] = "\n".join(self.instance.aliases.values_list("name", flat=True))

    def clean_wanted_fir_number(self) -> str:
        return normalize_digits(self.cleaned_data.get("wanted_fir_number", ""))

    def clean_cnic(self) -> object:
        value = self.cleaned_data.get("cnic")
        return value or None

    def clean(self) -> dict:
        data = super().clean()
        if data.get("is_wanted") and not (data.get("wanted_by_station") or data.get("wanted_fir_number")):
            self.add_error("wanted_by_station", _("Say which station wants the person, or in which FIR."))
        return data

    def validate_unique(self) -> None:
        # A CNIC that already has a record is handled by the view (it leads to that record).
        exclude = self._get_validation_exclusions()
        exclude.add("cnic")
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as exc:
            self._update_errors(exc)

    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("aliases", "").splitlines() if line.strip()]

    def record_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in RECORD_FIELDS if f in self.cleaned_data}


class SearchForm(DateRangesMixin, forms.Form):
    date_ranges = {"date_of_birth": BIRTH}
    q = DigitsCharField(
        label=_("CNIC or name"),
        max_length=150,
        help_text=_("A CNIC in any format, or a name in English or Urdu letters."),
    )
    father_name = forms.CharField(label=_("Father's name"), max_length=150, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DATE_WIDGET)


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo"), help_text=_("JPEG, PNG or WebP, at most 10 MB and 40 megapixels."))
    kind = forms.ChoiceField(label=_("Kind"), choices=PhotoKind.choices, initial=PhotoKind.FRONT)


class FingerprintForm(DateRangesMixin, forms.Form):
    date_ranges = {"taken_on": LEGAL_EVENT}
    scan = forms.FileField(label=_("Fingerprint card scan"), help_text=_("JPEG, PNG or WebP, at most 10 MB."))
    taken_on = forms.DateField(label=_("Taken on"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class FaceSearchForm(forms.Form):
    photo = forms.FileField(label=_("Photo"), help_text=_("A photo showing one face: JPEG, PNG or WebP."))


class MergeForm(forms.Form):
    duplicate = forms.IntegerField(
        label=_("Duplicate record number"),
        min_value=1,
        help_text=_("The record to merge into this one; it will point here and keep its history."),
    )
    confirm = forms.BooleanField(label=_("I have compared both records and they are the same person."))
