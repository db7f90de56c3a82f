"""Face search with real photos: obama2 finds the obama record first and not biden."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casp.models import AuditEvent
from cro import services
from cro.faces import encode_face, face_search
from tests.factories import cro_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(cro_officer, faces_dir, django_capture_on_commit_callbacks):
    made = {}
    for name, file in [("Barack Obama", "obama.jpg"), ("Joe Biden", "biden.jpg"), ("Alex", "alex-lacamoire.png")]:
        record = cro_record(name=name)
        with django_capture_on_commit_callbacks(execute=True):
            services.photo_add(
                record=record,
                acting_user=cro_officer,
                upload=SimpleUploadedFile(file, (faces_dir / file).read_bytes()),
            )
        made[file] = record
    return made


def test_obama2_finds_obama_first_and_not_biden(people, faces_dir):
    result = encode_face((faces_dir / "obama2.jpg").read_bytes())
    assert result.status == "ok"
    found = face_search(result.encoding)
    assert found and found[0].record_id == people["obama.jpg"].pk
    assert people["biden.jpg"].pk not in [c.record_id for c in found]
    assert all(c.distance <= 0.6 for c in found)
    assert [c.distance for c in found] == sorted(c.distance for c in found)


def test_tighter_tolerance_finds_nothing(people, faces_dir):
    result = encode_face((faces_dir / "obama2.jpg").read_bytes())
    assert face_search(result.encoding, tolerance=0.05) == []


def test_new_encoding_is_seen_by_the_next_search(people, cro_officer, faces_dir, django_capture_on_commit_callbacks):
    query = encode_face((faces_dir / "lin-manuel-miranda.png").read_bytes()).encoding
    assert face_search(query) == []  # loads the in-memory copy
    record = cro_record(name="Lin")
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_add(
            record=record,
            acting_user=cro_officer,
            upload=SimpleUploadedFile("l.png", (faces_dir / "lin-manuel-miranda.png").read_bytes()),
        )
    assert [c.record_id for c in face_search(query)] == [record.pk]


def test_merge_moves_face_hits_to_the_survivor(people, cro_officer, faces_dir):
    keep = cro_record(name="Obama Again")
    query = encode_face((faces_dir / "obama2.jpg").read_bytes()).encoding
    face_search(query)
    services.records_merge(keep=keep, duplicate=people["obama.jpg"], acting_user=cro_officer)
    assert face_search(query)[0].record_id == keep.pk


def test_hnsw_backend_gives_the_same_answer(people, faces_dir, settings):
    settings.FACE_SEARCH_BACKEND = "hnsw"
    result = encode_face((faces_dir / "obama2.jpg").read_bytes())
    found = face_search(result.encoding)
    assert found[0].record_id == people["obama.jpg"].pk
    assert people["biden.jpg"].pk not in [c.record_id for c in found]


def test_search_by_photo_page_lists_candidates_for_review(people, cro_client, faces_dir):
    upload = SimpleUploadedFile("q.jpg", (faces_dir / "obama2.jpg").read_bytes())
    page = cro_client.post(reverse("cro:face_search"), {"photo": upload}).content.decode()
    assert "Candidates for human review" in page and "never an identification" in page
    assert people["obama.jpg"].get_absolute_url() in page
    assert people["biden.jpg"].get_absolute_url() not in page
    event = AuditEvent.objects.get(action="cro.search_face")
    assert event.data["results"][0][0] == people["obama.jpg"].pk


def test_search_by_photo_with_two_faces_says_so(people, cro_client, faces_dir):
    upload = SimpleUploadedFile("q.jpg", (faces_dir / "two_people.jpg").read_bytes())
    page = cro_client.post(reverse("cro:face_search"), {"photo": upload}).content.decode()
    assert "faces were found" in page


def test_search_by_photo_refuses_text_file(cro_client):
    upload = SimpleUploadedFile("q.jpg", b"just text")
    page = cro_client.post(reverse("cro:face_search"), {"photo": upload}).content.decode()
    assert "This file is not a JPEG, PNG or WebP image." in page
    assert not AuditEvent.objects.filter(action="cro.search_face").exists()


def test_search_by_photo_refused_for_station_clerk(client_a):
    assert client_a.get(reverse("cro:face_search")).status_code == 403
