"""Photos: only real images, stored privately; face encoding marks no face and several faces."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cro import services
from cro.faces import encode_face
from cro.models import FaceEncoding, FaceStatus, RecordPhoto
from tests.factories import cro_record

pytestmark = pytest.mark.django_db


def _upload(path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def test_text_file_renamed_jpg_is_refused(cro_client):
    record = cro_record(name="Asif")
    fake = SimpleUploadedFile("face.jpg", b"this is only text, not a photo\n" * 10, content_type="image/jpeg")
    response = cro_client.post(reverse("cro:photo_upload", args=[record.pk]), {"photo": fake, "kind": "front"})
    assert response.status_code == 302
    page = cro_client.get(response.url).content.decode()
    assert "This file is not a JPEG, PNG or WebP image." in page
    assert not RecordPhoto.objects.exists()


def test_text_file_renamed_jpg_is_refused_by_service(cro_officer):
    record = cro_record(name="Asif")
    with pytest.raises(ValidationError) as exc:
        services.photo_add(record=record, acting_user=cro_officer, upload=SimpleUploadedFile("a.jpg", b"hello"))
    assert "photo" in exc.value.message_dict
    assert not RecordPhoto.objects.exists()


def test_photo_is_stored_privately_and_encoded(cro_officer, faces_dir, django_capture_on_commit_callbacks):
    record = cro_record(name="Barack Obama")
    with django_capture_on_commit_callbacks(execute=True):
        photo = services.photo_add(record=record, acting_user=cro_officer, upload=_upload(faces_dir / "obama.jpg"))
    photo.refresh_from_db()
    assert photo.face_status == FaceStatus.OK
    stored = settings.MEDIA_ROOT / photo.file
    assert stored.exists() and len(stored.stem) == 43
    assert not photo.file.startswith("static")
    encoding = FaceEncoding.objects.get(photo=photo)
    assert encoding.record_id == record.pk and len(encoding.embedding) == 128


def test_same_photo_twice_is_refused(cro_officer, faces_dir):
    record = cro_record(name="Barack Obama")
    services.photo_add(record=record, acting_user=cro_officer, upload=_upload(faces_dir / "obama-240p.jpg"))
    with pytest.raises(ValidationError) as exc:
        services.photo_add(record=record, acting_user=cro_officer, upload=_upload(faces_dir / "obama-240p.jpg"))
    assert "already on the record" in str(exc.value)


def test_two_people_is_marked_several_faces(cro_client, cro_officer, faces_dir, django_capture_on_commit_callbacks):
    record = cro_record(name="Two People")
    with django_capture_on_commit_callbacks(execute=True):
        photo = services.photo_add(record=record, acting_user=cro_officer, upload=_upload(faces_dir / "two_people.jpg"))
    photo.refresh_from_db()
    assert photo.face_status == FaceStatus.SEVERAL_FACES
    assert "faces were found" in photo.face_message
    assert not FaceEncoding.objects.filter(photo=photo).exists()
    page = cro_client.get(record.get_absolute_url()).content.decode()
    assert "Several faces found" in page and "faces were found" in page


def test_image_without_face_is_marked_no_face():
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (300, 300), "white").save(buf, format="JPEG")
    result = encode_face(buf.getvalue())
    assert result.status == "no_face" and result.encoding is None and "No face" in result.message


def test_unreadable_bytes_do_not_crash_encoding():
    result = encode_face(b"not an image")
    assert result.status == "no_face" and result.encoding is None


def test_fingerprint_card_upload_and_fetch(cro_client, officer_a, faces_dir):
    from django.test import Client

    client_a = Client()
    client_a.force_login(officer_a)
    record = cro_record(name="Asif")
    response = cro_client.post(
        reverse("cro:fingerprint_upload", args=[record.pk]), {"scan": _upload(faces_dir / "obama-240p.jpg")}
    )
    assert response.status_code == 302
    card = record.fingerprint_cards.get()
    assert cro_client.get(reverse("cro:fingerprint", args=[card.pk, "full"])).status_code == 200
    assert client_a.get(reverse("cro:fingerprint", args=[card.pk, "full"])).status_code == 404


def test_fingerprint_text_file_refused(cro_client):
    record = cro_record(name="Asif")
    fake = SimpleUploadedFile("card.png", b"plain text")
    response = cro_client.post(reverse("cro:fingerprint_upload", args=[record.pk]), {"scan": fake})
    page = cro_client.get(response.url).content.decode()
    assert "Fingerprint card: This file is not a JPEG, PNG or WebP image." in page
    assert not record.fingerprint_cards.exists()


def test_encoding_a_face_leaves_truncated_uploads_refused(faces_dir):
    """face_recognition sets Pillow's LOAD_TRUNCATED_IMAGES on import; cro.faces undoes it."""
    import io

    from casp.uploads import process_image

    encode_face((faces_dir / "obama-240p.jpg").read_bytes())
    data = (faces_dir / "obama.jpg").read_bytes()
    with pytest.raises(ValidationError):
        process_image(io.BytesIO(data[: len(data) // 2]))


def test_a_file_missing_from_the_store_is_a_404_and_no_read_is_recorded(cro_client, faces_dir):
    """A refused request writes no read event: nothing was shown (docs/security.md, "Audit of reads")."""
    from django.core.files.storage import default_storage

    from casp.models import AuditEvent

    record = cro_record(name="Asif")
    cro_client.post(
        reverse("cro:fingerprint_upload", args=[record.pk]), {"scan": _upload(faces_dir / "obama-240p.jpg")}
    )
    card = record.fingerprint_cards.get()
    photo = services.photo_add(
        record=record, acting_user=None, upload=_upload(faces_dir / "obama-240p.jpg"), kind="front"
    )
    for name in (card.file, photo.file):
        default_storage.delete(name)
    assert cro_client.get(reverse("cro:fingerprint", args=[card.pk, "full"])).status_code == 404
    assert cro_client.get(reverse("cro:photo", args=[photo.pk, "full"])).status_code == 404
    assert not AuditEvent.objects.filter(action__in=["cro.fingerprint_fetched", "cro.photo_fetched"]).exists()
