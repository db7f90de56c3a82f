"""The CRO check of an application's person, from the ``cro`` app's own matchers.

CNIC exact (``cro.matching.match_cnic``), name + father's name + date of birth
(``cro.matching.match_names``) and the counter photo (``cro.faces``). Every
candidate is stored; any candidate sends the check to a CRO officer's review.
A face or name hit is a candidate, never an identification.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import default_storage

from cro.faces import encode_face, face_search
from cro.matching import match_cnic, match_names
from khidmat.models import Application, CandidateKind, CroCheck
from khidmat.services import cro_check_store

# A name candidate this strong (0-100, name weighed with father's name and date of birth) goes to review.
NAME_CANDIDATE_SCORE = 85


@dataclass(frozen=True)
class Candidate:
    record_id: int
    kind: str
    score: float
    distance: float | None = None
    reasons: list[str] = field(default_factory=list)


def candidates_find(
    *, cnic: str, name: str, father_name: str, date_of_birth: object, photo: bytes | None
) -> tuple[list[Candidate], str, str]:
    """Return (candidates, face status, face message) for one person; no writes."""
    found: list[Candidate] = []
    record = match_cnic(cnic)
    if record is not None:
        found.append(Candidate(record.pk, CandidateKind.CNIC, 100.0, None, ["CNIC identical"]))
    for m in match_names(name=name, father_name=father_name, date_of_birth=date_of_birth, limit=5):
        if m.score >= NAME_CANDIDATE_SCORE:
            found.append(Candidate(m.record_id, CandidateKind.NAME, float(m.score), None, list(m.reasons)))
    face_status, face_message = "", ""
    if photo:
        encoded = encode_face(photo)
        face_status, face_message = encoded.status, encoded.message
        if encoded.status == "ok" and encoded.encoding is not None:
            tolerance = settings.FACE_TOLERANCE
            for c in face_search(encoded.encoding, limit=5, tolerance=tolerance):
                if c.distance <= tolerance:
                    found.append(
                        Candidate(
                            c.record_id, CandidateKind.FACE, round((1 - c.distance) * 100, 1), float(c.distance),
                            [f"face distance {c.distance:.2f} (tolerance {tolerance:.2f})"],
                        )
                    )  # fmt: skip
    return found, face_status, face_message


def application_cro_check(*, application_id: int) -> CroCheck | None:
    """Run the CRO check of an application once (the slow part outside any lock); store it. Idempotent."""
    application = Application.objects.filter(pk=application_id).first()
    if application is None:
        return None
    existing = CroCheck.objects.filter(application=application).first()
    if existing is not None:
        return existing
    photo = None
    if application.photo:
        with default_storage.open(application.photo, "rb") as fh:
            photo = fh.read()
    hits, face_status, face_message = candidates_find(
        cnic=application.subject_cnic,
        name=application.subject_name,
        father_name=application.subject_father_name,
        date_of_birth=application.subject_dob,
        photo=photo,
    )
    return cro_check_store(application_id=application.pk, hits=hits, face_status=face_status, face_message=face_message)
