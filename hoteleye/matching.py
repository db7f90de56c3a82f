"""Match a check-in's guest and companions against the CRO and raise alerts to the stations concerned.

Three matchers, from the CRO app: CNIC exact; name + father's name (+ date of
birth) through the layered name matcher; the guest's photo through the face
search (pgvector, L2, FACE_TOLERANCE). Every candidate is stored as a
MatchResult; those above the thresholds below raise one Alert per station
(the hotel's own station, and the station that flagged the record as wanted).
Face and name hits are candidates for an officer to review, never an
identification.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cro.faces import encode_face, face_search
from cro.matching import match_cnic, match_names
from cro.models import CriminalRecord
from hoteleye.models import Alert, CheckIn, Companion, MatchKind, MatchResult, MatchStatus
from hoteleye.services import alert_create

logger = logging.getLogger("hoteleye.matching")

# A name match raises an alert only when it is this strong AND the father's name and date of birth agree.
NAME_ALERT_SCORE = 90
# Weaker name candidates worth keeping for the record (never alerted).
NAME_KEEP_SCORE = 70
KIND_STRENGTH = {MatchKind.CNIC: 3, MatchKind.FACE: 2, MatchKind.NAME: 1}


@dataclass
class Hit:
    companion: Companion | None
    record_id: int
    kind: str
    score: float
    distance: float | None = None
    reasons: list[str] = field(default_factory=list)
    above_threshold: bool = False
    photo_id: int | None = None  # the CRO photo a face hit matched


def _person_hits(person: CheckIn | Companion, companion: Companion | None, photo: bytes | None) -> list[Hit]:
    hits: list[Hit] = []
    if person.cnic:
        record = match_cnic(person.cnic)
        if record is not None:
            # Only a flagged record (wanted, proclaimed offender, absconder, ...) raises an alert.
            flagged = bool(record.statuses)
            hits.append(Hit(companion, record.pk, MatchKind.CNIC, 100.0, None, ["CNIC identical"], flagged))
    if person.name:
        name_hits = [
            m
            for m in match_names(
                name=person.name, father_name=person.father_name or "", date_of_birth=person.date_of_birth, limit=5
            )
            if m.score >= NAME_KEEP_SCORE
        ]
        births = dict(
            CriminalRecord.objects.filter(pk__in=[m.record_id for m in name_hits]).values_list("pk", "date_of_birth")
        )
        for m in name_hits:
            strong = (
                m.score >= NAME_ALERT_SCORE
                and bool(person.father_name)
                and person.date_of_birth is not None
                and births.get(m.record_id) == person.date_of_birth
            )
            hits.append(Hit(companion, m.record_id, MatchKind.NAME, float(m.score), None, list(m.reasons), strong))
    if photo:
        encoded = encode_face(photo)
        if encoded.status == "ok" and encoded.encoding is not None:
            tolerance = settings.FACE_TOLERANCE
            for candidate in face_search(encoded.encoding, limit=5, tolerance=tolerance):
                if candidate.distance > tolerance:
                    continue
                hits.append(
                    Hit(
                        companion,
                        candidate.record_id,
                        MatchKind.FACE,
                        round((1 - candidate.distance) * 100, 1),
                        float(candidate.distance),
                        [f"face distance {candidate.distance:.2f} (tolerance {tolerance:.2f})"],
                        True,
                        candidate.photo_id,
                    )
                )
    return hits


def _read_photo(checkin: CheckIn) -> bytes | None:
    if not checkin.photo:
        return None
    with checkin.photo.open("rb") as fh:
        return fh.read()


def checkin_match(*, checkin_id: int) -> str:
    """Match the check-in once; store every candidate and the outcome, raise alerts. Idempotent.

    The slow part (face encoding, searches) runs before the row lock; the results
    are written under ``select_for_update`` so two runs never both write.
    """
    checkin = CheckIn.objects.select_related("hotel__station").filter(pk=checkin_id).first()
    if checkin is None or checkin.match_status != MatchStatus.PENDING:
        return "skipped"
    hits = _person_hits(checkin, None, _read_photo(checkin))
    for companion in checkin.companions.all():
        hits.extend(_person_hits(companion, companion, None))
    return _checkin_match_store(checkin_id=checkin_id, hits=hits)


@transaction.atomic
def _checkin_match_store(*, checkin_id: int, hits: list[Hit]) -> str:
    checkin = CheckIn.objects.select_for_update().select_related("hotel__station").get(pk=checkin_id)
    if checkin.match_status != MatchStatus.PENDING:
        return "skipped"
    for hit in hits:
        MatchResult.objects.get_or_create(
            checkin=checkin,
            companion=hit.companion,
            cro_record_id=hit.record_id,
            kind=hit.kind,
            defaults={
                "score": hit.score,
                "distance": hit.distance,
                "reasons": hit.reasons,
                "above_threshold": hit.above_threshold,
            },
        )
    alerts = alerts_raise(checkin=checkin, hits=[h for h in hits if h.above_threshold])
    checkin.match_status = MatchStatus.MATCHED if alerts else MatchStatus.NO_MATCH
    checkin.matched_at = timezone.now()
    checkin.match_attempts += 1
    checkin.save(update_fields=["match_status", "matched_at", "match_attempts"])
    return checkin.match_status


def _merge(hits: list[Hit]) -> dict[tuple[int | None, int], dict[str, Any]]:
    """Group hits by (person, record): the strongest kind leads, every reason is kept."""
    merged: dict[tuple[int | None, int], dict[str, Any]] = {}
    for hit in sorted(hits, key=lambda h: (-KIND_STRENGTH[h.kind], -h.score)):
        key = (hit.companion.pk if hit.companion else None, hit.record_id)
        entry = merged.setdefault(
            key,
            {"companion": hit.companion, "kind": hit.kind, "score": hit.score, "distance": None, "reasons": [],
             "photo_id": None},
        )  # fmt: skip
        if hit.distance is not None and entry["distance"] is None:
            entry["distance"], entry["photo_id"] = hit.distance, hit.photo_id
        entry["reasons"].extend(f"{MatchKind(hit.kind).label}: {r}" for r in hit.reasons)
    return merged


def alerts_raise(*, checkin: CheckIn, hits: list[Hit]) -> list[Alert]:
    """Create the alerts for ``hits`` (hotel's station and flagging station); return only the new ones.

    The unique constraint (station, check-in, person, record) makes a repeated call a no-op.
    Call inside the transaction that records the match.
    """
    merged = _merge(hits)
    if not merged:
        return []
    records = CriminalRecord.objects.select_related("wanted_by_station").in_bulk([rid for _p, rid in merged])
    created: list[Alert] = []
    for (_person, record_id), entry in merged.items():
        record = records.get(record_id)
        if record is None:
            continue
        stations = [checkin.hotel.station]
        flagged_by = getattr(record, "wanted_by_station", None)
        if flagged_by is not None and flagged_by.pk != checkin.hotel.station_id:
            stations.append(flagged_by)
        for station in stations:
            alert, is_new = alert_create(
                station=station,
                checkin=checkin,
                companion=entry["companion"],
                cro_record_id=record_id,
                record_photo_id=entry["photo_id"],
                snapshot={
                    "record_name": record.name[:150],
                    "record_cnic": str(record.cnic or ""),
                    "record_status": _record_status(record),
                },
                kind=entry["kind"],
                score=entry["score"],
                distance=entry["distance"],
                reasons=entry["reasons"],
            )
            if is_new:
                created.append(alert)
    return created


def _record_status(record: Any) -> str:
    return ", ".join(str(label) for _key, label, _day in record.statuses)[:120]
