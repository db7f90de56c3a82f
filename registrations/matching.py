"""Matching of registered people against the CRO through the shared pipeline (alerts.matching), raising alerts.

The registrant is never told: this runs after commit, in a Celery task, and writes only police-side rows.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from alerts.matching import PersonToMatch, people_match
from alerts.services import alerts_raise
from casp import audit
from cro.faces import encode_face
from registrations.models import MatchStatus, RegisteredPerson, Registration
from stations.models import PoliceStation


def _face(person: RegisteredPerson) -> list[float] | None:
    if not person.photo:
        return None
    with person.photo.open("rb") as fh:
        result = encode_face(fh.read())
    return list(result.encoding) if result.encoding is not None else None


def person_to_match(person: RegisteredPerson) -> PersonToMatch:
    """Return what the shared pipeline matches of ``person`` (encodes the photo's face: slow)."""
    return PersonToMatch(
        name=person.name,
        father_name=person.father_name,
        date_of_birth=person.date_of_birth,
        cnic=str(person.cnic or ""),
        passport=person.passport_number,
        face_encoding=_face(person),
    )


def registration_match(*, registration_id: int) -> str:
    """Match every person of the registration once; raise alerts to its stations. Idempotent.

    The slow part (face encoding, searches) runs before the row lock; alerts are raised under
    ``select_for_update`` so two runs never both raise.
    """
    registration = Registration.objects.filter(pk=registration_id).first()
    if registration is None or registration.match_status != MatchStatus.PENDING:
        return "skipped"
    persons = list(registration.persons.all())
    results = people_match([person_to_match(p) for p in persons])
    return _registration_match_store(registration_id=registration_id, persons=persons, results=results)


@transaction.atomic
def _registration_match_store(*, registration_id: int, persons: list[RegisteredPerson], results: list) -> str:
    registration = Registration.objects.select_for_update().get(pk=registration_id)
    if registration.match_status != MatchStatus.PENDING:
        return "skipped"
    stations = list(PoliceStation.objects.filter(pk__in=registration.alert_stations()))
    alerts = []
    for person, matches in zip(persons, results, strict=True):
        if matches:
            alerts += alerts_raise(
                source=person,
                source_kind=registration.kind,
                matches=matches,
                stations=stations,
                person_name=person.name,
                place=registration.address,
                place_detail=registration.tracking_number,
            )
    registration.match_status, registration.matched_at = MatchStatus.DONE, timezone.now()
    registration.save(update_fields=["match_status", "matched_at"])
    audit.record(
        actor=None,
        action="registrations.matched",
        target=registration,
        station_id=registration.station_id,
        data={"persons": len(persons), "alerts": [a.pk for a in alerts]},
    )
    return "matched" if alerts else "no_match"
