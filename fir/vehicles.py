"""Stolen vehicles of FIRs: normalised numbers, recording a vehicle on an FIR, its recovery, the stolen list.

A registration number is kept as written and as a key of capitals and digits
(``ICT-5678``, ``ict 5678``, ``ICT５６７８`` and ``ICT۵۶۷۸`` are one key, ``ICT5678``);
chassis and engine numbers the same way. Lookups use the keys, on partial
indexes of the vehicles not yet recovered.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from casp import audit
from casp.dates import OFFENCE
from casp.models import User
from casp.text import normalize_digits
from fir.models import VEHICLE_THEFT_SECTIONS, Fir, Section, StolenVehicle, VehicleKind
from fir.services import _require_edit

REGISTRATION = "registration"
CHASSIS = "chassis"
ENGINE = "engine"
NUMBER_KINDS = (REGISTRATION, CHASSIS, ENGINE)

# What each number may hold as written: letters, digits, spaces, dashes, slashes and dots.
_ALLOWED = re.compile(r"^[A-Za-z0-9\s\-/.]*$")
_LENGTHS = {REGISTRATION: (2, 12), CHASSIS: (5, 25), ENGINE: (4, 25)}


def number_key(kind: str, value: str) -> str:
    """Return ``value`` as its lookup key (capitals and digits only), or raise ValidationError naming the field.

    "" stays "" (the number was not given). A value that normalises to nothing, holds
    other characters, is too short or too long, or (a registration) has no digit, is refused.
    """
    text = str(normalize_digits(value or "")).strip()
    if not text:
        return ""
    labels = {REGISTRATION: _("Registration number"), CHASSIS: _("Chassis number"), ENGINE: _("Engine number")}
    label = labels[kind]
    if not _ALLOWED.match(text):
        raise ValidationError(
            {kind: _("%(field)s may hold only letters, digits, spaces and dashes.") % {"field": label}}
        )
    key = re.sub(r"[^A-Z0-9]", "", text.upper())
    low, high = _LENGTHS[kind]
    if not key:
        raise ValidationError({kind: _("%(field)s has no letters or digits.") % {"field": label}})
    if not low <= len(key) <= high or (kind == REGISTRATION and not any(c.isdigit() for c in key)):
        raise ValidationError(
            {
                kind: _("%(field)s must be %(low)s to %(high)s letters and digits (e.g. %(example)s).")
                % {"field": label, "low": low, "high": high, "example": {REGISTRATION: "ICT-5678",
                   CHASSIS: "NZE141-1234567", ENGINE: "1NZ-4567890"}[kind]}
            }
        )  # fmt: skip
    return key


def fir_is_vehicle_theft(fir: Fir) -> bool:
    """Return whether the FIR charges a vehicle-theft section (379, 381-A, 382 or 392 PPC)."""
    return fir.sections.filter(law="PPC", number__in=VEHICLE_THEFT_SECTIONS).exists()


def sections_allow_vehicle(sections: Iterable[Section]) -> bool:
    """Return whether these sections (not yet saved on an FIR) include a vehicle-theft section."""
    return any(s.law == "PPC" and s.number in VEHICLE_THEFT_SECTIONS for s in sections)


def stolen_vehicle_clean(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a vehicle's fields; raise one ValidationError naming every bad field. Return the row's values."""
    errors: dict[str, list[str]] = {}
    keys = {}
    for kind in NUMBER_KINDS:
        try:
            keys[kind] = number_key(kind, data.get(f"{kind}_number", ""))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(f"{field}_number", []).extend(messages)
    if not errors and not any(keys.values()):
        errors["registration_number"] = [_("Give the registration, chassis or engine number of the vehicle.")]
    if data.get("kind") not in VehicleKind.values:
        errors["kind"] = [_("Choose the kind of vehicle.")]
    year = data.get("year")
    this_year = dt.date.today().year
    if year not in (None, ""):
        try:
            year = int(normalize_digits(str(year)).strip())
        except ValueError:
            year = 0
        if not 1900 <= year <= this_year + 1:
            errors["year"] = [_("Year of manufacture must be between 1900 and %(latest)s.") % {"latest": this_year + 1}]
    if errors:
        raise ValidationError(errors)
    return {
        "kind": data["kind"],
        "registration_number": str(normalize_digits(data.get("registration_number") or "")).strip().upper(),
        "registration_key": keys[REGISTRATION],
        "chassis_number": str(normalize_digits(data.get("chassis_number") or "")).strip().upper(),
        "chassis_key": keys[CHASSIS],
        "engine_number": str(normalize_digits(data.get("engine_number") or "")).strip().upper(),
        "engine_key": keys[ENGINE],
        "make": (data.get("make") or "").strip(),
        "model": (data.get("model") or "").strip(),
        "colour": (data.get("colour") or "").strip(),
        "year": int(year) if year not in (None, "") else None,
    }


@transaction.atomic
def stolen_vehicle_add(*, fir: Fir, acting_user: User, data: Mapping[str, Any]) -> StolenVehicle:
    """Record a vehicle the FIR reports stolen; the FIR must charge a vehicle-theft section. Audited.

    Only who may change the FIR (its station's officers) may; nothing is saved on any error.
    """
    _require_edit(acting_user, fir)
    return stolen_vehicle_create(fir=fir, acting_user=acting_user, data=data)


def stolen_vehicle_create(*, fir: Fir, acting_user: User, data: Mapping[str, Any]) -> StolenVehicle:
    """Record a vehicle on ``fir`` (validated, normalised, audited) for a caller that has checked the user's right.

    Called by ``stolen_vehicle_add`` (the FIR's page) and by ``fir.services.fir_submit`` (the registration form,
    whose registrar may record the FIR's property); run it inside the caller's transaction.
    """
    if not fir_is_vehicle_theft(fir):
        raise ValidationError(
            {"__all__": _("A stolen vehicle is recorded on an FIR under section 379, 381-A, 382 or 392 PPC.")}
        )
    vehicle = StolenVehicle.objects.create(fir=fir, recorded_by=acting_user, **stolen_vehicle_clean(data))
    audit.record(
        actor=acting_user,
        action="fir.vehicle_recorded",
        target=fir,
        station_id=fir.station_id,
        data={"vehicle": vehicle.pk, "registration": vehicle.registration_key, "chassis": vehicle.chassis_key},
    )
    return vehicle


@transaction.atomic
def stolen_vehicle_recover(
    *,
    vehicle: StolenVehicle,
    acting_user: User,
    recovered_on: dt.date,
    place: str,
    recovery_fir: Fir | None = None,
) -> StolenVehicle:
    """Record the vehicle's recovery (date, place, the FIR of the recovery if any): it leaves the stolen list."""
    locked = StolenVehicle.objects.select_for_update().select_related("fir").get(pk=vehicle.pk)
    _require_edit(acting_user, locked.fir)
    errors: dict[str, str] = {}
    if locked.recovered_on is not None:
        errors["recovered_on"] = _("The recovery of this vehicle is recorded already.")
    else:
        try:
            OFFENCE.check(recovered_on, field=_("Date of recovery"))
        except ValidationError as exc:
            errors["recovered_on"] = " ".join(exc.messages)
        if recovered_on is not None and recovered_on < locked.fir.occurred_from.date():
            errors["recovered_on"] = _("The recovery cannot be before the theft.")
    if not (place or "").strip():
        errors["place"] = _("Name the place of recovery.")
    if errors:
        raise ValidationError(errors)
    locked.recovered_on = recovered_on
    locked.recovery_place = place.strip()
    locked.recovery_fir = recovery_fir
    locked.recovery_recorded_by = acting_user
    locked.save(update_fields=["recovered_on", "recovery_place", "recovery_fir", "recovery_recorded_by"])
    audit.record(
        actor=acting_user,
        action="fir.vehicle_recovered",
        target=locked.fir,
        station_id=locked.fir.station_id,
        data={"vehicle": locked.pk, "recovered_on": recovered_on.isoformat(), "place": locked.recovery_place},
    )
    return locked


def stolen_vehicles_find(*, registration: str = "", chassis: str = "", engine: str = "") -> QuerySet[StolenVehicle]:
    """Return the vehicles still on the stolen list with any of the given numbers (each normalised first).

    Raises ValidationError for a malformed number; one query on the partial indexes.
    """
    keys = {
        "registration_key": number_key(REGISTRATION, registration),
        "chassis_key": number_key(CHASSIS, chassis),
        "engine_key": number_key(ENGINE, engine),
    }
    wanted = Q()
    for column, key in keys.items():
        if key:
            wanted |= Q(**{column: key})
    if not wanted:
        return StolenVehicle.objects.none()
    return (
        StolenVehicle.objects.filter(wanted, recovered_on__isnull=True)
        .exclude(fir__status="cancelled")
        .select_related("fir__station")
    )
