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
from cro.matching import NameMatch, NameQuery, match_cnics, match_names_many
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
    # The record as the match read it (a CNIC hit, with its flagging station), so raising the alert does not
    # read it again; None for name and face hits.
    record: CriminalRecord | None = field(default=None, compare=False, repr=False)


def _cnic_results(person: PersonToMatch, records: dict[str, CriminalRecord]) -> list[MatchResult]:
    record = records.get(person.cnic) if person.cnic else None
    if record is None:
        return []
    # Only a flagged record (wanted, proclaimed offender, absconder, ...) raises an alert.
    return [MatchResult("cnic", record.pk, 100.0, ["CNIC identical"], alert=bool(record.statuses), record=record)]


def _name_results(person: PersonToMatch, found: list[NameMatch]) -> list[MatchResult]:
    # A name candidate is a live record (merged duplicates are dropped by the candidate query), read with its
    # date of birth.
    results = []
    for m in found:
        strong = (
            m.score >= NAME_ALERT_SCORE
            and bool(person.father_name)
            and person.date_of_birth is not None
            and m.date_of_birth == person.date_of_birth
        )
        results.append(MatchResult("name", m.record_id, float(m.score), list(m.reasons), strong))
    return results


def _face_results(candidates: Sequence) -> list[MatchResult]:
    # A face candidate names the surviving record already (the search follows merges).
    tolerance = settings.FACE_TOLERANCE
    within = [c for c in candidates if c.distance <= tolerance]
    return [
        MatchResult(
            "face",
            c.record_id,
            round((1 - c.distance) * 100, 1),
            [f"face distance {c.distance:.2f} (tolerance {tolerance:.2f})"],
            alert=True,
            distance=float(c.distance),
            photo_id=c.photo_id,
        )
        for c in within
    ]


def people_match(people: list[PersonToMatch]) -> list[list[MatchResult]]:
    """Match each person; the whole batch costs one CNIC query, one name query and one face search, however
    many people it holds. Each candidate comes with what deciding on it needs (the CNIC hit's record, a name
    candidate's date of birth, a face hit's surviving record): nothing is read again.

    The same results as matching each person alone (a batch of check-ins)."""
    records = match_cnics([p.cnic for p in people if p.cnic])
    names_found = [
        [m for m in found if m.score >= NAME_KEEP_SCORE]
        for found in match_names_many(
            [NameQuery(p.name, p.father_name, p.date_of_birth) for p in people], limit=NAME_LIMIT
        )
    ]
    with_faces = [i for i, p in enumerate(people) if p.face_encoding]
    face_hits: dict[int, list] = {}
    if with_faces:
        found = face_search_many(
            [people[i].face_encoding for i in with_faces], limit=FACE_LIMIT, tolerance=settings.FACE_TOLERANCE
        )
        face_hits = dict(zip(with_faces, found, strict=True))
    return [
        _cnic_results(person, records) + _name_results(person, names_found[i]) + _face_results(face_hits.get(i, []))
        for i, person in enumerate(people)
    ]


def person_match(person: PersonToMatch) -> list[MatchResult]:
    """Return every candidate record for ``person`` (CNIC, name, face), each marked whether it alerts."""
    return people_match([person])[0]
