"""Writes to CRO records: each change, its audit event and any queued work in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import IO, Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from casp import audit, names
from casp.cnic import CNIC
from casp.models import User
from casp.storage import FileBatch, file_batch
from casp.uploads import process_image
from cro import matching, selectors
from cro.models import (
    CriminalRecord,
    FaceEncoding,
    FaceIndexState,
    FaceStatus,
    FingerprintCard,
    PhotoKind,
    RecordAlias,
    RecordPhoto,
)

# Fields a CRO officer edits through the record form or the import command.
RECORD_FIELDS = (
    "cnic", "name", "name_ur", "father_name", "date_of_birth", "gender", "permanent_address", "present_address",
    "height_cm", "build", "complexion", "identification_marks", "modus_operandi", "gang",
    "is_wanted", "wanted_by_station", "wanted_fir_number", "wanted_since",
    "is_proclaimed_offender", "proclaimed_on", "is_absconder", "absconding_since",
    "is_under_trial", "under_trial_since", "is_convicted", "convicted_on", "is_released", "released_on",
    "caution",
)  # fmt: skip


def _search_keys(record: CriminalRecord, aliases: Iterable[str]) -> dict[str, Any]:
    alias_list = list(aliases)
    return {
        "search_text": " | ".join(dict.fromkeys(names.normalise(n) for n in [record.name, *alias_list] if n)),
        "name_codes": names.name_codes(record.name, *alias_list),
        "father_search_text": names.normalise(record.father_name),
    }


def record_refresh_search_keys(*, record: CriminalRecord) -> None:
    """Recompute the stored search keys of ``record`` from its name and aliases (one query to read aliases)."""
    keys = _search_keys(record, record.aliases.values_list("name", flat=True))
    for field, value in keys.items():
        setattr(record, field, value)
    CriminalRecord.objects.filter(pk=record.pk).update(**keys)


def _audit_value(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@transaction.atomic
def record_create(
    *, acting_user: User | None, data: dict[str, Any], aliases: Iterable[str] = (), source: str = "form"
) -> CriminalRecord:
    """Create a record from ``data`` (keys of RECORD_FIELDS) with ``aliases``; audited."""
    record = CriminalRecord(created_by=acting_user, **{k: v for k, v in data.items() if k in RECORD_FIELDS})
    record.full_clean(exclude=["created_by", "merged_into"])
    alias_list = [a.strip() for a in aliases if a and a.strip()]
    for field, value in _search_keys(record, alias_list).items():
        setattr(record, field, value)
    record.save()
    RecordAlias.objects.bulk_create([RecordAlias(record=record, name=a) for a in dict.fromkeys(alias_list)])
    audit.record(
        actor=acting_user,
        action="cro.record_created",
        target=record,
        data={"source": source, **{k: _audit_value(getattr(record, k)) for k in data if k in RECORD_FIELDS}},
    )
    return record


@transaction.atomic
def record_update(
    *, record: CriminalRecord, acting_user: User | None, data: dict[str, Any], aliases: Iterable[str] | None = None
) -> list[str]:
    """Apply ``data`` (and ``aliases`` when given) to ``record``; return the changed fields (audited if any)."""
    record = CriminalRecord.objects.select_for_update().get(pk=record.pk)
    changes: dict[str, list[Any]] = {}
    for field, value in data.items():
        if field not in RECORD_FIELDS:
            continue
        old = getattr(record, field)
        if old != value:
            changes[field] = [_audit_value(old), _audit_value(value)]
            setattr(record, field, value)
    if aliases is not None:
        wanted = list(dict.fromkeys(a.strip() for a in aliases if a and a.strip()))
        current = list(record.aliases.values_list("name", flat=True))
        if sorted(wanted) != sorted(current):
            record.aliases.exclude(name__in=wanted).delete()
            RecordAlias.objects.bulk_create([RecordAlias(record=record, name=a) for a in wanted if a not in current])
            changes["aliases"] = [current, wanted]
    if not changes:
        return []
    record.full_clean(exclude=["created_by", "merged_into"])
    record.save(update_fields=[f for f in changes if f != "aliases"] + ["updated_at"])
    record_refresh_search_keys(record=record)
    audit.record(actor=acting_user, action="cro.record_updated", target=record, data={"changes": changes})
    return list(changes)


def _store_image(files: FileBatch, prefix: str, processed: Any) -> tuple[str, str]:
    file_name = files.write(prefix, processed.extension, processed.content)
    thumb_name = files.write(f"{prefix}-thumbs", "jpg", processed.thumbnail)
    return file_name, thumb_name


@transaction.atomic
def photo_add(
    *, record: CriminalRecord, acting_user: User | None, upload: IO[bytes], kind: str = PhotoKind.FRONT
) -> RecordPhoto:
    """Validate and store a photo of ``record`` privately; queue its face encoding after commit.

    Raises ValidationError (field "photo") for a file that is not a fit image or
    is already on the record. The same image added twice is refused.
    """
    from cro.tasks import encode_photo_task

    try:
        processed = process_image(upload)
    except ValidationError as exc:
        raise ValidationError({"photo": exc.messages}) from None
    if RecordPhoto.objects.filter(record=record, sha256=processed.sha256).exists():
        raise ValidationError({"photo": [_("This photo is already on the record.")]}, code="duplicate")
    with file_batch("photo") as files:
        file_name, thumb_name = _store_image(files, "cro/photos", processed)
        photo = RecordPhoto.objects.create(
            record=record,
            kind=kind,
            file=file_name,
            thumbnail=thumb_name,
            sha256=processed.sha256,
            width=processed.width,
            height=processed.height,
            uploaded_by=acting_user,
        )
    audit.record(actor=acting_user, action="cro.photo_added", target=record, data={"photo_id": photo.pk, "kind": kind})
    transaction.on_commit(lambda: encode_photo_task.delay(photo_id=photo.pk))
    return photo


@transaction.atomic
def fingerprint_add(
    *, record: CriminalRecord, acting_user: User | None, upload: IO[bytes], note: str = "", taken_on: Any = None
) -> FingerprintCard:
    """Validate and store a fingerprint card scan of ``record`` privately; audited."""
    try:
        processed = process_image(upload)
    except ValidationError as exc:
        raise ValidationError({"scan": exc.messages}) from None
    with file_batch("scan") as files:
        file_name, thumb_name = _store_image(files, "cro/fingerprints", processed)
        card = FingerprintCard.objects.create(
            record=record,
            file=file_name,
            thumbnail=thumb_name,
            sha256=processed.sha256,
            note=note,
            taken_on=taken_on,
            uploaded_by=acting_user,
        )
    audit.record(actor=acting_user, action="cro.fingerprint_added", target=record, data={"card_id": card.pk})
    return card


def _next_face_version() -> int:
    state, _created = FaceIndexState.objects.select_for_update().get_or_create(pk=1)
    state.version += 1
    state.save(update_fields=["version"])
    return state.version


@transaction.atomic
def photo_store_face(*, photo_id: int, status: str, encoding: list[float] | None, message: str) -> RecordPhoto:
    """Store the encoding result of photo ``photo_id`` (idempotent: a second run replaces the first)."""
    photo = RecordPhoto.objects.select_for_update().get(pk=photo_id)
    photo.face_status = status
    photo.face_message = message[:255]
    photo.save(update_fields=["face_status", "face_message"])
    if status == FaceStatus.OK and encoding is not None:
        FaceEncoding.objects.update_or_create(
            photo=photo,
            defaults={"record_id": photo.record_id, "embedding": encoding, "version": _next_face_version()},
        )
    else:
        FaceEncoding.objects.filter(photo=photo).delete()
        _next_face_version()
    return photo


@transaction.atomic
def records_merge(*, keep: CriminalRecord, duplicate: CriminalRecord, acting_user: User) -> CriminalRecord:
    """Merge ``duplicate`` into ``keep``: move aliases, photos, fingerprints and encodings; keep both histories.

    The duplicate stays as a row pointing at ``keep`` (its CNIC, if ``keep`` has
    none, moves over; its name becomes an alias), so links to it still resolve.
    """
    if keep.pk == duplicate.pk:
        raise ValidationError({"duplicate": [_("A record cannot be merged into itself.")]})
    locked = {r.pk: r for r in CriminalRecord.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk])}
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    if keep.merged_into_id or duplicate.merged_into_id:
        raise ValidationError({"duplicate": [_("One of these records has already been merged.")]})
    existing = set(keep.aliases.values_list("name", flat=True))
    moved_aliases = [a for a in [duplicate.name, *duplicate.aliases.values_list("name", flat=True)] if a]
    RecordAlias.objects.bulk_create(
        [RecordAlias(record=keep, name=a) for a in dict.fromkeys(moved_aliases) if a not in existing and a != keep.name]
    )
    photos = list(RecordPhoto.objects.filter(record=duplicate).values_list("pk", flat=True))
    keep_hashes = set(RecordPhoto.objects.filter(record=keep).values_list("sha256", flat=True))
    clash = RecordPhoto.objects.filter(record=duplicate, sha256__in=keep_hashes)
    for photo in clash:  # identical image on both: give the copy a distinct key, keep both rows
        photo.sha256 = f"merged-{photo.pk}"[:64]
        photo.save(update_fields=["sha256"])
    RecordPhoto.objects.filter(record=duplicate).update(record=keep)
    FingerprintCard.objects.filter(record=duplicate).update(record=keep)
    if FaceEncoding.objects.filter(record=duplicate).exists():
        FaceEncoding.objects.filter(record=duplicate).update(record=keep, version=_next_face_version())
    moved_cnic = None
    if keep.cnic is None and duplicate.cnic is not None:
        moved_cnic = duplicate.cnic
        duplicate.cnic = None
        duplicate.merged_into = keep
        duplicate.save(update_fields=["cnic", "merged_into", "updated_at"])
        keep.cnic = moved_cnic
        keep.save(update_fields=["cnic", "updated_at"])
    else:
        duplicate.merged_into = keep
        duplicate.save(update_fields=["merged_into", "updated_at"])
    # Records merged into the duplicate before now lead to ``keep`` too: a link is followed one step, never two.
    earlier = list(CriminalRecord.objects.select_for_update().filter(merged_into=duplicate))
    for record in earlier:
        record.merged_into = keep
        record.save(update_fields=["merged_into", "updated_at"])
    record_refresh_search_keys(record=keep)
    data = {"kept": keep.pk, "merged": duplicate.pk, "photos": photos, "cnic_moved": moved_cnic}
    audit.record(actor=acting_user, action="cro.record_merged", target=keep, data=data)
    audit.record(actor=acting_user, action="cro.record_merged_away", target=duplicate, data=data)
    for record in earlier:
        audit.record(
            actor=acting_user, action="cro.record_merged_away", target=record,
            data={**data, "merged": record.pk, "through": duplicate.pk},
        )  # fmt: skip
    return keep


# --- searches: each one, with its terms and what it showed, is written to the audit log ----------------------------
class SearchHit(NamedTuple):
    record: CriminalRecord
    score: float | None
    reasons: list[str]


def looks_like_cnic(text: str) -> bool:
    """Digits with dashes or spaces are a CNIC (whole or mistyped), never a name: names need letters."""
    return any(ch.isdigit() for ch in text) and not any(ch.isalpha() for ch in text)


def records_search(
    *,
    acting_user: User,
    query: str,
    father_name: str = "",
    date_of_birth: datetime.date | None = None,
    limit: int = 20,
    request: HttpRequest | None = None,
) -> list[SearchHit]:
    """Search the CRO by CNIC (exact) or by name (layered matcher), best first; log the search and its results.

    A query that looks like a CNIC but is not a valid one raises ValidationError
    (keyed "q"). Hits the user may not see are dropped.
    """
    query = query.strip()
    if looks_like_cnic(query):
        try:
            digits = CNIC(query)
        except ValidationError as exc:
            raise ValidationError({"q": exc.messages}) from None
        record = matching.match_cnic(digits)
        audit.record_read(
            actor=acting_user,
            action="cro.search_cnic",
            request=request,
            data={"cnic": str(digits), "found": record.pk if record else None},
        )
        if record is None:
            return []
        return [
            SearchHit(r, None, [_("same CNIC")])
            for r in selectors.records_by_ids_for_user(acting_user, [record.pk]).values()
        ]
    found = matching.match_names(name=query, father_name=father_name, date_of_birth=date_of_birth, limit=limit)
    audit.record_read(
        actor=acting_user,
        action="cro.search_name",
        request=request,
        data={
            "name": query,
            "father_name": father_name,
            "date_of_birth": str(date_of_birth or ""),
            "results": [m.record_id for m in found],
        },
    )
    by_id = selectors.records_by_ids_for_user(acting_user, [m.record_id for m in found])
    return [SearchHit(by_id[m.record_id], m.score, m.reasons) for m in found if m.record_id in by_id]


def records_latest_read(
    *, acting_user: User, page_number: object = None, per_page: int = 25, request: HttpRequest | None = None
) -> Page:
    """Return one page of the latest records the user may see and log which records it showed."""
    page = Paginator(selectors.records_latest_for_user(acting_user), per_page).get_page(page_number)
    audit.record_read(
        actor=acting_user,
        action="cro.search_latest",
        request=request,
        data={"page": page.number, "results": [r.pk for r in page]},
    )
    return page
