"""Match a check-in's guest and companions against the CRO and raise alerts to the stations concerned.

The matching itself is the shared pipeline (alerts.matching: CNIC exact; name +
father's name + date of birth; face). Every candidate is stored here as a
MatchResult; those strong enough raise one alert per station through
alerts.services.alerts_raise (the hotel's own station, and the station that
flagged the record as wanted). Face and name hits are candidates for an officer
to review, never an identification. One check-in (the task queued at intake) and
a batch (the sweep, a CSV import) go through the same ``checkins_match``.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence

from django.db import connection, transaction
from django.utils import timezone

from alerts.matching import MatchResult as Candidate
from alerts.matching import PersonToMatch, people_match
from alerts.models import Alert, SourceKind
from alerts.services import alerts_raise
from casp import audit
from cro.faces import encode_face
from hoteleye.models import CheckIn, Companion, FaceStatus, MatchResult, MatchStatus

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
    """Return the encoding of the guest's photo, computed on first use and stored, so never computed twice."""
    if not checkin.photo:
        return None
    if checkin.face_status:
        return [float(x) for x in checkin.face_encoding] if checkin.face_status == FaceStatus.OK else None
    with checkin.photo.open("rb") as fh:
        encoded = encode_face(fh.read())
    encoding = encoded.encoding if encoded.status == FaceStatus.OK else None
    CheckIn.objects.filter(pk=checkin.pk, face_status="").update(face_status=encoded.status, face_encoding=encoding)
    return encoding


def checkin_match(*, checkin_id: int) -> str:
    """Match one check-in (the task queued at intake); see ``checkins_match``. Idempotent."""
    return checkins_match(checkin_ids=[checkin_id])[checkin_id]


def checkins_match(*, checkin_ids: Sequence[int]) -> dict[int, str]:
    """Match the pending check-ins among ``checkin_ids`` at once; return each id's outcome. Idempotent.

    One query loads the check-ins (and one their companions); everybody in the batch is
    matched by one ``people_match`` (one CNIC query, one name query, one face search). The
    slow part runs before any lock; the results are written in one transaction under
    ``select_for_update`` of the check-ins, and only for those still pending, so two runs
    never both write. A check-in missing or already matched is "skipped".
    """
    checkins = list(
        CheckIn.objects.select_related("hotel__station")
        .prefetch_related("companions")
        .filter(pk__in=list(checkin_ids), match_status=MatchStatus.PENDING)
        .order_by("pk")
    )
    outcome = dict.fromkeys(checkin_ids, "skipped")
    if not checkins:
        return outcome
    groups: list[list[CheckIn | Companion]] = [[c, *c.companions.all()] for c in checkins]
    people = [_person(m, _guest_face(m) if isinstance(m, CheckIn) else None) for group in groups for m in group]
    found = iter(people_match(people))
    batch = {group[0].pk: [(m, next(found)) for m in group] for group in groups}
    outcome.update(_checkins_match_store(found=batch))
    return outcome


@transaction.atomic
def _checkins_match_store(*, found: dict[int, list[tuple[CheckIn | Companion, list[Candidate]]]]) -> dict[int, str]:
    """Write the batch's candidates, alerts and outcomes under a lock on its check-ins still pending.

    ``found`` maps each check-in's id to its people (the check-in first, as loaded, then its companions)
    with their candidates.

    One insert for every candidate of the batch and one update for every outcome; a candidate
    already stored (a retried run) is left as it was.
    """
    # The outcome can be derived again: should the server crash before this commit reaches the disk, the
    # check-in is pending again and the sweep matches it anew (idempotent). So the matching does not wait
    # for the WAL flush (the intake's own commit of the check-in still does).
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
    # Lock the rows still pending: their id and attempts only. The check-ins, hotels and stations are the ones
    # loaded before the slow part, which the matching itself used (no join, so no hotel or station row is locked).
    attempts = dict(
        CheckIn.objects.select_for_update()
        .filter(pk__in=list(found), match_status=MatchStatus.PENDING)
        .order_by("pk")  # rows locked in one order: two batches never deadlock
        .values_list("pk", "match_attempts")
    )
    locked = [found[pk][0][0] for pk in attempts]
    for checkin in locked:
        checkin.match_attempts = attempts[checkin.pk]
    MatchResult.objects.bulk_create(
        [
            MatchResult(
                checkin=checkin,
                companion=person if isinstance(person, Companion) else None,
                cro_record_id=m.record_id,
                kind=m.kind,
                score=m.score or 0.0,
                distance=m.distance,
                reasons=m.reasons,
                above_threshold=m.alert,
            )
            for checkin in locked
            for person, matches in found[checkin.pk]
            for m in matches
        ],
        ignore_conflicts=True,
    )
    now = timezone.now()
    outcome = {checkin.pk: _checkin_alerts_raise(checkin, found[checkin.pk], now) for checkin in locked}
    if len(locked) == 1:  # the intake's own task: a plain UPDATE (bulk_update builds a CASE per column)
        (checkin,) = locked
        CheckIn.objects.filter(pk=checkin.pk).update(
            match_status=checkin.match_status, matched_at=checkin.matched_at, match_attempts=checkin.match_attempts
        )
    else:
        CheckIn.objects.bulk_update(locked, ["match_status", "matched_at", "match_attempts"])
    return outcome


def _checkin_alerts_raise(
    checkin: CheckIn, found: list[tuple[CheckIn | Companion, list[Candidate]]], now: datetime.datetime
) -> str:
    """Raise the check-in's alerts, set its outcome (saved by the caller) and audit it; return the outcome."""
    alerts: list[Alert] = []
    for person, matches in found:
        alerts += alerts_raise(
            source=person,
            source_kind=SourceKind.HOTEL_CHECKIN,
            matches=matches,
            stations=[checkin.hotel.station],
            place=checkin.hotel.name,
            place_detail=checkin.room,
        )
    # A retried run finds its alerts already raised (alerts_raise returns only new ones): still matched.
    alerted = alerts or any(m.alert for _person, matches in found for m in matches)
    checkin.match_status = MatchStatus.MATCHED if alerted else MatchStatus.NO_MATCH
    checkin.matched_at = now
    checkin.match_attempts += 1
    candidates = sum(len(matches) for _person, matches in found)
    audit.record(
        actor=None,
        action="hoteleye.checkin_matched",
        target=checkin,
        station_id=checkin.hotel.station_id,
        data={"outcome": checkin.match_status, "candidates": candidates, "alerts": [a.pk for a in alerts]},
    )
    return checkin.match_status
