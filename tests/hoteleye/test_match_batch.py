"""Batch matching (hoteleye.tasks.checkins_match_batch): the same alerts as one task per check-in, fewer queries."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alerts.matching import PersonToMatch, people_match
from alerts.models import Alert
from casp.uploads import process_image
from cro import faces
from cro import services as cro_services
from hoteleye import matching
from hoteleye.matching import checkin_match
from hoteleye.models import CheckIn, FaceStatus, MatchResult, MatchStatus
from hoteleye.services import checkin_create, checkins_import_csv
from hoteleye.tasks import checkins_match_batch_task
from tests.factories import FACES, cro_record
from tests.hoteleye.conftest import HotelFactory, guest_data

DOB = datetime.date(1985, 3, 14)


@pytest.fixture(autouse=True)
def _fresh_face_index(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    faces.face_index_reset()
    yield
    faces.face_index_reset()


@pytest.fixture
def cro(django_capture_on_commit_callbacks, roles, station_b):
    """A wanted CNIC (flagged by station B), a proclaimed offender found by name, and Obama's photo."""
    wanted = cro_record(name="Shakeel Ahmed", cnic="35202-1234567-1", is_wanted=True, wanted_by_station=station_b)
    named = cro_record(
        name="Muhammad Imran Khan", father_name="Abdul Rashid", date_of_birth=DOB, is_proclaimed_offender=True
    )
    obama = cro_record(name="Barack Obama", father_name="Barack Obama Sr", is_wanted=True)
    with django_capture_on_commit_callbacks(execute=True):
        cro_services.photo_add(
            record=obama,
            acting_user=None,
            upload=SimpleUploadedFile("obama.jpg", (FACES / "obama.jpg").read_bytes()),
        )
    return {"wanted": wanted, "named": named, "obama": obama}


def _photo(filename):
    return process_image(SimpleUploadedFile(filename, (FACES / filename).read_bytes(), content_type="image/jpeg"))


def _guests(hotel):
    """Save the same six guests at ``hotel`` without queuing their matching; return their ids."""
    now = timezone.now() - timezone.timedelta(hours=1)
    rows = [
        ({"cnic": "35202-1234567-1", "name": "Totally Different"}, None, []),
        ({"cnic": "35202-1111111-1", "name": "Muhammad Imran Khan", "father_name": "Abdul Rashid",
          "date_of_birth": DOB}, None, []),
        ({"cnic": "35202-2222222-1", "name": "Guest Obama"}, "obama2.jpg", []),
        ({"cnic": "35202-3333333-1", "name": "Guest Biden"}, "biden.jpg", []),
        ({"cnic": "35202-4444444-1", "name": "Plain Guest"}, None,
         [{"guest_type": "pakistani", "cnic": "35202-1234567-1", "name": "Travelling Companion", "gender": "male"}]),
        ({"cnic": "35202-5555555-1", "name": "Zahid Perveen", "father_name": "Nobody"}, None, []),
    ]  # fmt: skip
    ids = []
    for fields, photo, companions in rows:
        data = guest_data(checked_in_at=now, date_of_birth=None) | fields
        checkin = checkin_create(
            hotel=hotel,
            acting_user=None,
            data=data,
            companions=companions,
            photo=_photo(photo) if photo else None,
            queue_match=False,
        )
        ids.append(checkin.pk)
    return ids


def _outcome(ids, own_station):
    """Return what matching produced for these check-ins, independent of ids and hotel: alerts and candidates."""
    checkins = {c.pk: c for c in CheckIn.objects.filter(pk__in=ids)}
    alerts = sorted(
        (
            a.person_name,
            "own" if a.station_id == own_station.pk else a.station.code,
            a.cro_record_id,
            a.kind,
            round(a.score, 3),
            None if a.distance is None else round(a.distance, 5),
            tuple(a.reasons),
        )
        for a in Alert.objects.select_related("station")
        if (a.source_type.model == "checkin" and a.source_id in checkins)
        or (a.source_type.model == "companion" and a.source.checkin_id in checkins)
    )
    results = sorted(
        (r.checkin.name, r.companion_id is not None, r.cro_record_id, r.kind, round(r.score, 3), r.above_threshold)
        for r in MatchResult.objects.filter(checkin_id__in=ids).select_related("checkin")
    )
    statuses = [checkins[i].match_status for i in ids]
    return alerts, results, statuses


def test_a_batch_raises_exactly_the_alerts_one_task_per_check_in_raises_and_none_twice(
    cro, station_a, station_b, django_capture_on_commit_callbacks
):
    single_hotel = HotelFactory(station=station_a, code="H1", name="Single Inn")
    batch_hotel = HotelFactory(station=station_a, code="H2", name="Batch Inn")
    single_ids, batch_ids = _guests(single_hotel), _guests(batch_hotel)
    with django_capture_on_commit_callbacks(execute=True):
        for checkin_id in single_ids:
            checkin_match(checkin_id=checkin_id)
        outcome = checkins_match_batch_task.delay(checkin_ids=batch_ids).get()
    assert set(outcome.values()) == {MatchStatus.MATCHED, MatchStatus.NO_MATCH}

    single, batch = _outcome(single_ids, station_a), _outcome(batch_ids, station_a)
    assert batch == single
    alerts, _results, statuses = batch
    kinds = {(name, station, kind) for name, station, _record, kind, *_rest in alerts}
    assert kinds == {
        ("Totally Different", "own", "cnic"),
        ("Totally Different", "PS-B", "cnic"),  # the station that flagged the record
        ("Muhammad Imran Khan", "own", "name"),
        ("Guest Obama", "own", "face"),
        ("Travelling Companion", "own", "cnic"),
        ("Travelling Companion", "PS-B", "cnic"),
    }
    assert statuses == ["matched", "matched", "matched", "no_match", "matched", "no_match"]

    # Run again, even with every check-in pending again (a task retried after a crash): nothing is added.
    alerts_before, results_before = Alert.objects.count(), MatchResult.objects.count()
    assert set(checkins_match_batch_task.delay(checkin_ids=batch_ids).get().values()) == {"skipped"}
    CheckIn.objects.filter(pk__in=batch_ids).update(match_status=MatchStatus.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        checkins_match_batch_task.delay(checkin_ids=batch_ids + batch_ids[:2]).get()
    assert Alert.objects.count() == alerts_before and MatchResult.objects.count() == results_before
    assert _outcome(batch_ids, station_a) == single


def test_the_photo_is_encoded_once_and_a_second_match_reuses_the_stored_encoding(cro, station_a, monkeypatch):
    hotel = HotelFactory(station=station_a, code="H3")
    ids = _guests(hotel)
    checkins_match_batch_task.delay(checkin_ids=ids).get()
    obama2, biden, plain = (CheckIn.objects.get(pk=ids[i]) for i in (2, 3, 0))
    assert obama2.face_status == FaceStatus.OK and len(obama2.face_encoding) == 128
    assert biden.face_status == FaceStatus.OK
    assert plain.face_status == "" and plain.face_encoding is None

    def refuse(_image):
        raise AssertionError("a stored encoding was computed again")

    monkeypatch.setattr(matching, "encode_face", refuse)
    CheckIn.objects.filter(pk__in=ids).update(match_status=MatchStatus.PENDING)
    outcome = checkins_match_batch_task.delay(checkin_ids=ids).get()
    assert outcome[ids[2]] == MatchStatus.MATCHED  # still found by its stored encoding


def test_a_photo_without_a_face_is_remembered_and_not_read_again(roles, station_a, monkeypatch):
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (200, 200), "white").save(buf, format="PNG")
    hotel = HotelFactory(station=station_a, code="H4")
    checkin = checkin_create(
        hotel=hotel,
        acting_user=None,
        data=guest_data(checked_in_at=timezone.now(), date_of_birth=None),
        photo=process_image(SimpleUploadedFile("blank.png", buf.getvalue(), content_type="image/png")),
        queue_match=False,
    )
    assert checkin_match(checkin_id=checkin.pk) == MatchStatus.NO_MATCH
    checkin.refresh_from_db()
    assert checkin.face_status == FaceStatus.NO_FACE and checkin.face_encoding is None
    monkeypatch.setattr(matching, "encode_face", lambda _image: pytest.fail("encoded twice"))
    CheckIn.objects.filter(pk=checkin.pk).update(match_status=MatchStatus.PENDING)
    assert checkin_match(checkin_id=checkin.pk) == MatchStatus.NO_MATCH


def test_people_match_costs_the_same_queries_for_two_people_as_for_twelve(cro):
    def people(n):
        return [
            PersonToMatch(name=f"Guest Number {i}", father_name="Someone", cnic=f"352021234{i:03d}1")
            for i in range(n - 1)
        ] + [PersonToMatch(name="Muhammad Imran Khan", father_name="Abdul Rashid", date_of_birth=DOB)]

    counts = []
    for n in (2, 12):
        with CaptureQueriesContext(connection) as queries:
            found = people_match(people(n))
        counts.append(len(queries))
        assert found[-1][0].kind == "name" and found[-1][0].record_id == cro["named"].pk
    assert counts[0] == counts[1]
    assert counts[1] <= 6  # CNICs, names, the trigram fallback (set_limit + query), the candidates' records


def test_batched_people_match_equals_matching_each_person_alone(cro):
    people = [
        PersonToMatch(name="Totally Different", cnic="3520212345671"),
        PersonToMatch(name="Mohd Imran Khan", father_name="Abdul Rasheed", date_of_birth=DOB),
        PersonToMatch(name="Muhammad Imran", father_name="Abdul Rashid"),
        PersonToMatch(name="Shakil Ahmad"),
        PersonToMatch(name="", cnic="35202-1234567-1"),
        PersonToMatch(name="Nobody Known", cnic="12"),
    ]
    assert people_match(people) == [people_match([p])[0] for p in people]


def test_a_csv_batch_is_matched_by_batch_tasks(cro, station_a, django_capture_on_commit_callbacks):
    hotel = HotelFactory(station=station_a, code="H5")
    when = (timezone.localtime() - timezone.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    text = (
        "guest_type,cnic,name,father_name,gender,date_of_birth,room,checked_in_at\n"
        f"pakistani,35202-1234567-1,Someone Else,,male,,1,{when}\n"
        f"pakistani,35202-9999999-1,Clean Guest,,male,,2,{when}\n"
    )
    with django_capture_on_commit_callbacks(execute=True) as queued:
        reports = checkins_import_csv(hotel=hotel, acting_user=None, text=text)
    assert all(r.ok for r in reports)
    queued_by = [c.__qualname__.split(".")[0] for c in queued]
    assert queued_by.count("checkins_import_csv") == 1 and "_checkin_create" not in queued_by  # not one per row
    statuses = dict(CheckIn.objects.filter(hotel=hotel).values_list("name", "match_status"))
    assert statuses == {"Someone Else": MatchStatus.MATCHED, "Clean Guest": MatchStatus.NO_MATCH}
