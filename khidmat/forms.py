"""Forms of the counter, the checks and the citizen's tracking page: validation and normalisation only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from casp.cnic import CNICFormField
from casp.dates import BIRTH, OFFENCE, SEARCH, DateRangesMixin
from casp.phone import PhoneFormField
from casp.text import DigitsIntegerField
from complaints.files import PreparedFile, attachment_prepare
from fir.models import Fir
from khidmat.models import Outcome, Output, ServiceType, Token
from khidmat.services import ApplicationData
from registrations.forms import PersonForm, RegistrationForm
from registrations.models import Kind
from registrations.services import RegistrationData, person_data, registration_data
from stations.models import PoliceStation

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ServiceType) -> str:
        return obj.display_name


class DayForm(DateRangesMixin, forms.Form):
    """The day of the dashboard and of the fees CSV (``?day=``); empty means today."""

    date_ranges = {"day": SEARCH}

    day = forms.DateField(
        label=_("Day"), required=False, widget=DATE_WIDGET,
        error_messages={"invalid": _("Day: enter a date as YYYY-MM-DD.")},
    )  # fmt: skip


class TokenForm(forms.Form):
    service = ServiceChoiceField(label=_("Service"), queryset=ServiceType.objects.filter(is_active=True))


class CallNextForm(forms.Form):
    counter = forms.IntegerField(label=_("Counter"), min_value=1, max_value=50)


def _file(upload: Any, *, image_only: bool = False) -> PreparedFile | None:
    """Return the checked upload (its content must be what its name says), or None when nothing was sent."""
    if not upload:
        return None
    prepared = attachment_prepare(upload)
    if image_only and prepared.kind != "image":
        raise ValidationError(_("The photo must be a JPEG, PNG or WebP image."), code="not_image")
    return prepared


class ApplicationForm(DateRangesMixin, forms.Form):
    """One form for every service; the fields a service does not need are dropped in ``__init__``."""

    date_ranges = {"subject_dob": BIRTH, "incident_at": OFFENCE}

    applicant_cnic = CNICFormField(label=_("Applicant's CNIC"))
    applicant_name = forms.CharField(label=_("Applicant's name"), max_length=120)
    applicant_phone = PhoneFormField(label=_("Applicant's mobile number"))
    for_someone_else = forms.BooleanField(label=_("Applying for someone else (e.g. a relative abroad)"), required=False)
    relation = forms.CharField(label=_("Relation to the person"), max_length=60, required=False)
    authority_letter = forms.FileField(
        label=_("Authority letter (with the exit stamp, when abroad)"), required=False,
        help_text=_("JPEG, PNG, WebP or PDF, 5 MB at most."),
    )  # fmt: skip
    subject_name = forms.CharField(label=_("Name of the person"), max_length=120, required=False)
    subject_father_name = forms.CharField(label=_("Father's name"), max_length=120, required=False)
    subject_cnic = CNICFormField(label=_("CNIC of the person"), required=False)
    subject_dob = forms.DateField(label=_("Date of birth"), required=False, widget=DATE_WIDGET)
    present_address = forms.CharField(label=_("Present address"), max_length=255, required=False)
    present_station = forms.ModelChoiceField(
        label=_("Police station of the present address"), queryset=PoliceStation.objects.none(), required=False
    )
    permanent_address = forms.CharField(label=_("Permanent address"), max_length=255, required=False)
    permanent_station = forms.ModelChoiceField(
        label=_("Police station of the permanent address"), queryset=PoliceStation.objects.none(), required=False
    )
    vehicle_number = forms.CharField(label=_("Vehicle registration number"), max_length=20, required=False)
    chassis_number = forms.CharField(label=_("Chassis number"), max_length=40, required=False)
    engine_number = forms.CharField(
        label=_("Engine number"), max_length=40, required=False,
        help_text=_("Give at least one of the three numbers."),
    )  # fmt: skip
    fir_station = forms.ModelChoiceField(
        label=_("Police station of the FIR"), queryset=PoliceStation.objects.none(), required=False
    )
    fir_number = DigitsIntegerField(label=_("FIR number"), min_value=1, required=False)
    fir_year = DigitsIntegerField(label=_("FIR year"), min_value=1947, required=False)
    incident_place = forms.CharField(label=_("Place of the incident"), max_length=255, required=False)
    incident_at = forms.DateTimeField(
        label=_("Time of the incident"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )  # fmt: skip
    details = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    documents = forms.ModelMultipleChoiceField(
        label=_("Documents received"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    photo = forms.FileField(
        label=_("Photo of the person"), required=False, help_text=_("From the counter camera or an upload.")
    )
    fee = forms.IntegerField(label=_("Fee received (rupees)"), min_value=0)

    def __init__(self, *args: Any, service: ServiceType, token: Token | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        self.token = token
        self.registration_kind = ""
        self.registration: RegistrationData | None = None
        stations = PoliceStation.objects.filter(is_active=True).select_related("district").order_by("name")
        self.doc_list = list(service.documents.all())
        self.fields["documents"].queryset = service.documents.all()
        self.fields["documents"].label_from_instance = lambda d: d.display_name + ("" if d.is_required else " *")
        self.fields["fee"].initial = service.fee
        for doc in self.doc_list:
            self.fields[f"scan_{doc.pk}"] = forms.FileField(
                label=_("Scan: %(name)s") % {"name": doc.display_name}, required=False
            )
        person = (
            service.needs_cro_check or service.needs_station_verification or service.issues_document
            or bool(service.registration_kind)
        )  # fmt: skip
        addresses = service.needs_station_verification
        drop = set()
        if not person or service.output == Output.REPORT:
            drop |= {"for_someone_else", "relation", "authority_letter", "subject_name", "subject_father_name",
                     "subject_cnic", "subject_dob"}  # fmt: skip
        if not service.needs_cro_check:
            drop.add("photo")
        if not addresses:
            drop |= {"permanent_address", "permanent_station"}
            if service.output != Output.COMPLAINT:
                drop |= {"present_address", "present_station"}
        if not service.needs_vehicle_check:
            drop |= {"vehicle_number", "chassis_number", "engine_number"}
        if service.output != Output.FIR_COPY:
            drop |= {"fir_station", "fir_number", "fir_year"}
        if service.output != Output.COMPLAINT:
            drop |= {"incident_place", "incident_at"}
        if service.output not in (Output.COMPLAINT, Output.REPORT) and not service.needs_vehicle_check:
            drop.add("details")
        for name in drop:
            del self.fields[name]
        for name in ("present_station", "permanent_station", "fir_station"):
            if name in self.fields:
                self.fields[name].queryset = stations
        required = {"present_station", "permanent_station", "present_address", "permanent_address", "fir_station",
                    "fir_number", "fir_year", "incident_at", "incident_place"}  # fmt: skip
        if service.needs_cro_check:
            required |= {"subject_dob", "photo"}
        if service.output in (Output.COMPLAINT, Output.REPORT):
            required.add("details")
        if service.registration_kind:
            required |= {"subject_name", "subject_father_name", "subject_dob"}
            self._registration_fields_add(service.registration_kind)
        for name in required & set(self.fields):
            self.fields[name].required = True

    # --- the registration a registration service files (registrations.forms validates it) ---------------------
    # The registrations form's fields and the counter form's field holding each. A tenant's or foreigner's
    # registered address is the present address; a worker's home is the present address and the place of work
    # has fields of its own.
    def _registration_map(self) -> tuple[dict[str, str], dict[str, str]]:
        place = {"registrant_name": "reg_registrant_name", "registrant_cnic": "reg_registrant_cnic",
                 "registrant_phone": "reg_registrant_phone", "start_date": "reg_start_date"}  # fmt: skip
        if self.registration_kind in (Kind.SERVANT, Kind.EMPLOYEE):
            place |= {"address": "reg_address", "station": "reg_station", "home_address": "present_address",
                      "home_station": "present_station"}  # fmt: skip
        else:
            place |= {"address": "present_address", "station": "present_station"}
        person = {"name": "subject_name", "father_name": "subject_father_name", "cnic": "subject_cnic",
                  "date_of_birth": "subject_dob", "photo": "photo", "passport_number": "reg_passport_number",
                  "nationality": "reg_nationality", "visa_type": "reg_visa_type",
                  "visa_expiry": "reg_visa_expiry"}  # fmt: skip
        return place, person

    def _registration_fields_add(self, kind: str) -> None:
        """Add the registration's own fields (registrant, start date, place of work, passport and visa)."""
        import copy

        self.registration_kind = kind
        place_map, person_map = self._registration_map()
        sources = [(RegistrationForm(kind=kind).fields, place_map), (PersonForm(kind=kind).fields, person_map)]
        for fields, mapping in sources:
            for name, target in mapping.items():
                if target.startswith("reg_") and name in fields:
                    self.fields[target] = copy.deepcopy(fields[name])
                    self.fields[target].label = capfirst(fields[name].label)
                elif target in ("present_address", "present_station") and target in self.fields:
                    # The registrations app's words: "address of the rented property", "worker's home address".
                    self.fields[target].label = capfirst(fields[name].label)
        labels = {
            "reg_registrant_name": _("Name of the landlord or employer"),
            "reg_registrant_cnic": _("CNIC of the landlord or employer"),
            "reg_registrant_phone": _("Mobile number of the landlord or employer"),
        }
        for name, label in labels.items():
            self.fields[name].label = label
        if "reg_station" in self.fields:
            self.fields["reg_station"].queryset = PoliceStation.objects.filter(is_active=True).order_by("name")

    @property
    def registration_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("reg_")]

    def _registration_clean(self) -> None:
        """Validate the registration with the registrations app's own forms; name the counter's fields."""
        place_map, person_map = self._registration_map()
        raw = {target: self.data.get(target, "") for target in (*place_map.values(), *person_map.values())}
        if not raw["subject_cnic"] and self.registration_kind != Kind.FOREIGNER:
            raw["subject_cnic"] = self.data.get("applicant_cnic", "")
        photo = self.files.get("photo")
        if photo is not None:
            photo.seek(0)
        place = RegistrationForm(data={k: raw[v] for k, v in place_map.items()}, kind=self.registration_kind)
        person = PersonForm(
            data={k: raw[v] for k, v in person_map.items() if k != "photo"},
            files={"photo": photo} if photo is not None else {},
            kind=self.registration_kind,
        )
        for form, mapping in ((place, place_map), (person, person_map)):
            form.is_valid()
            for name, errors in form.errors.items():
                target = mapping.get(name)
                if target in self.fields and target not in self.errors:
                    self.add_error(target, errors)
                elif target is None:
                    self.add_error(None, errors)
        if not (place.errors or person.errors):
            self.registration = registration_data(
                self.registration_kind, place.cleaned_data, [person_data(person.cleaned_data)]
            )

    def service_errors_add(self, exc: ValidationError) -> None:
        """Show a service's ValidationError on the fields it names (``registration.<field>`` included)."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        place_map, person_map = self._registration_map() if self.registration_kind else ({}, {})
        for name, errors in exc.error_dict.items():
            if name.startswith("registration."):
                name = name.removeprefix("registration.")
                name = place_map.get(name) or person_map.get(name) or name
            self.add_error(name if name in self.fields else None, errors)

    @property
    def scan_fields(self) -> list[forms.BoundField]:
        return [self[f"scan_{doc.pk}"] for doc in self.doc_list]

    def clean_fir_year(self) -> int | None:
        year = self.cleaned_data.get("fir_year")
        if year is not None and year > timezone.localdate().year:
            raise ValidationError(_("The FIR year cannot be after this year."), code="range")
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.prepared: dict[str, PreparedFile | None] = {}
        for name in [n for n in self.fields if n.startswith("scan_")] + ["authority_letter", "photo"]:
            if name not in self.fields:
                continue
            try:
                self.prepared[name] = _file(self.files.get(name), image_only=name == "photo")
            except ValidationError as exc:
                self.add_error(name, exc)
        if data.get("for_someone_else") and not data.get("subject_cnic") and "subject_cnic" in self.fields:
            self.add_error("subject_cnic", _("Enter the CNIC of the person you apply for."))
        if self.registration_kind:
            self._registration_clean()
        return data

    def fir(self) -> Fir | None:
        data = self.cleaned_data
        if not (data.get("fir_station") and data.get("fir_number") and data.get("fir_year")):
            return None
        return Fir.objects.filter(station=data["fir_station"], number=data["fir_number"], year=data["fir_year"]).first()

    def to_data(self) -> ApplicationData:
        d = self.cleaned_data
        docs = list(d.get("documents") or [])
        return ApplicationData(
            service=self.service,
            applicant_cnic=d["applicant_cnic"],
            applicant_name=d["applicant_name"],
            applicant_phone=d["applicant_phone"],
            fee=d["fee"],
            documents=docs,
            scans={doc.pk: self.prepared[f"scan_{doc.pk}"] for doc in docs if self.prepared.get(f"scan_{doc.pk}")},
            token=self.token,
            for_someone_else=bool(d.get("for_someone_else")),
            relation=d.get("relation", ""),
            authority_letter=self.prepared.get("authority_letter"),
            subject_name=d.get("subject_name", ""),  # the service takes the applicant's own when empty
            subject_father_name=d.get("subject_father_name", ""),
            subject_cnic=d.get("subject_cnic") or None,  # the service takes the applicant's own when empty
            subject_dob=d.get("subject_dob"),
            present_address=d.get("present_address", ""),
            present_station=d.get("present_station"),
            permanent_address=d.get("permanent_address", ""),
            permanent_station=d.get("permanent_station"),
            photo=self.prepared.get("photo"),
            details=d.get("details", ""),
            vehicle_number=d.get("vehicle_number", ""),
            chassis_number=d.get("chassis_number", ""),
            engine_number=d.get("engine_number", ""),
            registration=self.registration,
            fir=self.fir(),
            incident_place=d.get("incident_place", ""),
            incident_at=d.get("incident_at"),
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("issue", _("Issue")), ("refuse", _("Refuse"))])
    reason = forms.CharField(
        label=_("Reason (the citizen sees it)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class VerificationForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[(o.value, o.label) for o in Outcome if o != Outcome.PENDING],
        widget=forms.RadioSelect,
    )  # fmt: skip
    reference = forms.CharField(
        label=_("Reference of the record (FIR, register entry)"), max_length=100, required=False
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    is_record = forms.TypedChoiceField(
        label=_("Are the candidates this person?"),
        choices=[("no", _("No: not the same person")), ("yes", _("Yes: record confirmed"))],
        coerce=lambda v: v == "yes", widget=forms.RadioSelect,
    )  # fmt: skip
    note = forms.CharField(label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class TrackForm(forms.Form):
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=20)
    phone = forms.CharField(
        label=_("Mobile number given at the counter"), max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )  # fmt: skip
