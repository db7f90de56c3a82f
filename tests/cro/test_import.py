"""cro_import: good rows are saved, bad rows refused with reasons, a re-run changes nothing."""

from __future__ import annotations

import io
import shutil

import pytest
from django.core.management import CommandError, call_command

from casp.models import AuditEvent
from cro.models import CriminalRecord, FaceEncoding, RecordPhoto

pytestmark = pytest.mark.django_db

HEADER = "cnic,name,father_name,date_of_birth,gender,status,photo\n"


def _run(csv_path, photos=None) -> str:
    out = io.StringIO()
    args = [str(csv_path)] + (["--photos", str(photos)] if photos else [])
    call_command("cro_import", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def import_files(tmp_path, faces_dir):
    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copy(faces_dir / "obama.jpg", photos / "p1.jpg")
    (photos / "fake.jpg").write_text("I am text, not a photo")
    rows = [
        "35202-1234567-1,Muhammad Yousaf,Abdul Rehman,1990-01-31,male,wanted,p1.jpg",
        "3520276543212,Ayesha Bibi,Ghulam Nabi,,,convicted,",
        "12345,Bad Cnic,X,1990-01-01,male,wanted,",
        "35202-1111111-1,,No Name,1990-01-01,male,wanted,",
        "35202-2222222-1,Bad Date,X,31/01/1990,male,absconder,",
        "35202-3333333-1,Bad Status,X,1990-01-01,male,arrested,",
        "35202-4444444-1,Fake Photo,X,1990-01-01,male,under_trial,fake.jpg",
        "35202-5555555-1,Missing Photo,X,1990-01-01,male,released,nothere.jpg",
        ",No Cnic Person,Some Father,1985-05-05,m,proclaimed_offender,",
    ]
    path = tmp_path / "records.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n")
    return path, photos


def test_import_saves_good_rows_and_refuses_bad_ones(import_files, django_capture_on_commit_callbacks):
    path, photos = import_files
    with django_capture_on_commit_callbacks(execute=True):
        out = _run(path, photos)
    assert "row 2: created" in out and "photo added" in out
    assert "row 3: created" in out
    assert "row 4: refused: cnic: A CNIC has 13 digits; 5 were entered" in out
    assert "row 5: refused: name: required" in out
    assert "row 6: refused: date_of_birth: '31/01/1990' is not a date; write YYYY-MM-DD" in out
    assert "row 7: refused: status: 'arrested' is not one of wanted, proclaimed_offender" in out
    assert "row 8: refused: photo: fake.jpg: This file is not a JPEG, PNG or WebP image." in out
    assert "row 9: refused: photo: 'nothere.jpg' is not in" in out
    assert "row 10: created" in out
    assert "3 created, 0 updated, 0 unchanged, 6 refused" in out
    assert CriminalRecord.objects.count() == 3
    assert not CriminalRecord.objects.filter(name="Fake Photo").exists()  # nothing half-saved
    yousaf = CriminalRecord.objects.get(cnic="3520212345671")
    assert yousaf.is_wanted and yousaf.gender == "male"
    assert RecordPhoto.objects.get(record=yousaf).face_status == "ok"
    assert FaceEncoding.objects.filter(record=yousaf).exists()
    ayesha = CriminalRecord.objects.get(cnic="3520276543212")
    assert ayesha.is_convicted and ayesha.gender == "female"  # from the CNIC's even last digit
    assert CriminalRecord.objects.get(name="No Cnic Person").is_proclaimed_offender
    assert AuditEvent.objects.filter(action="cro.record_created", data__source="cro_import").count() == 3


def test_rerunning_the_same_file_changes_nothing(import_files):
    path, photos = import_files
    _run(path, photos)
    changes = AuditEvent.objects.exclude(action="cro.imported")
    events = changes.count()
    out = _run(path, photos)
    assert "0 created, 0 updated, 3 unchanged, 6 refused" in out
    assert CriminalRecord.objects.count() == 3 and RecordPhoto.objects.count() == 1
    assert changes.count() == events  # no record changed; only the import itself is audited
    assert AuditEvent.objects.filter(action="cro.imported").count() == 2


def test_changed_row_updates_the_record(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(HEADER + "35202-1234567-1,Asif Ali,Akbar,1990-01-01,male,under_trial,\n")
    _run(path)
    path.write_text(HEADER + "35202-1234567-1,Asif Ali,Akbar Khan,1990-01-01,male,convicted,\n")
    out = _run(path)
    assert "row 2: updated: record" in out and "father_name" in out
    record = CriminalRecord.objects.get()
    assert record.father_name == "Akbar Khan" and record.is_convicted and record.is_under_trial


def test_missing_column_is_a_clear_error(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("cnic,name\n3520212345671,X\n")
    with pytest.raises(CommandError, match="missing column"):
        _run(path)


def test_a_row_the_csv_module_cannot_read_is_refused_and_the_import_goes_on_and_is_audited(tmp_path):
    rows = [
        "35202-1234567-1,Muhammad Yousaf,Abdul Rehman,1990-01-31,male,wanted,",
        "35202-2222222-1," + "x" * 200_000 + ",X,1990-01-01,male,wanted,",
        "3520276543212,Ayesha Bibi,Ghulam Nabi,,,convicted,",
    ]
    path = tmp_path / "records.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n")
    out = _run(path)
    assert "row 2: created" in out
    assert "row 3: refused: This row cannot be read: a field is longer than 131072 characters." in out
    assert "row 4: created" in out
    assert CriminalRecord.objects.count() == 2
    event = AuditEvent.objects.get(action="cro.imported")
    assert event.data == {"file": "records.csv", "created": 2, "updated": 0, "unchanged": 0, "refused": 1}


def test_a_first_row_the_csv_module_cannot_read_is_a_clear_error(tmp_path):
    path = tmp_path / "records.csv"
    path.write_text("x" * 200_000 + "," + HEADER)
    with pytest.raises(CommandError, match="The first row cannot be read: a field is longer than 131072 characters"):
        _run(path)
    assert not CriminalRecord.objects.exists()
