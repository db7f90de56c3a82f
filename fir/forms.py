"""FIR forms: validation and normalisation only; the rules live in fir.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casp.bidi import ltr_format_lazy
from casp.cnic import CNICFormField
from casp.dates import OFFENCE, SEARCH, DateRangesMixin
from casp.geo import map_data
from casp.phone import PhoneFormField
from casp.text import DigitsCharField
from fir.models import ChallanKind, Direction, FirStatus, NoteKind, Section, VehicleKind
from fir.services import fir_data_errors
from stations.models import PoliceStation

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _dt(label: Any, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, required=required, widget=DATETIME_WIDGET)


class FirForm(DateRangesMixin, forms.Form):
    """The FIR as written under s.154 CrPC (accused come from AccusedFormSet)."""

    date_ranges = {"reported_at": OFFENCE, "occurred_from": OFFENCE, "occurred_to": OFFENCE}

    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    reported_at = _dt(_("date and time of report"))
    occurred_from = _dt(_("occurrence from"))
    occurred_to = _dt(_("occurrence to"), required=False)
    place = forms.CharField(label=_("place of occurrence"), max_length=300)
    distance_km = forms.DecimalField(
        label=_("distance from the station (km)"), required=False, min_value=0, max_digits=6, decimal_places=2
    )
    direction = forms.ChoiceField(
        label=_("direction from the station"), choices=[("", "---------"), *Direction.choices], required=False
    )
    latitude = forms.DecimalField(
        label=_("latitude of the place of occurrence"),
        required=False,
        max_digits=9,
        decimal_places=6,
        help_text=_("Optional. Decimal degrees north, e.g. 33.6844; click the map to fill it in."),
        widget=forms.NumberInput(attrs={"step": "any", "dir": "ltr", "data-point": "lat"}),
    )
    longitude = forms.DecimalField(
        label=_("longitude of the place of occurrence"),
        required=False,
        max_digits=9,
        decimal_places=6,
        help_text=_("Optional. Decimal degrees east, e.g. 73.0479."),
        widget=forms.NumberInput(attrs={"step": "any", "dir": "ltr", "data-point": "lon"}),
    )
    complainant_name = forms.CharField(label=_("complainant's name"), max_length=150)
    complainant_father_name = forms.CharField(label=_("complainant's father's name"), max_length=150, required=False)
    complainant_cnic = CNICFormField(label=_("complainant's CNIC"), required=False)
    complainant_address = forms.CharField(label=_("complainant's address"), max_length=300, required=False)
    complainant_phone = PhoneFormField(label=_("complainant's phone"), mobile_only=False, required=False)
    sections = DigitsCharField(
        label=_("sections"),
        max_length=500,
        help_text=ltr_format_lazy(
            _("Section numbers from the catalogue, separated by commas, e.g. %(example)s."),
            example="302 PPC, 324 PPC, 13-20-65 AO",
        ),
        widget=forms.TextInput(attrs={"list": "section-catalogue", "autocomplete": "off"}),
    )
    facts = forms.CharField(
        label=_("brief facts in the complainant's words"),
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        error_messages={"required": _("Write the brief facts in the complainant's words; they cannot be empty.")},
    )
    weapons = forms.CharField(label=_("weapons used"), max_length=300, required=False)
    property_involved = forms.CharField(
        label=_("property involved"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    delay_reason = forms.CharField(
        label=_("reason for delay in reporting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    action_taken = forms.CharField(label=_("action taken"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    investigating_officer = forms.ModelChoiceField(label=_("investigating officer"), queryset=None, required=False)

    def __init__(self, *args: Any, officers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["investigating_officer"].queryset = officers
        self.fields["facts"].strip = True


class AccusedForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=150, required=False)
    father_name = forms.CharField(label=_("father's name"), max_length=150, required=False)
    cnic = CNICFormField(label=_("CNIC"), required=False)
    address = forms.CharField(label=_("address"), max_length=300, required=False)
    is_unknown = forms.BooleanField(label=_("unknown"), required=False)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("is_unknown") and not data.get("description"):
            self.add_error("description", _("Describe the unknown accused."))
        return data

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(k) for k in ("name", "father_name", "cnic", "address", "is_unknown", "description"))


AccusedFormSet = forms.formset_factory(AccusedForm, extra=3, max_num=50)
OneMoreAccusedFormSet = forms.formset_factory(AccusedForm, extra=1, max_num=50)
MORE_ACCUSED = "more_accused"  # the name of the "add another accused" submit button (works without JavaScript)


class FirRegistration:
    """The FIR form and its accused rows, validated together so every error is reported in one round.

    Each part is validated (no short-circuit) and then the registration rules
    of ``fir.services`` (times not in the future, known sections, accused
    named or described) run over whatever parsed, so a bad CNIC, a future
    date and an unknown section are all shown at once.
    """

    def __init__(self, data: Any = None, *, officers: Any, initial: dict[str, Any] | None = None) -> None:
        self.more_rows = data is not None and MORE_ACCUSED in data
        if self.more_rows:
            # Not a submission: show what was typed again, unvalidated, with one more empty accused row.
            self.form = FirForm(initial=data.dict(), officers=officers)
            self.accused = OneMoreAccusedFormSet(prefix="accused", initial=_accused_rows(data))
        else:
            self.form = FirForm(data, officers=officers, initial=initial)
            self.accused = AccusedFormSet(data, prefix="accused")

    def is_valid(self) -> bool:
        if self.more_rows:
            return False
        form_ok = self.form.is_valid()
        accused_ok = self.accused.is_valid()
        self.add_errors(fir_data_errors(self.data()), only_new=True)
        return form_ok and accused_ok and not (self.form.errors or any(f.errors for f in self.accused))

    def _named_accused(self) -> list[AccusedForm]:
        return [f for f in self.accused if not f.is_blank()]

    def data(self) -> dict[str, Any]:
        """Return what fir.services.fir_register takes: the form's fields and the non-blank accused."""
        return {**self.form.cleaned_data, "accused": [f.cleaned_data for f in self._named_accused()]}

    def add_errors(self, errors: dict[str, list[str]], *, only_new: bool = False) -> None:
        """Put the service's errors beside their fields; ``only_new`` skips fields that already have one."""
        accused = self._named_accused()
        for key, messages in errors.items():
            form, field = self.form, key
            if key.startswith("accused-"):
                _prefix, index, field = key.split("-", 2)
                form = accused[int(index)]
            if field not in form.fields:
                field = None
            if not (only_new and field in form.errors):
                form.add_error(field, messages)


def register_context(station: PoliceStation, registration: FirRegistration) -> dict[str, Any]:
    """Return the context of ``fir/register.html`` (shared by the FIR page and a complaint's conversion)."""
    return {
        "station": station,
        "form": registration.form,
        "accused": registration.accused,
        "more_accused": MORE_ACCUSED,
        "sections": Section.objects.filter(is_active=True),
        "point_map": map_data(
            stations=PoliceStation.objects.filter(district_id=station.district_id).order_by("name"),
            picker={"lat": registration.form["latitude"].auto_id, "lon": registration.form["longitude"].auto_id},
        ),
    }


def _accused_rows(data: Any) -> list[dict[str, Any]]:
    """Return the accused rows typed so far (blank rows dropped) from a POST."""
    try:
        total = min(int(data.get("accused-TOTAL_FORMS", 0)), 49)
    except ValueError:
        total = 0
    names = list(AccusedForm.base_fields)
    rows = [{name: data.get(f"accused-{i}-{name}", "") for name in names} for i in range(total)]
    return [row for row in rows if any(row.values())]


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("new status"), choices=FirStatus.choices)
    challan_kind = forms.ChoiceField(
        label=_("challan"), choices=[("", "---------"), *ChallanKind.choices], required=False
    )
    reason = forms.CharField(label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    order_reference = forms.CharField(label=_("magistrate's order or court reference"), max_length=200, required=False)


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=NoteKind.choices)
    person = forms.CharField(label=_("statement of"), max_length=200, required=False)
    text = forms.CharField(
        label=_("text"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        error_messages={"required": _("The statement cannot be empty.")},
    )


class ArrestForm(DateRangesMixin, forms.Form):
    date_ranges = {"arrested_at": OFFENCE}
    accused = forms.ModelChoiceField(label=_("accused"), queryset=None)
    arrested_at = _dt(_("arrested at"))
    place = forms.CharField(label=_("place of arrest"), max_length=300)

    def __init__(self, *args: Any, fir: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accused"].queryset = fir.accused.all()


class CustodyEndForm(forms.Form):
    reason = forms.CharField(label=_("custody ended by"), max_length=200)


class FirSearchForm(DateRangesMixin, forms.Form):
    date_ranges = {"date_from": SEARCH, "date_to": SEARCH}
    number = forms.IntegerField(label=_("FIR number"), required=False, min_value=1)
    year = forms.IntegerField(label=_("year"), required=False, min_value=1900, max_value=2100)
    station = forms.ModelChoiceField(label=_("police station"), queryset=PoliceStation.objects.none(), required=False)
    section = forms.ModelChoiceField(label=_("section"), queryset=Section.objects.all(), required=False)
    status = forms.ChoiceField(label=_("status"), choices=[("", "---------"), *FirStatus.choices], required=False)
    complainant = DigitsCharField(label=_("complainant (name or CNIC)"), max_length=100, required=False)
    accused = DigitsCharField(label=_("accused (name or CNIC)"), max_length=100, required=False)
    date_from = forms.DateField(label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, stations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations


class StolenVehicleForm(forms.Form):
    """A vehicle the FIR reports stolen; fir.vehicles validates and normalises the numbers."""

    kind = forms.ChoiceField(label=_("kind of vehicle"), choices=[("", "—"), *VehicleKind.choices])
    registration_number = DigitsCharField(label=_("registration number"), max_length=20, required=False)
    chassis_number = DigitsCharField(label=_("chassis number"), max_length=30, required=False)
    engine_number = DigitsCharField(label=_("engine number"), max_length=30, required=False)
    make = forms.CharField(label=_("make"), max_length=40, required=False)
    model = forms.CharField(label=_("model"), max_length=40, required=False)
    colour = forms.CharField(label=_("colour"), max_length=30, required=False)
    year = forms.IntegerField(label=_("year of manufacture"), required=False, min_value=1900, max_value=2200)


class VehicleRecoveryForm(DateRangesMixin, forms.Form):
    date_ranges = {"recovered_on": OFFENCE}

    recovered_on = forms.DateField(label=_("recovered on"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("place of recovery"), max_length=300)
    recovery_fir = forms.CharField(
        label=_("FIR of the recovery"), max_length=20, required=False, help_text=_("Number/year, e.g. 12/2026.")
    )
