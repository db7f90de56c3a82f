"""Validation and normalisation of registrations: the public form, its people, the CSV batch and the search."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casp.bidi import ltr_text
from casp.cnic import EXAMPLE, CNICFormField
from casp.dates import BIRTH, DateRangesMixin
from casp.phone import PhoneFormField
from casp.text import normalize_digits
from casp.throttle import HoneypotMixin
from casp.uploads import process_image
from registrations.models import START, VISA_EXPIRY, Kind
from stations.models import PoliceStation

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# ICAO machine-readable passports: 6 to 9 letters and digits; some countries' older books up to 12.
PASSPORT = re.compile(r"^[A-Z0-9]{6,12}$")
MAX_OCCUPANTS = 10


def passport_normalise(value: str) -> str:
    """Return a passport number in stored form (Latin digits, upper case, no spaces or dashes); "" stays ""."""
    return re.sub(r"[\s\-]", "", normalize_digits(value or "")).upper()


class PersonForm(DateRangesMixin, forms.Form):
    """A registered person: a CNIC, or a passport with nationality for a foreigner; name, parentage, birth, photo."""

    date_ranges = {"date_of_birth": BIRTH, "visa_expiry": VISA_EXPIRY}
    cnic = CNICFormField(required=False)
    passport_number = forms.CharField(
        label=_("passport number"), max_length=30, required=False, help_text=_("For a foreigner, instead of a CNIC.")
    )
    nationality = forms.CharField(label=_("nationality"), max_length=60, required=False)
    name = forms.CharField(label=_("name"), max_length=120)
    father_name = forms.CharField(label=_("father's name"), max_length=120)
    date_of_birth = forms.DateField(label=_("date of birth"), widget=DATE_INPUT)
    photo = forms.FileField(
        label=_("photo"), required=False, help_text=_("A JPEG, PNG or WebP of the face, at most 10 MB.")
    )
    visa_type = forms.CharField(label=_("visa type"), max_length=40, required=False)
    visa_expiry = forms.DateField(label=_("visa expiry"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, kind: str = Kind.TENANT, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["photo"].widget.attrs.update({"accept": "image/jpeg,image/png,image/webp"})
        if kind == Kind.FOREIGNER:
            for name in ("passport_number", "nationality", "visa_type", "visa_expiry"):
                self.fields[name].required = True
            del self.fields["cnic"]

    def clean_passport_number(self) -> str:
        value = passport_normalise(self.cleaned_data.get("passport_number", ""))
        if value and not PASSPORT.match(value):
            raise ValidationError(_("A passport number is 6 to 12 letters and digits, e.g. AB1234567."))
        return value

    def clean_photo(self) -> Any:
        upload = self.cleaned_data.get("photo")
        return process_image(upload) if upload else None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        has_cnic = bool(data.get("cnic"))
        if not has_cnic and "cnic" not in self.errors and "passport_number" not in self.errors:
            if not data.get("passport_number"):
                message = _("Enter a CNIC (13 digits, e.g. %(example)s) or, for a foreigner, a passport number.")
                self.add_error("cnic" if "cnic" in self.fields else "passport_number",
                               message % {"example": ltr_text(EXAMPLE)})  # fmt: skip
            elif not data.get("nationality"):
                self.add_error("nationality", _("Enter the nationality that issued the passport."))
        if has_cnic:
            data["passport_number"], data["nationality"] = "", ""
        return data


class BaseOccupantFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "use_required_attribute": False}


OccupantFormSet = forms.formset_factory(
    PersonForm, formset=BaseOccupantFormSet, extra=1, max_num=MAX_OCCUPANTS, validate_max=True
)


class RegistrationForm(HoneypotMixin, DateRangesMixin, forms.Form):
    """The registrant and the place: landlord or employer, address with its station, start date."""

    date_ranges = {"start_date": START}
    registrant_name = forms.CharField(label=_("your name (landlord, estate agent or employer)"), max_length=120)
    registrant_cnic = CNICFormField(label=_("your CNIC"))
    registrant_phone = PhoneFormField(label=_("your mobile number"))
    address = forms.CharField(label=_("address"), max_length=255)
    station = forms.ModelChoiceField(
        label=_("police station of the address"), queryset=PoliceStation.objects.order_by("name")
    )
    home_address = forms.CharField(label=_("worker's home address"), max_length=255, required=False)
    home_station = forms.ModelChoiceField(
        label=_("police station of the worker's home"),
        queryset=PoliceStation.objects.order_by("name"),
        required=False,
    )
    start_date = forms.DateField(label=_("start date"), widget=DATE_INPUT)

    def __init__(self, *args: Any, kind: str = Kind.TENANT, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["address"].label = {
            Kind.TENANT: _("address of the rented property"),
            Kind.FOREIGNER: _("address where the foreigner stays"),
        }.get(kind, _("address of work"))
        if kind in (Kind.SERVANT, Kind.EMPLOYEE):
            self.fields["home_address"].required = self.fields["home_station"].required = True
        else:
            del self.fields["home_address"], self.fields["home_station"]
        self.fields["start_date"].help_text = _(
            "The day the tenancy or work began; not more than a month ahead. Over 48 hours late is recorded."
        )


class CsvUploadForm(HoneypotMixin, forms.Form):
    registrant_name = forms.CharField(label=_("your name (estate agent or employer)"), max_length=120)
    registrant_cnic = CNICFormField(label=_("your CNIC"))
    registrant_phone = PhoneFormField(label=_("your mobile number"))
    kind = forms.ChoiceField(label=_("kind"), choices=Kind.choices)
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8, first row naming the columns; at most 2 MB."))

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 2 MB; split it into smaller files."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The file is not UTF-8 text; save it as “CSV UTF-8”.")) from None


class SearchForm(forms.Form):
    q = forms.CharField(label=_("CNIC, passport, name or address"), max_length=120, required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=[("", _("All kinds")), *Kind.choices], required=False)
    active = forms.BooleanField(label=_("active only"), required=False)

    def clean_q(self) -> str:
        return normalize_digits(self.cleaned_data.get("q", "")).strip()


class EndForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=500, required=False)
