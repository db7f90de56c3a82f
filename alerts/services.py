"""Writes of the alert pipeline: raise alerts from any intake, notify the SHO, acknowledge and close."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.matching import MatchResult
from alerts.models import Alert, AlertOutcome, AlertStatus, MatchKind, SourceKind
from casp import audit
from casp.models import User
from casp.roles import Role
from casp.tasks import notify_send_task
from cro.models import CriminalRecord
from stations.diary import fact_make, in_every_language
from stations.models import DiaryKind, PoliceStation
from stations.selectors import officers_at_station
from stations.services import diary_record

KIND_STRENGTH = {MatchKind.CNIC: 3, MatchKind.FACE: 2, MatchKind.NAME: 1}
# Hotel Eye's alerts keep the audit action, diary kind and wording they had before the pipeline was shared.
_RAISED_ACTION = {SourceKind.HOTEL_CHECKIN: "hoteleye.alert_raised"}
_SUBJECT_NOUN = {SourceKind.HOTEL_CHECKIN: "hotel"}
_UNIQUE_ALERT = "alerts_alert_unique_per_station_source_record"


def _merge(matches: list[MatchResult]) -> dict[int, dict[str, Any]]:
    """Group alerting matches by record: the strongest kind leads, every reason is kept."""
    merged: dict[int, dict[str, Any]] = {}
    for m in sorted((m for m in matches if m.alert), key=lambda m: (-KIND_STRENGTH.get(m.kind, 0), -(m.score or 0.0))):
        entry = merged.setdefault(
            m.record_id,
            {"kind": m.kind, "score": m.score or 0.0, "distance": None, "photo_id": None, "reasons": []},
        )
        if m.distance is not None and entry["distance"] is None:
            entry["distance"], entry["photo_id"] = m.distance, m.photo_id
        entry["reasons"].extend(f"{MatchKind(m.kind).label}: {r}" for r in m.reasons)
    return merged


def record_status(record: CriminalRecord) -> str:
    """Return the record's flags (wanted, proclaimed offender, ...) as one line for the alert's snapshot."""
    return ", ".join(str(label) for _key, label, _day in record.statuses)[:120]


def alerts_raise(
    *,
    source: models.Model,
    source_kind: str,
    matches: list[MatchResult],
    stations: Iterable[PoliceStation],
    acting_user: User | None = None,
    person_name: str = "",
    place: str = "",
    place_detail: str = "",
) -> list[Alert]:
    """Idempotent per (source, record): one alert per CRO record hit, routed to the given stations and to the
    station that flagged the record; diary entry + SHO notification as Hotel Eye does today.

    Only matches marked ``alert`` raise. Returns the alerts created by this call (a repeated call returns []).
    Call inside the transaction that records the match; the SHO is notified after commit.
    """
    merged = _merge(matches)
    if not merged:
        return []
    own = list(dict.fromkeys(stations))
    own_ids = {s.pk for s in own}
    # A CNIC hit carries its record as the match read it; only the others are read here.
    records = {m.record_id: m.record for m in matches if m.record is not None}
    missing = [pk for pk in merged if pk not in records]
    if missing:
        records.update(CriminalRecord.objects.select_related("wanted_by_station").in_bulk(missing))
    created: list[Alert] = []
    for record_id, entry in merged.items():
        record = records.get(record_id)
        if record is None:
            continue
        targets = list(own)
        flagged_by = record.wanted_by_station
        if flagged_by is not None and flagged_by.pk not in own_ids:
            targets.append(flagged_by)
        for station in targets:
            alert, is_new = alert_create(
                station=station,
                source=source,
                source_kind=source_kind,
                cro_record_id=record_id,
                record_photo_id=entry["photo_id"],
                snapshot={
                    "record_name": record.name[:150],
                    "record_cnic": str(record.cnic or ""),
                    "record_status": record_status(record),
                    "person_name": (person_name or getattr(source, "name", ""))[:150],
                    "place": place[:255],
                    "place_detail": place_detail[:60],
                },
                kind=entry["kind"],
                score=entry["score"],
                distance=entry["distance"],
                reasons=entry["reasons"],
                is_flagging_station=station.pk not in own_ids,
                acting_user=acting_user,
            )
            if is_new:
                created.append(alert)
    return created


def alert_create(
    *,
    station: PoliceStation,
    source: models.Model,
    source_kind: str,
    snapshot: dict[str, str],
    kind: str,
    score: float,
    reasons: list[str],
    cro_record_id: int | None = None,
    fir_id: int | None = None,
    record_photo_id: int | None = None,
    distance: float | None = None,
    is_flagging_station: bool = False,
    acting_user: User | None = None,
) -> tuple[Alert, bool]:
    """Return the alert for (station, source, record or FIR), creating it if new; return (alert, created).

    A new alert is audited and entered in the station's daily diary in the caller's
    transaction; the SHO is notified after commit (a retried task). The unique constraint
    ``alerts_alert_unique_per_station_source_record`` makes a repeated call a no-op: the insert is
    tried first, in a savepoint (a new alert is the usual case, so no look-up precedes it), and
    only when the constraint refuses it is the existing alert read.
    """
    key = {
        "station": station,
        "source_type": ContentType.objects.get_for_model(source),
        "source_id": source.pk,
        "cro_record_id": cro_record_id,
        "fir_id": fir_id,
    }
    defaults = {
        **snapshot,
        "source_kind": source_kind,
        "record_photo_id": record_photo_id,
        "kind": kind,
        "score": score,
        "distance": distance,
        "reasons": reasons,
        "is_flagging_station": is_flagging_station,
    }
    try:
        with transaction.atomic():
            alert = Alert.objects.create(**key, **defaults)
            _alert_raised(alert, station=station, source_kind=source_kind, kind=kind, acting_user=acting_user)
    except IntegrityError as exc:
        if _UNIQUE_ALERT not in str(exc):
            raise
        return Alert.objects.get(**key), False
    return alert, True


def _alert_raised(
    alert: Alert, *, station: PoliceStation, source_kind: str, kind: str, acting_user: User | None
) -> None:
    """Audit a new alert, enter it in the station's diary and notify the SHO after commit."""
    from alerts.tasks import alert_notify_sho_task

    audit.record(
        actor=acting_user,
        action=_RAISED_ACTION.get(source_kind, "alerts.alert_raised"),
        target=alert,
        station_id=station.pk,
        data={"kind": kind, "source": source_kind},
    )
    diary_record(
        station=station,
        acting_user=None,
        received_at=alert.created_at,
        source=alert,
        source_is_new=True,  # created just now, in this transaction: no diary entry names it yet
        **_diary_fact(alert),
    )
    alert_id = alert.pk
    # A task with retries, after commit: an SMTP or gateway error no longer loses the SHO's notification;
    # if even queuing fails (broker down), the alert stands and waits in the inbox.
    transaction.on_commit(lambda: alert_notify_sho_task.delay(alert_id=alert_id), robust=True)


def _diary_fact(alert: Alert) -> dict[str, Any]:
    kind = in_every_language(MatchKind(alert.kind).label)
    if alert.source_kind == SourceKind.HOTEL_CHECKIN:
        fact = fact_make(
            "hoteleye.alert",
            id=alert.pk,
            guest=alert.person_name,
            hotel=alert.place,
            room=alert.place_detail,
            record=alert.cro_record_id,
            name=alert.record_name,
            kind=kind,
        )
        return {"kind": DiaryKind.HOTEL_ALERT, "fact": fact}
    fact = fact_make(
        "alerts.alert",
        id=alert.pk,
        source=in_every_language(SourceKind(alert.source_kind).label),
        person=alert.person_name,
        place=alert.place,
        name=alert.record_name,
        kind=kind,
    )
    return {"kind": DiaryKind.ALERT, "fact": fact}


def _message(alert: Alert) -> tuple[str, str]:
    noun = _SUBJECT_NOUN.get(alert.source_kind, alert.source_kind.replace("_", " "))
    subject = f"CASP {noun} alert {alert.pk} ({alert.get_kind_display()})"
    target = f"CRO record {alert.cro_record_id}" if alert.cro_record_id else f"FIR {alert.record_name}"
    if alert.source_kind == SourceKind.HOTEL_CHECKIN:
        who = f"A guest at {alert.place}, room {alert.place_detail},"
    else:
        who = f"{SourceKind(alert.source_kind).label} {alert.person_name} at {alert.place}".strip()
    body = f"{who} matched {target} ({alert.record_name}). Review: {alert.get_absolute_url()}"
    return subject, body


def alert_notify_sho(*, alert_id: int) -> int:
    """Queue the alert's message to each SHO posted at the alert's station; return how many were queued.

    One retried task per recipient (casp.tasks.notify_send), so a failure resends only
    that recipient's message. The intake (hotel, landlord, citizen) is never told. Call after commit.
    """
    alert = Alert.objects.select_related("station").get(pk=alert_id)
    subject, body = _message(alert)
    sent = 0
    for sho in officers_at_station(alert.station, roles=[Role.SHO]):  # active users, each once
        to = sho.email or sho.phone
        if not to:
            continue
        notify_send_task.delay(to=to, subject=subject, body=body, channel="email" if "@" in to else "sms")
        sent += 1
    return sent


def _action(alert: Alert, verb: str) -> str:
    return f"hoteleye.alert_{verb}" if alert.source_kind == SourceKind.HOTEL_CHECKIN else f"alerts.alert_{verb}"


@transaction.atomic
def alert_acknowledge(*, alert: Alert, acting_user: User, note: str = "") -> Alert:
    """Move a new alert to acknowledged (under a row lock), with an optional note; audited."""
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if locked.status != AlertStatus.NEW:
        raise ValidationError(
            {
                "note": _("Only a new alert can be acknowledged; this one is %(status)s.")
                % {"status": locked.get_status_display()}
            }
        )
    locked.status = AlertStatus.ACKNOWLEDGED
    locked.acknowledged_at = timezone.now()
    locked.acknowledged_by = acting_user
    locked.acknowledge_note = note
    locked.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "acknowledge_note"])
    audit.record(actor=acting_user, action=_action(locked, "acknowledged"), target=locked, data={"note": note})
    return locked


@transaction.atomic
def alert_close(*, alert: Alert, acting_user: User, outcome: str, note: str) -> Alert:
    """Close an acknowledged alert as arrested / not the person / false match, with a note; audited."""
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if locked.status != AlertStatus.ACKNOWLEDGED:
        raise ValidationError(
            {
                "outcome": _("Acknowledge the alert before closing it; this one is %(status)s.")
                % {"status": locked.get_status_display()}
            }
        )
    if outcome not in AlertOutcome.values:
        raise ValidationError({"outcome": _("Choose arrested, verified not the person, or false match.")})
    if not note.strip():
        raise ValidationError({"note": _("Write a note saying what was done.")})
    locked.status = AlertStatus.CLOSED
    locked.outcome = outcome
    locked.closed_at = timezone.now()
    locked.closed_by = acting_user
    locked.close_note = note
    locked.save(update_fields=["status", "outcome", "closed_at", "closed_by", "close_note"])
    audit.record(
        actor=acting_user, action=_action(locked, "closed"), target=locked, data={"outcome": outcome, "note": note}
    )
    return locked
