"""Demo CRO records for `make run` (idempotent: records are found by CNIC)."""

from __future__ import annotations

import datetime

from django.conf import settings

# cnic, name, father's name, date of birth, gender, statuses, alias, demo photo
DEMO_RECORDS = [
    ("35202-1234567-1", "Muhammad Yousaf", "Abdul Rehman", "1988-04-12", "male", ["wanted"], "Chhota", "obama.jpg"),
    (
        "61101-7654321-3",
        "Ch. Aslam Gujjar",
        "Ghulam Nabi",
        "1975-09-01",
        "male",
        ["proclaimed_offender"],
        "",
        "biden.jpg",
    ),
    ("42101-1112223-5", "Imran Qureshi", "Muhammad Akram", "1992-01-30", "male", ["under_trial"], "Immi", ""),
    ("37405-3334445-7", "Tariq Mehmood", "Sher Khan", "1983-06-15", "male", ["convicted", "released"], "", ""),
    ("17301-5556667-2", "Ayesha Bibi", "Noor Din", "1990-11-20", "female", ["absconder"], "", ""),
]


def seed_records() -> list[str]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cro.models import STATUS_FIELDS, CriminalRecord
    from cro.services import photo_add, record_create
    from stations.models import PoliceStation

    station = PoliceStation.objects.order_by("code").first()
    # The test photographs carried in the project (tests/data/faces, MIT licence): a fresh clone's demo has them.
    faces = settings.BASE_DIR / "tests" / "data" / "faces"
    lines = []
    for cnic, name, father, dob, gender, statuses, alias, photo in DEMO_RECORDS:
        if CriminalRecord.objects.filter(cnic=cnic.replace("-", "")).exists():
            continue
        data = {"cnic": cnic, "name": name, "father_name": father, "gender": gender,
                "date_of_birth": datetime.date.fromisoformat(dob)}  # fmt: skip
        for status in statuses:
            flag, since = STATUS_FIELDS[status]
            data[flag] = True
            data[since] = datetime.date(2025, 3, 1)
        if "wanted" in statuses:
            data.update({"wanted_by_station": station, "wanted_fir_number": "112/2025", "caution": "Armed."})
        record = record_create(acting_user=None, data=data, aliases=[alias] if alias else [], source="demo")
        if photo and (faces / photo).exists():
            photo_add(record=record, acting_user=None, upload=SimpleUploadedFile(photo, (faces / photo).read_bytes()))
        lines.append(f"CRO record {cnic} {name}\n")
    return lines
