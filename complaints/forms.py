"""Forms of the public portal and the officers' workflow: validation and normalisation only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casp.bidi import ltr_format_lazy
from casp.cnic import CNICFormField
from casp.dates import OFFENCE, SEARCH, DateRangesMixin
from casp.phone import PHONE_EXAMPLE, PhoneFormField
from casp.text import DigitsCharField
from complaints.files import MAX_FILES, PreparedFile, attachment_prepare
from complaints.models import Category, Status
from stations.models import District, PoliceStation


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to five files, each checked to be the image or PDF its name says (see complaints.files)."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": ".jpg,.jpeg,.png,.webp,.pdf", "multiple": True})

    def clean(self, data: Any, initial: Any = None) -> list[PreparedFile]:
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > MAX_FILES:
            raise ValidationError(
                _("Attach at most %(max)d files; you chose %(count)d."),
                code="too_many",
                params={"max": MAX_FILES, "count": len(files)},
            )
        prepared, errors = [], []
        for upload in files:
            try:
                prepared.append(attachment_prepare(upload))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return prepared


class StationSelect(forms.Select):
    """Options carry their district, so static/js/complaints.js can show only the chosen district's stations."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-district"] = str(instance.district_id)
        return option


class StationChoiceField(forms.ModelChoiceField):
    widget = StationSelect

    def label_from_instance(self, obj: PoliceStation) -> str:
        return _local_name(obj)


class DistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: District) -> str:
        return _local_name(obj)


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return obj.display_name


def _local_name(obj: District | PoliceStation) -> str:
    """Return the Urdu name of a district or station on an Urdu page (where it has one), else the English."""
    return obj.name_ur if obj.name_ur and _is_urdu() else obj.name


def _is_urdu() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").startswith("ur")


class ComplaintForm(DateRangesMixin, forms.Form):
    """The public complaint form. ``website`` is a honeypot: people never see it, robots fill it."""

    name = forms.CharField(label=_("Your name"), max_length=120)
    cnic = CNICFormField(label=_("Your CNIC"))
    phone = PhoneFormField(
        help_text=ltr_format_lazy(
            _("11 digits, e.g. %(example)s. The tracking number is sent here by SMS."), example=PHONE_EXAMPLE
        )
    )
    email = forms.EmailField(label=_("Email (optional)"), required=False)
    address = forms.CharField(label=_("Your address"), max_length=255)
    district = DistrictChoiceField(label=_("District"), queryset=District.objects.order_by("name"))
    station = StationChoiceField(
        label=_("Police station"),
        queryset=PoliceStation.objects.filter(is_active=True).order_by("name"),
        required=False,
        help_text=_("Choose the station, or use your location to find the nearest one."),
    )
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    category = CategoryChoiceField(label=_("Kind of complaint"), queryset=Category.objects.filter(is_active=True))
    incident_place = forms.CharField(label=_("Place of the incident"), max_length=255)
    incident_at = forms.DateTimeField(
        label=_("Date and time of the incident"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    description = forms.CharField(
        label=_("What happened"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}), min_length=10
    )
    attachments = AttachmentsField(
        label=_("Attachments (optional)"),
        help_text=_("Up to 5 photos (JPEG, PNG, WebP) or PDF documents, 5 MB each."),
    )
    name_withheld = forms.BooleanField(label=_("Do not show my name to the person I complain about"), required=False)
    confirm_new = forms.BooleanField(
        label=_("This is a new matter, not the complaint I filed before"), required=False, widget=forms.CheckboxInput
    )
    website = forms.CharField(label=_("Leave this empty"), required=False)

    # Not before 1947, not in the future (phone clocks drift: a few minutes ahead is allowed).
    date_ranges = {"incident_at": OFFENCE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The station is required (and marked so) unless the citizen's location picks the nearest one.
        located = self.is_bound and self.data.get("latitude") and self.data.get("longitude")
        self.fields["station"].required = not located
        self.fields["station"].error_messages["required"] = _(
            "Choose the police station of the district, or use your location to find it."
        )

    def clean(self) -> dict[str, Any]:
        from complaints.selectors import station_nearest

        data = super().clean()
        district, station = data.get("district"), data.get("station")
        if district is None:
            return data
        if station is not None and station.district_id != district.pk:
            self.add_error(
                "station",
                _("%(station)s is not in the district you chose (%(district)s); choose one of its stations.")
                % {"station": _local_name(station), "district": _local_name(district)},
            )
        elif station is None and "station" not in self.errors:
            lat, lon = data.get("latitude"), data.get("longitude")
            found = station_nearest(district_id=district.pk, latitude=lat, longitude=lon) if lat and lon else None
            if found is None:
                self.add_error("station", _("Choose the police station, or use your location to find it."))
            else:
                data["station"] = found
        if "station" in self.errors:
            # Shown again (also without JavaScript) with the chosen district's stations only.
            field = self.fields["station"]
            field.queryset = field.queryset.filter(district=district)
        return data

    @property
    def is_honeypot_filled(self) -> bool:
        return bool(self.data.get("website"))


class TrackForm(forms.Form):
    tracking_number = DigitsCharField(label=_("Tracking number"), max_length=20)
    phone_or_cnic = DigitsCharField(
        label=_("Mobile number or CNIC used when filing"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class InfoForm(forms.Form):
    text = forms.CharField(label=_("More information"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    attachments = AttachmentsField(
        label=_("Attachments (optional)"),
        help_text=_("Photos (JPEG, PNG, WebP) or PDF documents, 5 MB each; at most 5 files per complaint."),
    )


class FeedbackForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Are you satisfied with the outcome?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should the complaint be reopened?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


# --- Officers ---


class NotesMixin(forms.Form):
    public_note = forms.CharField(
        label=_("Public note (the complainant sees it)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    internal_note = forms.CharField(
        label=_("Internal note (police only)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssignForm(NotesMixin):
    assignee = forms.ModelChoiceField(label=_("Officer"), queryset=None)

    def __init__(self, *args: Any, officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = officers
        self.order_fields(["assignee", "public_note", "internal_note"])


class StatusForm(NotesMixin):
    to_status = forms.ChoiceField(label=_("New status"))
    outcome = forms.CharField(
        label=_("Outcome or reason (for resolved or rejected)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, allowed: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(s, Status(s).label) for s in allowed]
        self.order_fields(["to_status", "outcome", "public_note", "internal_note"])


class NoteForm(NotesMixin):
    pass


class InboxFilterForm(DateRangesMixin, forms.Form):
    date_ranges = {"filed_from": SEARCH, "filed_to": SEARCH}

    category = CategoryChoiceField(label=_("Category"), queryset=Category.objects.all(), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any status")), *Status.choices], required=False)
    station = forms.ModelChoiceField(label=_("Station"), queryset=PoliceStation.objects.none(), required=False)
    district_office = forms.BooleanField(label=_("District office only"), required=False)
    filed_from = forms.DateField(label=_("Filed from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    filed_to = forms.DateField(label=_("Filed to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, stations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations
