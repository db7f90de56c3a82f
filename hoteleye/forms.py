"""Validation and normalisation of hotels, staff, check-ins, companions, CSV batches and alert steps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alerts.models import AlertOutcome
from casp.bidi import ltr_text
from casp.cnic import EXAMPLE
from casp.dates import BIRTH, CHECK_IN, CHECK_OUT, DateRangesMixin
from casp.models import User
from casp.phone import PhoneFormField
from casp.text import DigitsCharField
from casp.uploads import process_image
from hoteleye.models import (
    CHECKIN_FIELDS,
    COMPANION_FIELDS,
    CheckIn,
    Companion,
    GuestType,
    Hotel,
)

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HotelForm(forms.ModelForm):
    class Meta:
        model = Hotel
        fields = ["name", "code", "licence_number", "address", "station", "latitude", "longitude", "rooms"]

    def __init__(self, *args: Any, stations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations.select_related("district").order_by("name")
        self.fields["station"].help_text = _("The station whose jurisdiction holds the hotel.")

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class HotelStaffForm(forms.Form):
    username = forms.CharField(label=_("username"), max_length=150)
    first_name = forms.CharField(label=_("first name"), max_length=150)
    last_name = forms.CharField(label=_("last name"), max_length=150, required=False)
    phone = PhoneFormField(label=_("phone"), required=False)
    password = forms.CharField(label=_("password"), widget=forms.PasswordInput, strip=False)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("The username “%(username)s” is taken."), params={"username": username})
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password") and data.get("username"):
            try:
                validate_password(data["password"], User(username=data["username"]))
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


def _clean_identity(form: forms.BaseForm, data: dict[str, Any], *, document_required: bool = True) -> None:
    guest_type = data.get("guest_type")
    if guest_type == GuestType.PAKISTANI:
        if not data.get("cnic") and document_required and "cnic" not in form.errors:
            message = _("A Pakistani guest needs a CNIC (13 digits, e.g. %(example)s).")
            form.add_error("cnic", message % {"example": ltr_text(EXAMPLE)})
        data["passport_number"] = data.get("passport_number", "")
    elif guest_type == GuestType.FOREIGNER:
        if not data.get("passport_number"):
            form.add_error("passport_number", _("A foreign guest needs a passport number."))
        if not data.get("nationality"):
            form.add_error("nationality", _("Enter the nationality that issued the passport."))
        data["cnic"] = None
    if data.get("passport_number"):
        data["passport_number"] = data["passport_number"].replace(" ", "").upper()


class CheckInForm(DateRangesMixin, forms.ModelForm):
    # The form serves the hotel's desk, its CSV list and its software (the API): the same rules for all three.
    date_ranges = {"checked_in_at": CHECK_IN, "date_of_birth": BIRTH}
    phone = PhoneFormField(label=_("phone"), mobile_only=False, required=False)
    photo = forms.FileField(
        label=_("photo"),
        required=False,
        help_text=_("Take it with the camera or upload a JPEG, PNG or WebP of at most 10 MB."),
    )

    class Meta:
        model = CheckIn
        fields = list(CHECKIN_FIELDS)
        widgets = {"checked_in_at": DATETIME_INPUT, "date_of_birth": DATE_INPUT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photo"].widget.attrs.update({"accept": "image/jpeg,image/png,image/webp", "capture": "user"})
        self.fields["checked_in_at"].help_text = _("Local time; entries more than 3 hours late are flagged.")
        if not self.is_bound:
            self.initial.setdefault("guest_type", GuestType.PAKISTANI)
            self.initial.setdefault("checked_in_at", timezone.localtime().replace(second=0, microsecond=0))

    def clean_photo(self) -> Any:
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        return process_image(upload)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _clean_identity(self, data)
        return data

    def validate_unique(self) -> None:
        # The service checks the constraints that involve the hotel (which the form does not carry)
        # and the database enforces them; the form's own checks above give the field-level messages.
        return None


class CompanionForm(DateRangesMixin, forms.ModelForm):
    date_ranges = {"date_of_birth": BIRTH}

    class Meta:
        model = Companion
        fields = list(COMPANION_FIELDS)
        widgets = {"date_of_birth": DATE_INPUT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["relation"].help_text = _("Required for a minor, e.g. son, daughter, niece.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        minor = bool(data.get("is_minor"))
        _clean_identity(self, data, document_required=not minor)
        if minor and not (data.get("relation") or "").strip():
            self.add_error("relation", _("A minor must have their relation to the adult guest."))
        return data

    def validate_unique(self) -> None:
        return None


CompanionFormSet = forms.formset_factory(CompanionForm, extra=2, max_num=20, validate_max=True)


class CheckOutForm(DateRangesMixin, forms.Form):
    date_ranges = {"checked_out_at": CHECK_OUT}
    checked_out_at = forms.DateTimeField(
        label=_("check-out time"),
        required=False,
        widget=DATETIME_INPUT,
        help_text=_("Leave empty to record the check-out at the present time."),
    )


class GuestSearchForm(forms.Form):
    q = DigitsCharField(label=_("Search"), required=False, max_length=100)
    open_only = forms.BooleanField(label=_("Only guests staying now"), required=False)


class CsvUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("One row per guest; the first row names the columns."))

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError(_("The file is larger than 5 MB; split the day's list into several files."))
        raw = upload.read()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The file is not UTF-8 text; save it as “CSV UTF-8”.")) from None


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


def errors_json(form: forms.BaseForm) -> dict[str, list[str]]:
    """Return the form's errors as ``{"field": ["message", ...]}``."""
    return {field: [e["message"] for e in errs] for field, errs in form.errors.get_json_data().items()}
