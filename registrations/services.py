"""Writes of registrations: filing (online, CSV, Khidmat counter), ending, and the CSV batch with its row report."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casp import audit
from casp.csvrows import csv_header, csv_rows
from casp.dates import PKT
from casp.identifiers import tracking_number_new
from casp.models import User
from casp.uploads import ProcessedImage, private_name
from registrations.models import (
    REPORTING_DEADLINE,
    START,
    Channel,
    Kind,
    RegisteredPerson,
    Registration,
    Role,
    address_key,
)
from stations.models import PoliceStation


@dataclass(frozen=True)
class PersonData:
    name: str
    father_name: str
    date_of_birth: dt.date
    cnic: str | None = None
    passport_number: str = ""
    nationality: str = ""
    photo: ProcessedImage | None = None
    visa_type: str = ""
    visa_expiry: dt.date | None = None


@dataclass(frozen=True)
class RegistrationData:
    """What every channel supplies. ``persons[0]`` is the tenant, worker or foreigner; the rest adult occupants."""

    kind: str
    registrant_name: str
    registrant_cnic: str
    registrant_phone: str
    address: str
    station: PoliceStation
    start_date: dt.date
    persons: list[PersonData]
    home_address: str = ""
    home_station: PoliceStation | None = None


PERSON_FIELDS = ("cnic", "passport_number", "nationality", "name", "father_name", "date_of_birth", "visa_type",
                 "visa_expiry")  # fmt: skip


def person_data(cleaned: dict[str, Any]) -> PersonData:
    """Return the PersonData of a cleaned PersonForm."""
    values = {k: cleaned.get(k) for k in PERSON_FIELDS}
    return PersonData(
        **{k: (v if v is not None or k in ("cnic", "visa_expiry") else "") for k, v in values.items()},
        photo=cleaned.get("photo"),
    )


def is_late(*, start_date: dt.date, received_at: dt.datetime) -> bool:
    """Return True if ``received_at`` is more than 48 hours after the start day began (Pakistan time)."""
    start = dt.datetime.combine(start_date, dt.time.min, tzinfo=PKT)
    return received_at - start > REPORTING_DEADLINE


def _store_photos(persons: list[PersonData]) -> list[str]:
    return [
        default_storage.save(private_name("registrations/photos", p.photo.extension), ContentFile(p.photo.content))
        if p.photo is not None
        else ""
        for p in persons
    ]


def _validate(data: RegistrationData) -> None:
    errors: dict[str, list[str]] = {}
    try:
        START.check(data.start_date, field=Registration._meta.get_field("start_date").verbose_name)
    except ValidationError as exc:
        errors["start_date"] = exc.messages
    if not data.persons:
        errors["name"] = [_("Name the person being registered.")]
    if data.kind in (Kind.SERVANT, Kind.EMPLOYEE) and (not data.home_address or data.home_station is None):
        errors["home_address"] = [_("Enter the worker's home address and its police station.")]
    if (
        data.kind == Kind.FOREIGNER
        and data.persons
        and not (data.persons[0].passport_number and data.persons[0].visa_expiry)
    ):
        errors["passport_number"] = [_("A foreigner is registered with a passport number, nationality and visa.")]
    if errors:
        raise ValidationError(errors)


def registration_file(
    *, data: RegistrationData, channel: str = Channel.ONLINE, acting_user: User | None = None
) -> Registration:
    """Save a registration with its people and photos; queue their matching against the CRO after commit.

    The Khidmat counter calls this with ``channel=Channel.COUNTER`` and the clerk as ``acting_user``.
    Raises ValidationError (by field) for a start date out of range, a missing worker's home or an active
    registration of the same person at the same address; nothing is saved then, and stored photos are removed.
    """
    _validate(data)
    stored = _store_photos(data.persons)
    try:
        return _registration_file(data=data, channel=channel, acting_user=acting_user, stored=stored)
    except BaseException:
        for name in stored:
            if name:
                default_storage.delete(name)
        raise


@transaction.atomic
def _registration_file(
    *, data: RegistrationData, channel: str, acting_user: User | None, stored: list[str]
) -> Registration:
    from registrations.tasks import registration_match_queue

    today = timezone.localdate()
    persons = [
        RegisteredPerson(
            role=Role.PRINCIPAL if i == 0 else Role.OCCUPANT,
            cnic=p.cnic or None,
            passport_number="" if p.cnic else p.passport_number,
            nationality="" if p.cnic else p.nationality,
            name=p.name.strip(),
            father_name=p.father_name.strip(),
            date_of_birth=p.date_of_birth,
            visa_type=p.visa_type,
            visa_expiry=p.visa_expiry,
            visa_expired=p.visa_expiry is not None and p.visa_expiry < today,
            photo=stored[i],
        )
        for i, p in enumerate(data.persons)
    ]
    registration = Registration(
        kind=data.kind,
        tracking_number=tracking_number_new(),
        channel=channel,
        registrant_name=data.registrant_name.strip(),
        registrant_cnic=data.registrant_cnic,
        registrant_phone=data.registrant_phone,
        address=data.address.strip(),
        address_key=address_key(data.address),
        station=data.station,
        home_address=data.home_address.strip(),
        home_station=data.home_station,
        start_date=data.start_date,
        person_key=persons[0].document_key,
        entered_by=acting_user,
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:
        if "one_active_per_address" in str(exc):
            raise ValidationError(
                {
                    "address": _(
                        "This person is already registered at this address; the earlier registration must be "
                        "ended by the police station before a new one."
                    )
                }
            ) from None
        raise
    registration.is_late = is_late(start_date=registration.start_date, received_at=registration.received_at)
    if registration.is_late:
        registration.save(update_fields=["is_late"])
    for person in persons:
        person.registration = registration
    RegisteredPerson.objects.bulk_create(persons)
    audit.record(
        actor=acting_user,
        action="registrations.filed",
        target=registration,
        station_id=registration.station_id,
        data={
            "kind": registration.kind,
            "channel": channel,
            "persons": len(persons),
            "late": registration.is_late,
            "visa_expired": any(p.visa_expired for p in persons),
        },
    )
    registration_id = registration.pk
    transaction.on_commit(lambda: registration_match_queue(registration_id))
    return registration


@transaction.atomic
def registration_end(*, registration: Registration, acting_user: User, note: str = "") -> Registration:
    """Record that the tenancy or work ended (nothing is deleted); refuse a second end."""
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if locked.ended_at is not None:
        raise ValidationError(_("This registration has already ended."))
    locked.ended_at, locked.ended_by = timezone.now(), acting_user
    locked.save(update_fields=["ended_at", "ended_by"])
    audit.record(
        actor=acting_user,
        action="registrations.ended",
        target=locked,
        station_id=locked.station_id,
        data={"note": note},
    )
    return locked


# --- CSV batch ----------------------------------------------------------------------------------------------------
CSV_COLUMNS = ("address", "station", "start_date", *PERSON_FIELDS, "home_address", "home_station")
CSV_REQUIRED = ("address", "station", "start_date", "name", "father_name", "date_of_birth")


@dataclass
class RowReport:
    row: int  # the line number in the file (the header is line 1)
    ok: bool
    tracking_number: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)


def _errors(form: Any) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


def registrations_import_csv(
    *, kind: str, registrant: dict[str, str], text: str, acting_user: User | None = None
) -> list[RowReport]:
    """Save each valid row as a registration, each in its own transaction; report every row.

    Stations are named by their code. A bad row is reported with its errors and saves nothing; it never
    stops the rows after it (casp.csvrows). The batch is audited once, at the end.
    """
    from registrations.forms import PersonForm, RegistrationForm

    reader = csv.DictReader(io.StringIO(text))
    header = csv_header(reader)
    missing = [c for c in CSV_REQUIRED if c not in header]
    if missing:
        raise ValidationError(
            _("The first row must name the columns; missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    stations = {s.code.upper(): s.pk for s in PoliceStation.objects.only("pk", "code")}
    reports = []
    for csv_row in csv_rows(reader):
        if csv_row.values is None:
            reports.append(RowReport(row=csv_row.number, ok=False, errors={"row": [csv_row.problem]}))
            continue
        row = {(k or "").strip(): (v or "").strip() for k, v in csv_row.values.items() if k}
        for key in ("station", "home_station"):
            row[key] = str(stations.get(row.get(key, "").upper(), row.get(key, "") and "-1"))
        place = RegistrationForm(data={**registrant, **row}, kind=kind)
        person = PersonForm(data=row, kind=kind)
        place_ok, person_ok = place.is_valid(), person.is_valid()
        if not (place_ok and person_ok):
            reports.append(RowReport(row=csv_row.number, ok=False, errors={**_errors(place), **_errors(person)}))
            continue
        try:
            registration = registration_file(
                data=registration_data(kind, place.cleaned_data, [person_data(person.cleaned_data)]),
                channel=Channel.CSV,
                acting_user=acting_user,
            )
        except ValidationError as exc:
            reports.append(RowReport(row=csv_row.number, ok=False, errors=exc.message_dict))
            continue
        reports.append(RowReport(row=csv_row.number, ok=True, tracking_number=registration.tracking_number))
    audit.record(
        actor=acting_user,
        action="registrations.csv_imported",
        data={"kind": kind, "rows": len(reports), "saved": sum(r.ok for r in reports)},
    )
    return reports


def registration_data(kind: str, place: dict[str, Any], persons: list[PersonData]) -> RegistrationData:
    """Return the RegistrationData of a cleaned RegistrationForm and its people."""
    return RegistrationData(
        kind=kind,
        registrant_name=place["registrant_name"],
        registrant_cnic=place["registrant_cnic"],
        registrant_phone=place["registrant_phone"],
        address=place["address"],
        station=place["station"],
        start_date=place["start_date"],
        home_address=place.get("home_address") or "",
        home_station=place.get("home_station"),
        persons=persons,
    )
