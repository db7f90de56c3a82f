"""Writes for FIRs: registration, life cycle, case notes, accused and arrests. Each is one audited transaction."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casp import audit
from casp.bidi import ltr_text
from casp.cnic import CNIC
from casp.dates import OFFENCE
from casp.formats import datetime_text
from casp.geo import point_errors, point_normalise
from casp.models import User
from casp.roles import Role, has_role
from fir.models import (
    TRANSITIONS,
    Accused,
    Arrest,
    CaseNote,
    ChallanKind,
    Fir,
    FirStatus,
    NoteKind,
    Section,
    StatusChange,
)
from stations.diary import fact_make, in_every_language
from stations.models import DiaryKind, PoliceStation
from stations.selectors import station_is_posted
from stations.services import diary_record, register_counter_lock

FIR_REGISTER = "i"  # Register I of the Police Rules; numbered by the stations counter
# Clock skew allowance between the clerk's idea of "now" and the server's.
FUTURE_SLACK = dt.timedelta(minutes=5)

DIARY_FIR_REGISTERED = "fir.registered"
DIARY_ARREST = "fir.arrest"


def _section_token(token: str) -> tuple[str, str]:
    """Split "302 PPC" / "PPC 302" / "302" into (number, law)."""
    parts = token.replace(",", " ").split()
    laws = [p.upper() for p in parts if p.upper() in {"PPC", "AO", "CNSA", "OTHER"}]
    numbers = [p for p in parts if p.upper() not in {"PPC", "AO", "CNSA", "OTHER"}]
    return (" ".join(numbers), laws[0] if laws else "")


def sections_resolve(values: Iterable[Section | str]) -> list[Section]:
    """Return the catalogue sections for ``values`` (Sections or "302 PPC" strings); refuse unknown ones."""
    found: list[Section] = []
    unknown: list[str] = []
    for value in values:
        if isinstance(value, Section):
            found.append(value)
            continue
        token = str(value).strip()
        if not token:
            continue
        number, law = _section_token(token)
        qs = Section.objects.filter(number__iexact=number, is_active=True)
        if law:
            qs = qs.filter(law=law)
        matches = list(qs[:2])
        if len(matches) == 1:
            found.append(matches[0])
        elif len(matches) > 1:
            unknown.append(_("%(token)s (in more than one law: add PPC, AO or CNSA)") % {"token": token})
        else:
            unknown.append(token)
    if unknown:
        raise ValidationError(
            {
                "sections": _("Unknown section: %(sections)s. Choose sections from the catalogue, e.g. %(example)s.")
                % {"sections": ltr_text(", ".join(unknown)), "example": ltr_text("302 PPC")}
            }
        )
    if not found:
        raise ValidationError(
            {"sections": _("Charge at least one section, e.g. %(example)s.") % {"example": ltr_text("379 PPC")}}
        )
    return list(dict.fromkeys(found))


def split_sections(text: str) -> list[str]:
    """Split "302 PPC, 324; 13-20-65 AO" into tokens."""
    return [t.strip() for t in re.split(r"[;,\n]", text or "") if t.strip()]


def _aware(value: Any) -> Any:
    """Read a naive datetime (from a caller outside a form) as Asia/Karachi local time."""
    if isinstance(value, dt.datetime) and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _validate(data: Mapping[str, Any], *, now: dt.datetime) -> dict[str, Any]:
    """Check the registration data; raise one ValidationError naming every bad field."""
    errors: dict[str, str] = {}
    reported_at, occurred_from, occurred_to = (
        _aware(data.get(name)) for name in ("reported_at", "occurred_from", "occurred_to")
    )
    for name, value in (("reported_at", reported_at), ("occurred_from", occurred_from), ("occurred_to", occurred_to)):
        try:
            OFFENCE.check(value, field=Fir._meta.get_field(name).verbose_name, now=now)
        except ValidationError as exc:
            errors[name] = exc.messages[0]
    # setdefault: a time outside its range keeps that message, not a comparison's.
    if not isinstance(reported_at, dt.datetime):
        errors.setdefault("reported_at", _("Enter the date and time of the report."))
    if not isinstance(occurred_from, dt.datetime):
        errors.setdefault("occurred_from", _("Enter the date and time of the occurrence."))
    elif isinstance(reported_at, dt.datetime) and occurred_from > reported_at:
        errors.setdefault("occurred_from", _("The occurrence cannot be after the report time."))
    if isinstance(occurred_to, dt.datetime) and isinstance(occurred_from, dt.datetime):
        if occurred_to < occurred_from:
            errors.setdefault("occurred_to", _("The end of the occurrence cannot be before its start."))
        elif isinstance(reported_at, dt.datetime) and occurred_to > reported_at:
            errors.setdefault("occurred_to", _("The occurrence cannot be after the report time."))
    if not str(data.get("facts") or "").strip():
        errors["facts"] = _("Write the brief facts in the complainant's words; they cannot be empty.")
    if not str(data.get("complainant_name") or "").strip():
        errors["complainant_name"] = _("Enter the complainant's name.")
    if not str(data.get("place") or "").strip():
        errors["place"] = _("Enter the place of occurrence.")
    errors.update(point_errors(data.get("latitude"), data.get("longitude")))
    cnic = data.get("complainant_cnic")
    if cnic not in (None, ""):
        try:
            CNIC.normalise(cnic)
        except ValidationError as exc:
            errors["complainant_cnic"] = " ".join(exc.messages)
    for i, person in enumerate(data.get("accused") or []):
        if person.get("cnic") not in (None, ""):
            try:
                CNIC.normalise(person["cnic"])
            except ValidationError as exc:
                errors[f"accused-{i}-cnic"] = " ".join(exc.messages)
        if not person.get("is_unknown") and not str(person.get("name") or "").strip():
            errors[f"accused-{i}-name"] = _("Name the accused, or mark them unknown and describe them.")
        if person.get("is_unknown") and not str(person.get("description") or "").strip():
            errors[f"accused-{i}-description"] = _("Describe the unknown accused.")
    sections: list[Section] = []
    try:
        raw = data.get("sections") or []
        sections = sections_resolve(split_sections(raw) if isinstance(raw, str) else raw)
    except ValidationError as exc:
        errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
    errors.update(_vehicle_errors(data.get("vehicles") or [], sections))
    if errors:
        raise ValidationError(errors)
    return {"sections": sections}


def _vehicle_errors(vehicles: Iterable[Mapping[str, Any]], sections: list[Section]) -> dict[str, str]:
    """Return the stolen vehicles' errors by ``vehicles-<i>-<field>`` (the rules of fir.vehicles)."""
    from fir.vehicles import sections_allow_vehicle, stolen_vehicle_clean  # fir.vehicles imports this module

    errors: dict[str, str] = {}
    for i, vehicle in enumerate(vehicles):
        if i == 0 and sections and not sections_allow_vehicle(sections):
            errors["vehicles-0-__all__"] = _(
                "A stolen vehicle is recorded on an FIR under section 379, 381-A, 382 or 392 PPC: "
                "charge one of them, or clear the vehicle."
            )
        try:
            stolen_vehicle_clean(vehicle)
        except ValidationError as exc:
            errors.update({f"vehicles-{i}-{k}": " ".join(v) for k, v in exc.message_dict.items()})
    return errors


def fir_data_errors(data: Mapping[str, Any]) -> dict[str, list[str]]:
    """Return the registration rules' errors by field (``accused-<i>-<field>`` for an accused); empty if none.

    Lets a form show these beside its own parse errors in one round instead
    of only after every field parsed.
    """
    try:
        _validate(data, now=timezone.now())
    except ValidationError as exc:
        return exc.message_dict
    return {}


FIR_FIELDS = (
    "reported_at",
    "occurred_from",
    "occurred_to",
    "place",
    "distance_km",
    "direction",
    "latitude",
    "longitude",
    "complainant_name",
    "complainant_father_name",
    "complainant_cnic",
    "complainant_address",
    "complainant_phone",
    "facts",
    "weapons",
    "property_involved",
    "delay_reason",
    "action_taken",
)


@dataclass(frozen=True)
class FirSubmission:
    fir: Fir
    created: bool  # False: the form's submission key had already registered ``fir``


def fir_register(*, station: PoliceStation, acting_user: User, data: Mapping[str, Any]) -> Fir:
    """Register an FIR (see ``fir_submit``) and return it, or the FIR its submission key already registered."""
    return fir_submit(station=station, acting_user=acting_user, data=data).fir


@transaction.atomic
def fir_submit(*, station: PoliceStation, acting_user: User, data: Mapping[str, Any]) -> FirSubmission:
    """Register an FIR at ``station`` with the next number of the year; note it in the daily diary.

    ``data`` holds the FirForm's fields: the FIR_FIELDS above, ``sections``
    (Sections, or "302 PPC" strings, or one comma-separated string),
    ``accused`` (a list of dicts: name, father_name, cnic, address,
    is_unknown, description), ``vehicles`` (a list of dicts, the fields of
    ``fir.vehicles.stolen_vehicle_clean``: stolen vehicles, only under 379,
    381-A, 382 or 392 PPC), optional ``investigating_officer`` (a User
    posted at the station) and optional ``submission_key`` (a UUID): a second
    call with the same key returns the first FIR (``created`` False) instead of a
    duplicate, whatever the second call's data: the caller tells the user so.
    """
    now = timezone.now()
    resolved = _validate(data, now=now)
    io = data.get("investigating_officer")
    if io is not None and not station_is_posted(io, station):
        raise ValidationError({"investigating_officer": _("The investigating officer must be posted at this station.")})
    year = timezone.localtime(now).year
    counter = register_counter_lock(station=station, register=FIR_REGISTER, year=year)
    key = data.get("submission_key") or uuid.uuid4()
    existing = Fir.objects.filter(station=station, submission_key=key).first()
    if existing is not None:
        return FirSubmission(existing, created=False)  # a re-submitted form: the lock made the first one visible
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    values = {name: _aware(data.get(name)) for name in FIR_FIELDS}
    for name in ("place", "facts", "complainant_name"):
        values[name] = str(values[name]).strip()
    values["latitude"], values["longitude"] = point_normalise(values["latitude"], values["longitude"])
    for name, value in values.items():
        if value is None and Fir._meta.get_field(name).empty_strings_allowed and not Fir._meta.get_field(name).null:
            values[name] = ""
    fir = Fir.objects.create(
        station=station,
        year=year,
        number=counter.last_number,
        registered_at=now,
        submission_key=key,
        writing_officer=acting_user,
        writing_officer_name=_officer_label(acting_user),
        investigating_officer=io,
        status_changed_at=now,
        **values,
    )
    Fir.sections.through.objects.bulk_create(
        [Fir.sections.through(fir=fir, section=section) for section in resolved["sections"]]
    )
    for person in data.get("accused") or []:
        _accused_create(fir=fir, acting_user=acting_user, person=person)
    audit.record(
        actor=acting_user,
        action="fir.registered",
        target=fir,
        data={"number": fir.number, "year": fir.year, "sections": [str(s) for s in resolved["sections"]]},
    )
    # The registrar may record the FIR's stolen vehicles: the same creation (and audit) as on the FIR's page.
    from fir.vehicles import stolen_vehicle_create  # fir.vehicles imports this module

    for vehicle in data.get("vehicles") or []:
        stolen_vehicle_create(fir=fir, acting_user=acting_user, data=vehicle)
    diary_record(
        station=station,
        acting_user=acting_user,
        kind=DiaryKind.FIR_REGISTERED,
        fact=fact_make(
            DIARY_FIR_REGISTERED,
            number=fir.number,
            year=fir.year,
            sections=[str(s) for s in resolved["sections"]],
            name=fir.complainant_name,
        ),
        received_at=fir.reported_at,
        source=fir,
    )
    return FirSubmission(fir, created=True)


def _officer_label(user: User) -> str:
    name = user.get_full_name() or user.username
    return f"{name}, {user.rank}" if user.rank else name


def _accused_create(*, fir: Fir, acting_user: User, person: Mapping[str, Any]) -> Accused:
    return Accused.objects.create(
        fir=fir,
        name=str(person.get("name") or "").strip(),
        father_name=str(person.get("father_name") or "").strip(),
        cnic=person.get("cnic") or None,
        address=str(person.get("address") or "").strip(),
        is_unknown=bool(person.get("is_unknown")),
        description=str(person.get("description") or "").strip(),
        added_by=acting_user,
    )


def fir_can_edit(user: User, fir: Fir) -> bool:
    """Return True if ``user`` may change ``fir``: staff posted at its station; an IO only on assigned cases."""
    if user.is_superuser or has_role(user, Role.SYSTEM_ADMIN):
        return True
    if not station_is_posted(user, fir.station):
        return False
    if has_role(user, Role.SHO, Role.STATION_CLERK):
        return True
    return has_role(user, Role.INVESTIGATING_OFFICER) and fir.investigating_officer_id == user.pk


def _require_edit(user: User, fir: Fir) -> None:
    if not fir_can_edit(user, fir):
        raise ValidationError({"__all__": _("You may not change this FIR (it is not assigned to you).")})


@transaction.atomic
def fir_status_change(
    *,
    fir: Fir,
    acting_user: User,
    to_status: str,
    challan_kind: str = "",
    reason: str = "",
    order_reference: str = "",
) -> Fir:
    """Move ``fir`` along its life cycle; refuse a transition the current status does not allow."""
    fir = Fir.objects.select_for_update(of=("self",)).select_related("station").get(pk=fir.pk)
    _require_edit(acting_user, fir)
    reason, order_reference = (reason or "").strip(), (order_reference or "").strip()
    if to_status not in TRANSITIONS.get(fir.status, frozenset()):
        raise ValidationError(
            {
                "to_status": _("An FIR that is %(current)s cannot become %(target)s.")
                % {
                    "current": FirStatus(fir.status).label,
                    "target": FirStatus(to_status).label if to_status in FirStatus.values else to_status,
                }
            }
        )
    if to_status == FirStatus.CHALLAN_SUBMITTED:
        if challan_kind not in ChallanKind.values:
            raise ValidationError({"challan_kind": _("Say whether the challan is complete, interim or incomplete.")})
        if fir.status == FirStatus.CHALLAN_SUBMITTED and (
            fir.challan_kind == ChallanKind.COMPLETE or challan_kind != ChallanKind.COMPLETE
        ):
            raise ValidationError(
                {"challan_kind": _("After an interim or incomplete challan only a complete challan may follow.")}
            )
    else:
        challan_kind = fir.challan_kind
    if to_status == FirStatus.CANCELLED:
        if not reason:
            raise ValidationError({"reason": _("Give the reason for cancellation (rule 24.7).")})
        if not order_reference:
            raise ValidationError({"order_reference": _("Give the reference of the magistrate's order.")})
    if to_status in (FirStatus.CONVICTED, FirStatus.ACQUITTED) and not order_reference:
        raise ValidationError({"order_reference": _("Give the court's judgment reference.")})
    previous = fir.status
    fir.status, fir.challan_kind, fir.status_changed_at = to_status, challan_kind, timezone.now()
    fir.save(update_fields=["status", "challan_kind", "status_changed_at"])
    StatusChange.objects.create(
        fir=fir,
        from_status=previous,
        to_status=to_status,
        challan_kind=challan_kind if to_status == FirStatus.CHALLAN_SUBMITTED else "",
        reason=reason,
        order_reference=order_reference,
        changed_by=acting_user,
    )
    audit.record(
        actor=acting_user,
        action="fir.status_changed",
        target=fir,
        data={"from": previous, "to": to_status, "challan": challan_kind, "order": order_reference},
    )
    return fir


@transaction.atomic
def fir_assign_io(*, fir: Fir, acting_user: User, officer: User) -> Fir:
    """Assign the investigating officer (SHO); the officer must be posted at the FIR's station."""
    fir = Fir.objects.select_for_update(of=("self",)).select_related("station").get(pk=fir.pk)
    if not (has_role(acting_user, Role.SHO, Role.SYSTEM_ADMIN) and fir_can_edit(acting_user, fir)):
        raise ValidationError({"investigating_officer": _("Only the SHO assigns the investigating officer.")})
    if not station_is_posted(officer, fir.station):
        raise ValidationError({"investigating_officer": _("The investigating officer must be posted at this station.")})
    previous = fir.investigating_officer_id
    fir.investigating_officer = officer
    fir.save(update_fields=["investigating_officer"])
    audit.record(actor=acting_user, action="fir.io_assigned", target=fir, data={"from": previous, "to": officer.pk})
    return fir


@transaction.atomic
def fir_note_add(*, fir: Fir, acting_user: User, kind: str, text: str, person: str = "") -> CaseNote:
    """Append a supplementary statement or case diary entry (s.172 CrPC), timestamped and attributed."""
    _require_edit(acting_user, fir)
    if kind not in NoteKind.values:
        raise ValidationError({"kind": _("Choose a supplementary statement or a case diary entry.")})
    if not (text or "").strip():
        raise ValidationError({"text": _("The statement cannot be empty.")})
    note = CaseNote.objects.create(
        fir=fir, kind=kind, text=text.strip(), person=(person or "").strip(), recorded_by=acting_user
    )
    audit.record(actor=acting_user, action=f"fir.note_added.{kind}", target=fir, data={"note": note.pk})
    return note


@transaction.atomic
def accused_add(*, fir: Fir, acting_user: User, person: Mapping[str, Any]) -> Accused:
    """Add an accused named after registration (the FIR text itself stays unchanged)."""
    _require_edit(acting_user, fir)
    errors: dict[str, str] = {}
    if person.get("cnic") not in (None, ""):
        try:
            CNIC.normalise(person["cnic"])
        except ValidationError as exc:
            errors["cnic"] = " ".join(exc.messages)
    if not person.get("is_unknown") and not str(person.get("name") or "").strip():
        errors["name"] = _("Name the accused, or mark them unknown and describe them.")
    if person.get("is_unknown") and not str(person.get("description") or "").strip():
        errors["description"] = _("Describe the unknown accused.")
    if errors:
        raise ValidationError(errors)
    accused = _accused_create(fir=fir, acting_user=acting_user, person=person)
    audit.record(actor=acting_user, action="fir.accused_added", target=fir, data={"accused": accused.pk})
    return accused


@transaction.atomic
def arrest_record(*, fir: Fir, accused: Accused, acting_user: User, arrested_at: dt.datetime, place: str) -> Arrest:
    """Record the arrest of ``accused`` in ``fir`` and note it in the daily diary."""
    _require_edit(acting_user, fir)
    if accused.fir_id != fir.pk:
        raise ValidationError({"accused": _("This person is not an accused in this FIR.")})
    if arrested_at > timezone.now() + FUTURE_SLACK:
        raise ValidationError({"arrested_at": _("The time of arrest cannot be in the future.")})
    if arrested_at < fir.occurred_from:
        raise ValidationError({"arrested_at": _("The arrest cannot be before the occurrence.")})
    if not (place or "").strip():
        raise ValidationError({"place": _("Enter the place of arrest.")})
    if Arrest.objects.filter(accused=accused, custody_ended_at__isnull=True).exists():
        raise ValidationError({"accused": _("This accused is already in custody.")})
    arrest = Arrest.objects.create(
        fir=fir, accused=accused, arrested_at=arrested_at, place=place.strip(), arrested_by=acting_user
    )
    arrest.diary_entry = diary_record(
        station=fir.station,
        acting_user=acting_user,
        kind=DiaryKind.ARREST,
        fact=fact_make(
            DIARY_ARREST,
            accused=in_every_language(accused),
            number=fir.number,
            year=fir.year,
            place=arrest.place,
        ),
        received_at=arrested_at,
        source=arrest,
    )
    arrest.save(update_fields=["diary_entry"])
    audit.record(actor=acting_user, action="fir.arrest_recorded", target=fir, data={"arrest": arrest.pk})
    return arrest


@transaction.atomic
def arrest_custody_end(*, arrest: Arrest, acting_user: User, reason: str) -> Arrest:
    """End police custody (sent to judicial lock-up, bailed, released); the custody roll drops the person."""
    arrest = Arrest.objects.select_for_update().select_related("fir__station").get(pk=arrest.pk)
    _require_edit(acting_user, arrest.fir)
    if arrest.custody_ended_at is not None:
        raise ValidationError({"reason": _("Custody has already ended.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say how custody ended (remand to jail, bail, release).")})
    arrest.custody_ended_at, arrest.custody_end_reason = timezone.now(), reason.strip()
    arrest.save(update_fields=["custody_ended_at", "custody_end_reason"])
    audit.record(actor=acting_user, action="fir.custody_ended", target=arrest.fir, data={"arrest": arrest.pk})
    return arrest


def persons_in_custody(station: PoliceStation) -> list[str]:
    """Return one line per person held at ``station`` (the daily diary's opening entry). Two queries."""
    arrests = (
        Arrest.objects.filter(fir__station=station, custody_ended_at__isnull=True)
        .filter(~Q(fir__status__in=[FirStatus.CANCELLED]))
        .select_related("accused", "fir")
        .prefetch_related("fir__sections")
        .order_by("arrested_at")
    )
    return [
        _("%(name)s, %(fir)s u/s %(sections)s, arrested %(at)s")
        % {
            "name": a.accused,
            "fir": f"{_('FIR No.')} {a.fir.number}/{a.fir.year}",
            "sections": ltr_text(", ".join(str(s) for s in a.fir.sections.all())),  # 381-A PPC reads LTR in Urdu
            "at": datetime_text(a.arrested_at),
        }
        for a in arrests
    ]
