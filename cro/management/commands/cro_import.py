"""Import CRO records from the legacy system's CSV export.

    python manage.py cro_import FILE.csv --photos DIR [--user USERNAME]

Columns: cnic,name,father_name,date_of_birth,gender,status,photo. Each row is
saved in its own transaction: a bad row (even one the csv module cannot read)
is refused with its reasons and never stops the good ones or half-saves. The
import is audited once at the end (``cro.imported``, with its counts).
Re-running the same file changes nothing.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from casp import audit
from casp.cnic import CNIC
from casp.csvrows import csv_header, csv_rows
from casp.dates import BIRTH
from casp.models import User
from casp.uploads import process_image
from cro import services
from cro.models import STATUS_FIELDS, CriminalRecord, Gender, RecordPhoto

COLUMNS = ["cnic", "name", "father_name", "date_of_birth", "gender", "status", "photo"]
GENDERS = {"m": Gender.MALE, "male": Gender.MALE, "f": Gender.FEMALE, "female": Gender.FEMALE,
           "other": Gender.OTHER, "unknown": Gender.UNKNOWN}  # fmt: skip


class RowRefused(Exception):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass
class Outcome:
    action: str  # created, updated, unchanged, refused
    detail: str


def _parse(row: dict[str, str], photos: Path | None) -> tuple[dict[str, Any], str | None, Path | None]:
    reasons: list[str] = []
    data: dict[str, Any] = {}
    cnic_text = (row.get("cnic") or "").strip()
    if cnic_text:
        try:
            data["cnic"] = CNIC(cnic_text)
        except ValidationError as exc:
            reasons.append(f"cnic: {' '.join(exc.messages)}")
    name = (row.get("name") or "").strip()
    if not name:
        reasons.append("name: required, the person's name in English letters")
    elif len(name) > 150:
        reasons.append("name: at most 150 characters")
    data["name"] = name
    data["father_name"] = (row.get("father_name") or "").strip()[:150]
    dob_text = (row.get("date_of_birth") or "").strip()
    data["date_of_birth"] = None
    if dob_text:
        try:
            dob = datetime.date.fromisoformat(dob_text)
        except ValueError:
            reasons.append(f"date_of_birth: {dob_text!r} is not a date; write YYYY-MM-DD, e.g. 1990-01-31")
        else:
            try:
                BIRTH.check(dob, field="date_of_birth")
            except ValidationError:
                reasons.append(f"date_of_birth: {dob_text} is outside {BIRTH.floor} to today")
            data["date_of_birth"] = dob
    gender_text = (row.get("gender") or "").strip().lower()
    if gender_text:
        if gender_text not in GENDERS:
            reasons.append(f"gender: {gender_text!r} is not one of male, female, other, unknown (or M/F)")
        else:
            data["gender"] = GENDERS[gender_text]
    elif isinstance(data.get("cnic"), CNIC):
        data["gender"] = data["cnic"].gender  # the CNIC's last digit: odd male, even female
    status = (row.get("status") or "").strip().lower()
    if status and status not in STATUS_FIELDS:
        reasons.append(f"status: {status!r} is not one of {', '.join(STATUS_FIELDS)}")
    photo_path = None
    photo_name = (row.get("photo") or "").strip()
    if photo_name:
        if photos is None:
            reasons.append("photo: a photo is named but no --photos folder was given")
        elif "/" in photo_name or "\\" in photo_name or photo_name.startswith("."):
            reasons.append(f"photo: {photo_name!r} must be a plain file name inside the photos folder")
        elif not (photos / photo_name).is_file():
            reasons.append(f"photo: {photo_name!r} is not in {photos}")
        else:
            photo_path = photos / photo_name
    if reasons:
        raise RowRefused(reasons)
    return data, status or None, photo_path


def _find(data: dict[str, Any]) -> CriminalRecord | None:
    if data.get("cnic"):
        record = CriminalRecord.objects.filter(cnic=data["cnic"]).first()
        return record.merged_into if record is not None and record.merged_into_id else record
    # Without a CNIC the same name, father's name and date of birth is taken as the same row.
    return CriminalRecord.objects.filter(
        cnic__isnull=True,
        merged_into__isnull=True,
        name=data["name"],
        father_name=data["father_name"],
        date_of_birth=data["date_of_birth"],
    ).first()


@transaction.atomic
def import_row(row: dict[str, str], *, photos: Path | None, user: User | None) -> Outcome:
    """Create or update one record (and add its photo) in one transaction; raise RowRefused if unfit."""
    data, status, photo_path = _parse(row, photos)
    if status:
        data[STATUS_FIELDS[status][0]] = True
    record = _find(data)
    notes: list[str] = []
    if record is None:
        record = services.record_create(acting_user=user, data=data, source="cro_import")
        action = "created"
    else:
        wanted = {k: v for k, v in data.items() if k != "cnic" and (v not in ("", None) or k == "name")}
        changed = services.record_update(record=record, acting_user=user, data=wanted)
        action = "updated" if changed else "unchanged"
        if changed:
            notes.append("changed " + ", ".join(changed))
    if photo_path is not None:
        with photo_path.open("rb") as fh:
            try:
                processed = process_image(fh)
            except ValidationError as exc:
                raise RowRefused([f"photo: {photo_path.name}: {' '.join(exc.messages)}"]) from None
            if not RecordPhoto.objects.filter(record__in=[record.pk], sha256=processed.sha256).exists():
                services.photo_add(record=record, acting_user=user, upload=fh)
                notes.append("photo added, face encoding queued")
                if action == "unchanged":
                    action = "updated"
    return Outcome(action, f"record {record.pk}" + (f" ({'; '.join(notes)})" if notes else ""))


class Command(BaseCommand):
    help = "Import CRO records from a CSV file (cnic,name,father_name,date_of_birth,gender,status,photo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--photos", type=Path, default=None, help="folder holding the photo files")
        parser.add_argument("--user", default=None, help="username recorded as the importing officer")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        photos: Path | None = options["photos"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        if photos is not None and not photos.is_dir():
            raise CommandError(f"--photos {photos} is not a folder.")
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"--user {options['user']}: no such user.")
        counts = {"created": 0, "updated": 0, "unchanged": 0, "refused": 0}
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            try:
                header = csv_header(reader)
            except ValidationError as exc:
                raise CommandError(f"{path}: {exc.messages[0]}") from None
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise CommandError(f"{path}: missing column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}.")
            for row in csv_rows(reader):
                if row.values is None:
                    outcome = Outcome("refused", row.problem)
                else:
                    try:
                        outcome = import_row(row.values, photos=photos, user=user)
                    except RowRefused as exc:
                        outcome = Outcome("refused", str(exc))
                    except ValidationError as exc:
                        outcome = Outcome("refused", "; ".join(exc.messages))
                counts[outcome.action] += 1
                self.stdout.write(f"row {row.number}: {outcome.action}: {outcome.detail}")
        audit.record(actor=user, action="cro.imported", data={"file": path.name, **counts})
        self.stdout.write(", ".join(f"{n} {k}" for k, n in counts.items()))
