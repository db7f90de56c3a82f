"""Writes of Hotel Eye: hotels, staff, tokens, check-ins, check-outs, CSV batches and the alert workflow."""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts import services as alerts_services
from alerts.models import Alert, SourceKind
from casp import audit
from casp.bidi import ltr_text
from casp.csvrows import csv_header, csv_rows
from casp.dates import CHECK_OUT
from casp.formats import datetime_text
from casp.models import User
from casp.roles import Role
from casp.storage import file_batch
from casp.uploads import ProcessedImage
from hoteleye import selectors
from hoteleye.models import (
    CHECKIN_FIELDS,
    COMPANION_FIELDS,
    REPORTING_DEADLINE,
    ApiToken,
    CheckIn,
    Companion,
    GuestType,
    Hotel,
    HotelStaff,
    NadraStatus,
    Source,
)
from hoteleye.nadra import get_verifier
from stations.models import PoliceStation


# --- hotels, staff, tokens --------------------------------------------------------------------------------------
@transaction.atomic
def hotel_register(*, acting_user: User, data: dict[str, Any]) -> Hotel:
    """Register a hotel owned by a station in the officer's jurisdiction; its district is the station's."""
    station = data["station"]
    if not selectors.police_stations_for_user(acting_user).filter(pk=station.pk).exists():
        raise PermissionDenied("station outside jurisdiction")
    hotel = Hotel.objects.create(district_id=station.district_id, **data)
    audit.record(actor=acting_user, action="hoteleye.hotel_registered", target=hotel, station_id=station.pk)
    return hotel


@transaction.atomic
def hotel_staff_bind(*, acting_user: User | None, hotel: Hotel, user: User) -> HotelStaff:
    """Make ``user`` staff of ``hotel`` (and of no other hotel); give them the hotel staff role."""
    staff, _created = HotelStaff.objects.update_or_create(
        user=user, defaults={"hotel": hotel, "is_active": True, "created_by": acting_user}
    )
    user.groups.add(Group.objects.get_or_create(name=Role.HOTEL_STAFF.value)[0])
    audit.record(
        actor=acting_user,
        action="hoteleye.staff_bound",
        target=staff,
        station_id=hotel.station_id,
        data={"hotel": hotel.code, "user": user.username},
    )
    return staff


@transaction.atomic
def hotel_staff_create(*, acting_user: User, hotel: Hotel, data: dict[str, Any]) -> HotelStaff:
    """Create a hotel staff account for ``hotel`` (which the caller fetched through a scoped selector)."""
    user = User(
        username=data["username"],
        first_name=data["first_name"],
        last_name=data.get("last_name", ""),
        phone=data.get("phone", ""),
    )
    user.set_password(data["password"])
    user.save()
    return hotel_staff_bind(acting_user=acting_user, hotel=hotel, user=user)


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_rotate(*, acting_user: User | None, hotel: Hotel | None = None, user: User | None = None) -> str:
    """Revoke the live token of ``hotel`` (or ``user``), create a new one and return its key (shown once)."""
    owner = {"hotel": hotel} if hotel is not None else {"user": user}
    now = timezone.now()
    revoked = ApiToken.objects.select_for_update().filter(revoked_at__isnull=True, **owner).update(revoked_at=now)
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(key_hash=_hash_key(key), prefix=key[:8], **owner)
    audit.record(
        actor=acting_user,
        action="hoteleye.token_rotated",
        target=token,
        station_id=hotel.station_id if hotel else None,
        data={"revoked": revoked},
    )
    return key


def token_authenticate(key: str) -> ApiToken | None:
    """Return the live token with this key (hotel and user loaded), or None if unknown, revoked or its user's
    account is deactivated (a deactivated officer's token must not go on reading alerts)."""
    if not key:
        return None
    return (
        ApiToken.objects.select_related("hotel", "user")
        .filter(Q(user__isnull=True) | Q(user__is_active=True), key_hash=_hash_key(key), revoked_at__isnull=True)
        .first()
    )


# --- check-in and check-out ---------------------------------------------------------------------------------------
def _duplicate_error(data: dict[str, Any]) -> ValidationError:
    if data.get("guest_type") == GuestType.FOREIGNER:
        return ValidationError(
            {
                "passport_number": _(
                    "This passport already has an open check-in at this hotel; check the guest out first."
                )
            }
        )
    return ValidationError(
        {"cnic": _("This CNIC already has an open check-in at this hotel; check the guest out first.")}
    )


def checkin_create(
    *,
    hotel: Hotel,
    acting_user: User | None,
    data: dict[str, Any],
    companions: list[dict[str, Any]] | None = None,
    photo: ProcessedImage | None = None,
    source: str = Source.FORM,
    queue_match: bool = True,
) -> CheckIn:
    """Save a guest's check-in with companions and photo; queue its matching after commit.

    ``queue_match=False`` leaves the queuing to the caller (a batch intake queues one batch task).

    Raises ValidationError (by field) for a second open check-in of the same guest
    at this hotel; nothing is saved then, and a stored photo is removed again.
    """
    with file_batch("photo") as files:
        stored: tuple[str, str] | None = None
        if photo is not None:
            stored = (
                files.write("hoteleye/photos", photo.extension, photo.content),
                files.write("hoteleye/thumbs", "jpg", photo.thumbnail),
            )
        return _checkin_create(
            hotel=hotel,
            acting_user=acting_user,
            data=data,
            companions=companions or [],
            stored=stored,
            source=source,
            queue_match=queue_match,
        )


@transaction.atomic
def _checkin_create(
    *,
    hotel: Hotel,
    acting_user: User | None,
    data: dict[str, Any],
    companions: list[dict[str, Any]],
    stored: tuple[str, str] | None,
    source: str,
    queue_match: bool,
) -> CheckIn:
    from hoteleye.tasks import checkin_match_queue

    values = {k: data.get(k) for k in CHECKIN_FIELDS}
    values = {k: ("" if v is None and k not in ("cnic", "date_of_birth") else v) for k, v in values.items()}
    checkin = CheckIn(hotel=hotel, entered_by=acting_user, source=source, **values)
    if stored:
        checkin.photo.name, checkin.photo_thumbnail.name = stored
    if checkin.guest_type == GuestType.PAKISTANI:
        result = get_verifier().verify(checkin.cnic, name=checkin.name, father_name=checkin.father_name)
        checkin.nadra_status = result.status
    else:
        checkin.nadra_status = NadraStatus.NOT_APPLICABLE
    try:
        with transaction.atomic():
            checkin.save()
    except IntegrityError as exc:
        if "one_open_per" in str(exc):
            raise _duplicate_error(values) from None
        raise
    # received_at is set by the database save; lateness is measured against it.
    if checkin.received_at - checkin.checked_in_at > REPORTING_DEADLINE:
        checkin.is_late = True
        checkin.save(update_fields=["is_late"])
    Companion.objects.bulk_create(
        [Companion(checkin=checkin, **{k: c.get(k) or _blank(k) for k in COMPANION_FIELDS}) for c in companions]
    )
    audit.record(
        actor=acting_user,
        action="hoteleye.checkin_created",
        target=checkin,
        station_id=hotel.station_id,
        data={"hotel": hotel.code, "source": source, "companions": len(companions), "late": checkin.is_late},
    )
    checkin_id = checkin.pk
    if queue_match:
        transaction.on_commit(lambda: checkin_match_queue(checkin_id))
    return checkin


def _blank(key: str) -> Any:
    return None if key in ("cnic", "date_of_birth") else ("" if key != "is_minor" else False)


@transaction.atomic
def checkin_checkout(*, checkin: CheckIn, acting_user: User | None, checked_out_at: datetime | None = None) -> CheckIn:
    """Record the guest's check-out (now, or the given time); refuse a time before check-in or a second one."""
    locked = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    when = checked_out_at or timezone.now()
    if locked.checked_out_at is not None:
        raise ValidationError({"checked_out_at": _("This guest has already checked out.")})
    if when < locked.checked_in_at:
        raise ValidationError(
            {
                "checked_out_at": _("The check-out time is before the check-in time (%(checked_in)s).")
                % {"checked_in": ltr_text(datetime_text(locked.checked_in_at))}
            }
        )
    try:
        CHECK_OUT.check(when, field=CheckIn._meta.get_field("checked_out_at").verbose_name)
    except ValidationError as exc:
        raise ValidationError({"checked_out_at": exc.messages}) from None
    locked.checked_out_at = when
    locked.save(update_fields=["checked_out_at"])
    audit.record(
        actor=acting_user, action="hoteleye.checkin_checked_out", target=locked, station_id=locked.hotel.station_id
    )
    checkin.checked_out_at = when
    return locked


# --- CSV batch ----------------------------------------------------------------------------------------------------
@dataclass
class RowReport:
    row: int  # the line number in the file (the header is line 1)
    ok: bool
    checkin_id: int | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)


CSV_COLUMNS = CHECKIN_FIELDS


def checkins_import_csv(*, hotel: Hotel, acting_user: User | None, text: str) -> list[RowReport]:
    """Save each valid row as a check-in, each in its own transaction; report every row.

    A bad row is reported with its errors and saves nothing; it never stops the rows after it, even
    when the csv module cannot read it (casp.csvrows). The import is audited once, at the end, and
    the saved rows are matched in batches (hoteleye.tasks.checkins_match_batch).
    """
    from hoteleye.forms import CheckInForm, errors_json
    from hoteleye.tasks import checkins_match_queue

    reader = csv.DictReader(io.StringIO(text))
    header = csv_header(reader)
    missing = [c for c in ("guest_type", "name", "gender", "room", "checked_in_at") if c not in header]
    if missing:
        raise ValidationError(
            _("The first row must name the columns; missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    reports = []
    for csv_row in csv_rows(reader):
        number = csv_row.number
        if csv_row.values is None:
            reports.append(RowReport(row=number, ok=False, errors={"row": [csv_row.problem]}))
            continue
        row = {(k or "").strip(): (v or "").strip() for k, v in csv_row.values.items() if k}
        form = CheckInForm(data=row)
        if not form.is_valid():
            reports.append(RowReport(row=number, ok=False, errors=errors_json(form)))
            continue
        try:
            checkin = checkin_create(
                hotel=hotel, acting_user=acting_user, data=form.cleaned_data, source=Source.CSV, queue_match=False
            )
        except ValidationError as exc:
            reports.append(RowReport(row=number, ok=False, errors={k: list(v) for k, v in exc.message_dict.items()}))
            continue
        reports.append(RowReport(row=number, ok=True, checkin_id=checkin.pk))
    audit.record(
        actor=acting_user,
        action="hoteleye.csv_imported",
        target=hotel,
        station_id=hotel.station_id,
        data={"rows": len(reports), "saved": sum(r.ok for r in reports)},
    )
    saved = [r.checkin_id for r in reports if r.checkin_id is not None]
    transaction.on_commit(lambda: checkins_match_queue(saved))
    return reports


# --- alerts -------------------------------------------------------------------------------------------------------
# The workflow (acknowledge, close with an outcome) and the SHO's notification are the shared pipeline's.
alert_acknowledge = alerts_services.alert_acknowledge
alert_close = alerts_services.alert_close


def alert_create(
    *,
    station: PoliceStation,
    checkin: CheckIn,
    companion: Companion | None,
    cro_record_id: int,
    snapshot: dict[str, str],
    record_photo_id: int | None = None,
    kind: str,
    score: float,
    distance: float | None,
    reasons: list[str],
) -> tuple[Alert, bool]:
    """Return the alert for (station, guest or companion, record), creating it if new; return (alert, created).

    alerts.services.alert_create with the check-in's person as the source: audited, entered in the
    station's daily diary, the SHO notified after commit; a repeated call is a no-op.
    """
    person = companion or checkin
    return alerts_services.alert_create(
        station=station,
        source=person,
        source_kind=SourceKind.HOTEL_CHECKIN,
        snapshot={**snapshot, "person_name": person.name, "place": checkin.hotel.name, "place_detail": checkin.room},
        cro_record_id=cro_record_id,
        record_photo_id=record_photo_id,
        kind=kind,
        score=score,
        distance=distance,
        reasons=reasons,
        is_flagging_station=station.pk != checkin.hotel.station_id,
    )
