"""One matching pipeline for every intake: a person against the CRO by CNIC, by name, by face.

Three matchers, from the CRO app: CNIC exact (a merged duplicate leads to its
survivor); name + father's name (+ date of birth) through the layered name
matcher; a face encoding through the face search (pgvector/memory index, L2,
FACE_TOLERANCE). Every candidate comes back as a :class:`MatchResult`; ``alert``
says whether it is strong enough to raise an alert (a flagged record's CNIC, a
face within tolerance, a strong name whose father's name and date of birth
agree). Weaker name candidates are returned for the record, never alerted. Face
and name hits are candidates for an officer to review, never an identification.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings

from cro.faces import face_search_many
from cro.matching import match_cnic, match_names
from cro.models import CriminalRecord

# A name match raises an alert only when it is this strong AND the father's name and date of birth agree.
NAME_ALERT_SCORE = 90
# Weaker name candidates worth keeping for the record (never alerted).
NAME_KEEP_SCORE = 70
FACE_LIMIT = 5
NAME_LIMIT = 5


@dataclass(frozen=True)
class PersonToMatch:
    name: str
    father_name: str = ""
    date_of_birth: datetime.date | None = None
    cnic: str = ""  # 13 digits or ""
    passport: str = ""  # for foreigners (the CRO holds no passports: matched by name and face)
    face_encoding: list[float] | None = None


@dataclass(frozen=True)
class MatchResult:
    kind: str  # "cnic" | "name" | "face"
    record_id: int  # the CRO record (merged duplicates resolved to the survivor)
    score: float | None
    reasons: list[str] = field(default_factory=list)
    alert: bool = True  # strong enough to raise an alert
    distance: float | None = None  # face distance
    photo_id: int | None = None  # the CRO photo a face hit matched


def _survivors(record_ids: set[int]) -> dict[int, int]:
    """Map each record id to its survivor (a merged duplicate's ``merged_into``), in one query."""
    rows = CriminalRecord.objects.filter(pk__in=record_ids).values_list("pk", "merged_into_id")
    return {pk: merged or pk for pk, merged in rows}


def _cnic_results(person: PersonToMatch) -> list[MatchResult]:
    if not person.cnic:
        return []
    record = match_cnic(person.cnic)
    if record is None:
        return []
    # Only a flagged record (wanted, proclaimed offender, absconder, ...) raises an alert.
    return [MatchResult("cnic", record.pk, 100.0, ["CNIC identical"], alert=bool(record.statuses))]


def _name_results(person: PersonToMatch) -> list[MatchResult]:
    if not person.name:
        return []
    found = [
        m
        for m in match_names(
            name=person.name, father_name=person.father_name, date_of_birth=person.date_of_birth, limit=NAME_LIMIT
        )
        if m.score >= NAME_KEEP_SCORE
    ]
    births = dict(CriminalRecord.objects.filter(pk__in=[m.record_id for m in found]).values_list("pk", "date_of_birth"))
    survivors = _survivors({m.record_id for m in found})
    results = []
    for m in found:
        strong = (
            m.score >= NAME_ALERT_SCORE
            and bool(person.father_name)
            and person.date_of_birth is not None
            and births.get(m.record_id) == person.date_of_birth
        )
        results.append(
            MatchResult("name", survivors.get(m.record_id, m.record_id), float(m.score), list(m.reasons), strong)
        )
    return results


def _face_results(candidates: Sequence) -> list[MatchResult]:
    tolerance = settings.FACE_TOLERANCE
    within = [c for c in candidates if c.distance <= tolerance]
    survivors = _survivors({c.record_id for c in within})
    return [
        MatchResult(
            "face",
            survivors.get(c.record_id, c.record_id),
            round((1 - c.distance) * 100, 1),
            [f"face distance {c.distance:.2f} (tolerance {tolerance:.2f})"],
            alert=True,
            distance=float(c.distance),
            photo_id=c.photo_id,
        )
        for c in within
    ]


def people_match(people: list[PersonToMatch]) -> list[list[MatchResult]]:
    """Match each person; the faces of all of them go to the face index in one batched search."""
    with_faces = [i for i, p in enumerate(people) if p.face_encoding]
    face_hits: dict[int, list] = {}
    if with_faces:
        found = face_search_many(
            [people[i].face_encoding for i in with_faces], limit=FACE_LIMIT, tolerance=settings.FACE_TOLERANCE
        )
        face_hits = dict(zip(with_faces, found, strict=True))
    return [
        _cnic_results(person) + _name_results(person) + _face_results(face_hits.get(i, []))
        for i, person in enumerate(people)
    ]


def person_match(person: PersonToMatch) -> list[MatchResult]:
    """Return every candidate record for ``person`` (CNIC, name, face), each marked whether it alerts."""
    return people_match([person])[0]
