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
from casp.text import DigitsCharField, DigitsIntegerField
from fir.models import VEHICLE_THEFT_SECTIONS, ChallanKind, Direction, FirStatus, NoteKind, Section, VehicleKind
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
MORE_ACCUSED = "more_accused"  # the name of the "add another accused" submit button (works without JavaScript)
MORE_VEHICLES = "more_vehicles"  # the same for "add another vehicle"


_LTR = {"dir": "ltr", "autocomplete": "off"}  # numbers read left to right in Urdu too


class StolenVehicleForm(forms.Form):
    """A vehicle the FIR reports stolen; fir.vehicles validates and normalises the numbers."""

    kind = forms.ChoiceField(label=_("kind of vehicle"), choices=[("", "—"), *VehicleKind.choices])
    registration_number = DigitsCharField(
        label=_("registration number"), max_length=20, required=False, widget=forms.TextInput(attrs=_LTR)
    )
    chassis_number = DigitsCharField(
        label=_("chassis number"), max_length=30, required=False, widget=forms.TextInput(attrs=_LTR)
    )
    engine_number = DigitsCharField(
        label=_("engine number"), max_length=30, required=False, widget=forms.TextInput(attrs=_LTR)
    )
    make = forms.CharField(label=_("make"), max_length=40, required=False)
    model = forms.CharField(label=_("model"), max_length=40, required=False)
    colour = forms.CharField(label=_("colour"), max_length=30, required=False)
    year = DigitsIntegerField(label=_("year of manufacture"), required=False, min_value=1900, max_value=2200)


class RegistrationVehicleForm(StolenVehicleForm):
    """A stolen-vehicle row of the registration form: optional (a blank row is skipped), checked by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The kind is required of a vehicle that is entered; fir.vehicles says so, so a blank row passes.
        self.fields["kind"].required = False

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(k) not in (None, "") for k in self.fields)


MAX_VEHICLES = 10


def _formset(form: type[forms.Form], *, extra: int, max_num: int) -> type[forms.BaseFormSet]:
    return forms.formset_factory(form, extra=extra, max_num=max_num)


class FirRegistration:
    """The FIR form, its accused and its stolen vehicles, validated together so every error is reported in one round.

    Each part is validated (no short-circuit) and then the registration rules
    of ``fir.services`` (times not in the future, known sections, accused
    named or described, vehicles with a valid number under a theft section)
    run over whatever parsed, so a bad CNIC, a future date, an unknown section
    and a registration number that normalises to nothing are all shown at once.
    """

    def __init__(self, data: Any = None, *, officers: Any, initial: dict[str, Any] | None = None) -> None:
        more = [name for name in (MORE_ACCUSED, MORE_VEHICLES) if data is not None and name in data]
        self.more_rows = bool(more)
        if self.more_rows:
            # Not a submission: show what was typed again, unvalidated, with one more empty row where asked.
            self.form = FirForm(initial=data.dict(), officers=officers)
            self.accused = _rows_again(AccusedForm, "accused", data, more=MORE_ACCUSED in more, max_num=50)
            self.vehicles = _rows_again(
                RegistrationVehicleForm, "vehicles", data, more=MORE_VEHICLES in more, max_num=MAX_VEHICLES
            )
        else:
            self.form = FirForm(data, officers=officers, initial=initial)
            self.accused = AccusedFormSet(data, prefix="accused")
            # A form posted without the vehicle block (a page loaded before it existed) registers no vehicle.
            has_vehicles = data is not None and "vehicles-TOTAL_FORMS" in data
            vehicle_rows = _formset(RegistrationVehicleForm, extra=1, max_num=MAX_VEHICLES)
            self.vehicles = vehicle_rows(data if has_vehicles else None, prefix="vehicles")

    def is_valid(self) -> bool:
        if self.more_rows:
            return False
        form_ok = self.form.is_valid()
        accused_ok = self.accused.is_valid()
        vehicles_ok = not self.vehicles.is_bound or self.vehicles.is_valid()
        self.add_errors(fir_data_errors(self.data()), only_new=True)
        rows = [*self.accused, *self.vehicles]
        return form_ok and accused_ok and vehicles_ok and not (self.form.errors or any(f.errors for f in rows))

    def _named_accused(self) -> list[AccusedForm]:
        return [f for f in self.accused if not f.is_blank()]

    def _entered_vehicles(self) -> list[RegistrationVehicleForm]:
        return [f for f in self.vehicles if not f.is_blank()]

    def data(self) -> dict[str, Any]:
        """Return what fir.services.fir_register takes: the form's fields, the non-blank accused and vehicles."""
        return {
            **self.form.cleaned_data,
            "accused": [f.cleaned_data for f in self._named_accused()],
            "vehicles": [f.cleaned_data for f in self._entered_vehicles()],
        }

    def add_errors(self, errors: dict[str, list[str]], *, only_new: bool = False) -> None:
        """Put the service's errors beside their fields; ``only_new`` skips fields that already have one."""
        rows = {"accused": self._named_accused(), "vehicles": self._entered_vehicles()}
        for key, messages in errors.items():
            form, field = self.form, key
            prefix = key.split("-", 1)[0]
            if prefix in rows and key.count("-") >= 2:
                _prefix, index, field = key.split("-", 2)
                form = rows[prefix][int(index)]
            if field not in form.fields:
                field = None
            if not (only_new and field in form.errors):
                form.add_error(field, messages)


def register_context(station: PoliceStation, registration: FirRegistration) -> dict[str, Any]:
    """Return the context of ``fir/register.html`` (shared by the FIR page and a complaint's conversion)."""
    vehicles = registration.vehicles
    return {
        "station": station,
        "form": registration.form,
        "accused": registration.accused,
        "vehicles": vehicles,
        # The vehicle block opens by itself when a vehicle was entered (or asked for) or an error is in it.
        "vehicles_open": any(f.is_bound and f.has_changed() or f.initial or f.errors for f in vehicles)
        or vehicles.total_form_count() > 1,
        "more_accused": MORE_ACCUSED,
        "more_vehicles": MORE_VEHICLES,
        "theft_sections": ", ".join(f"{n} PPC" for n in VEHICLE_THEFT_SECTIONS),
        "sections": Section.objects.filter(is_active=True),
        "point_map": map_data(
            stations=PoliceStation.objects.filter(district_id=station.district_id).order_by("name"),
            picker={"lat": registration.form["latitude"].auto_id, "lon": registration.form["longitude"].auto_id},
        ),
    }


def _rows_again(form: type[forms.Form], prefix: str, data: Any, *, more: bool, max_num: int) -> forms.BaseFormSet:
    """Return a formset of the rows typed so far (blank rows dropped), as many as were posted, plus one if ``more``."""
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), max_num)
    except ValueError:
        total = 0
    names = list(form.base_fields)
    rows = [{name: data.get(f"{prefix}-{i}-{name}", "") for name in names} for i in range(total)]
    rows = [row for row in rows if any(row.values())]
    extra = max(total - len(rows), 0) + (1 if more else 0)
    if not rows and not extra:
        extra = 1
    return _formset(form, extra=extra, max_num=max_num)(prefix=prefix, initial=rows)


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
    number = DigitsIntegerField(label=_("FIR number"), required=False, min_value=1)
    year = DigitsIntegerField(label=_("year"), required=False, min_value=1900, max_value=2100)
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


class VehicleRecoveryForm(DateRangesMixin, forms.Form):
    date_ranges = {"recovered_on": OFFENCE}

    recovered_on = forms.DateField(label=_("recovered on"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("place of recovery"), max_length=300)
    recovery_fir = forms.CharField(
        label=_("FIR of the recovery"), max_length=20, required=False, help_text=_("Number/year, e.g. 12/2026.")
    )
