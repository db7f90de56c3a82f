"""Match a check-in's guest and companions against the CRO and raise alerts to the stations concerned.

The matching itself is the shared pipeline (alerts.matching: CNIC exact; name +
father's name + date of birth; face). Every candidate is stored here as a
MatchResult; those strong enough raise one alert per station through
alerts.services.alerts_raise (the hotel's own station, and the station that
flagged the record as wanted). Face and name hits are candidates for an officer
to review, never an identification.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from alerts.matching import MatchResult as Candidate
from alerts.matching import PersonToMatch, people_match
from alerts.models import Alert, SourceKind
from alerts.services import alerts_raise
from casp import audit
from cro.faces import encode_face
from hoteleye.models import CheckIn, Companion, MatchResult, MatchStatus

logger = logging.getLogger("hoteleye.matching")


def _person(person: CheckIn | Companion, face: list[float] | None = None) -> PersonToMatch:
    return PersonToMatch(
        name=person.name,
        father_name=person.father_name or "",
        date_of_birth=person.date_of_birth,
        cnic=str(person.cnic or ""),
        passport=person.passport_number,
        face_encoding=face,
    )


def _guest_face(checkin: CheckIn) -> list[float] | None:
    if not checkin.photo:
        return None
    with checkin.photo.open("rb") as fh:
        encoded = encode_face(fh.read())
    return encoded.encoding if encoded.status == "ok" else None


def checkin_match(*, checkin_id: int) -> str:
    """Match the check-in once; store every candidate and the outcome, raise alerts. Idempotent.

    The slow part (face encoding, searches) runs before the row lock; the results
    are written under ``select_for_update`` so two runs never both write.
    """
    checkin = CheckIn.objects.select_related("hotel__station").filter(pk=checkin_id).first()
    if checkin is None or checkin.match_status != MatchStatus.PENDING:
        return "skipped"
    people: list[CheckIn | Companion] = [checkin, *checkin.companions.all()]
    found = people_match([_person(checkin, _guest_face(checkin))] + [_person(c) for c in people[1:]])
    return _checkin_match_store(checkin_id=checkin_id, found=list(zip(people, found, strict=True)))


@transaction.atomic
def _checkin_match_store(*, checkin_id: int, found: list[tuple[CheckIn | Companion, list[Candidate]]]) -> str:
    checkin = CheckIn.objects.select_for_update(of=("self",)).select_related("hotel__station").get(pk=checkin_id)
    if checkin.match_status != MatchStatus.PENDING:
        return "skipped"
    alerts: list[Alert] = []
    candidates = 0
    for person, matches in found:
        companion = person if isinstance(person, Companion) else None
        for m in matches:
            candidates += 1
            MatchResult.objects.get_or_create(
                checkin=checkin,
                companion=companion,
                cro_record_id=m.record_id,
                kind=m.kind,
                defaults={
                    "score": m.score or 0.0,
                    "distance": m.distance,
                    "reasons": m.reasons,
                    "above_threshold": m.alert,
                },
            )
        alerts += alerts_raise(
            source=person,
            source_kind=SourceKind.HOTEL_CHECKIN,
            matches=matches,
            stations=[checkin.hotel.station],
            place=checkin.hotel.name,
            place_detail=checkin.room,
        )
    checkin.match_status = MatchStatus.MATCHED if alerts else MatchStatus.NO_MATCH
    checkin.matched_at = timezone.now()
    checkin.match_attempts += 1
    checkin.save(update_fields=["match_status", "matched_at", "match_attempts"])
    audit.record(
        actor=None,
        action="hoteleye.checkin_matched",
        target=checkin,
        station_id=checkin.hotel.station_id,
        data={"outcome": checkin.match_status, "candidates": candidates, "alerts": [a.pk for a in alerts]},
    )
    return checkin.match_status
