"""Files in S3-compatible object storage (STORAGE_URL), exercised with the real boto3 client against
moto in server mode: uploads through the real views, reads through the permission-checking views,
private objects, and a store that is down refusing uploads with nothing half-saved."""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from casp.models import AuditEvent
from casp.roles import Role
from casp.storage_config import FILESYSTEM_BACKEND, S3_BACKEND, private_file_serving, storage_settings
from complaints.models import Attachment, Complaint
from cro.models import RecordPhoto
from tests.complaints.conftest import form_data, jpeg_upload
from tests.factories import cro_record, posted_user
from tests.objectstore import BUCKET, KEY, SECRET, s3_server

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def moto():
    with s3_server() as server:
        yield server


def _use(settings, monkeypatch, url: str) -> None:
    monkeypatch.setenv("STORAGE_ACCESS_KEY", KEY)
    monkeypatch.setenv("STORAGE_SECRET_KEY", SECRET)
    settings.STORAGES = {**settings.STORAGES, "default": storage_settings(url)}


@pytest.fixture
def s3(moto, settings, monkeypatch):
    _use(settings, monkeypatch, moto.storage_url())
    return moto


def _keys(server) -> set[str]:
    return {o["Key"] for o in server.client().list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def _anonymous_get(server, key: str) -> int:
    try:
        with urllib.request.urlopen(f"{server.endpoint}/{BUCKET}/{key}", timeout=5) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture
def cro_officer(district_a, roles):
    return posted_user(Role.CRO_OFFICER, district=district_a, username="cro_officer")


def _photo_upload(name: str = "face.jpg"):
    return jpeg_upload(name, size=(120, 90))


def test_cro_photo_goes_to_the_bucket_and_is_served_only_through_the_view(s3, client, cro_officer, officer_b):
    assert type(default_storage._wrapped).__name__ == "S3Storage" or default_storage.bucket_name == BUCKET
    record = cro_record(name="Asif")
    client.force_login(cro_officer)
    response = client.post(reverse("cro:photo_upload", args=[record.pk]), {"photo": _photo_upload(), "kind": "front"})
    assert response.status_code == 302
    photo = RecordPhoto.objects.get(record=record)
    assert {photo.file, photo.thumbnail} <= _keys(s3)
    stored = s3.client().get_object(Bucket=BUCKET, Key=photo.file)["Body"].read()

    served = client.get(reverse("cro:photo", args=[photo.pk, "full"]))
    assert served.status_code == 200 and served["Cache-Control"] == "private, no-store"
    assert b"".join(served.streaming_content) == stored

    other = Client()
    other.force_login(officer_b)
    assert other.get(reverse("cro:photo", args=[photo.pk, "full"])).status_code == 404
    # The object is private: an anonymous GET on the bucket URL is refused.
    assert _anonymous_get(s3, photo.file) == 403
    grants = s3.client().get_object_acl(Bucket=BUCKET, Key=photo.file)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
    assert all("AllUsers" not in g["Grantee"].get("URI", "") for g in grants)


def test_a_public_object_would_be_readable_so_the_refusal_above_means_something(s3):
    s3.client().put_object(Bucket=BUCKET, Key="public-control.txt", Body=b"x", ACL="public-read")
    assert _anonymous_get(s3, "public-control.txt") == 200


def test_complaint_attachment_goes_to_the_bucket_and_is_served_to_its_station_only(
    s3, client, station_a, officer_a, officer_b
):
    client.post("/complaints/new/", {**form_data(station_a), "attachments": [jpeg_upload()]})
    attachment = Attachment.objects.get()
    assert attachment.path in _keys(s3)
    assert _anonymous_get(s3, attachment.path) == 403
    url = reverse("complaints:attachment", args=[attachment.complaint_id, attachment.pk])
    client.force_login(officer_a)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    client.force_login(officer_b)
    assert client.get(url).status_code == 404


def _fetch(url: str) -> tuple[int, bytes, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback moto server
            return response.status, response.read(), {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as exc:
        return exc.code, b"", {}


def test_redirect_serving_issues_a_short_lived_signed_url_only_after_the_permission_check(
    s3, settings, monkeypatch, client, cro_officer, officer_b
):
    record = cro_record(name="Asif")
    client.force_login(cro_officer)
    client.post(reverse("cro:photo_upload", args=[record.pk]), {"photo": _photo_upload(), "kind": "front"})
    photo = RecordPhoto.objects.get(record=record)
    stored = s3.client().get_object(Bucket=BUCKET, Key=photo.file)["Body"].read()
    settings.PRIVATE_FILE_SERVING, origin = private_file_serving(s3.storage_url() + "&serve=redirect")
    assert origin == s3.endpoint

    response = client.get(reverse("cro:photo", args=[photo.pk, "full"]))
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
    signed = urlsplit(response.url)
    query = dict(parse_qsl(signed.query))
    assert f"{signed.scheme}://{signed.netloc}" == s3.endpoint and signed.path == f"/{BUCKET}/{photo.file}"
    assert query["X-Amz-Expires"] == "60" and query["X-Amz-Signature"]
    assert query["response-content-disposition"] == "inline" and query["response-content-type"] == "image/jpeg"
    status, body, headers = _fetch(response.url)
    assert status == 200 and body == stored and headers["content-type"] == "image/jpeg"
    assert headers["content-disposition"] == "inline" and headers["cache-control"] == "private, no-store"
    # Without the signature the object is refused: the redirect is the only way in.
    assert _fetch(f"{s3.endpoint}{signed.path}")[0] == 403

    other = Client()
    other.force_login(officer_b)  # another district: no redirect, no URL
    assert other.get(reverse("cro:photo", args=[photo.pk, "full"])).status_code == 404
    assert Client().get(reverse("cro:photo", args=[photo.pk, "full"])).status_code == 302  # to the login page
    assert "X-Amz" not in Client().get(reverse("cro:photo", args=[photo.pk, "full"]))["Location"]


def test_redirect_serving_of_a_missing_object_is_a_404_not_a_dead_link(s3, settings, client, cro_officer):
    record = cro_record(name="Asif")
    client.force_login(cro_officer)
    client.post(reverse("cro:photo_upload", args=[record.pk]), {"photo": _photo_upload(), "kind": "front"})
    photo = RecordPhoto.objects.get(record=record)
    s3.client().delete_object(Bucket=BUCKET, Key=photo.file)
    settings.PRIVATE_FILE_SERVING = "redirect"
    assert client.get(reverse("cro:photo", args=[photo.pk, "full"])).status_code == 404


def test_serving_defaults_to_streaming_and_redirect_needs_object_storage():
    assert private_file_serving("") == ("stream", "")
    assert private_file_serving("s3://b?endpoint_url=http://10.0.0.5:9000") == ("stream", "")
    assert private_file_serving("s3://b?endpoint_url=https://files.police.local&serve=redirect") == (
        "redirect",
        "https://files.police.local",
    )


def test_store_down_refuses_the_upload_clearly_and_writes_no_row(settings, monkeypatch, client, cro_officer, station_a):
    with s3_server() as server:
        _use(settings, monkeypatch, server.storage_url())
    # moto is stopped now: the endpoint refuses connections.
    record = cro_record(name="Asif")
    client.force_login(cro_officer)
    response = client.post(reverse("cro:photo_upload", args=[record.pk]), {"photo": _photo_upload(), "kind": "front"})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "the file store is not answering; nothing was saved" in page
    assert not RecordPhoto.objects.exists()

    client.logout()
    response = client.post("/complaints/new/", {**form_data(station_a), "attachments": [jpeg_upload()]})
    assert response.status_code == 400  # the form is shown again with the error
    assert "the file store is not answering; nothing was saved" in response.content.decode()
    assert not Complaint.objects.exists() and not Attachment.objects.exists()


def test_reading_while_the_store_is_down_is_a_clear_503(settings, monkeypatch, client, cro_officer):
    with s3_server() as server:
        _use(settings, monkeypatch, server.storage_url())
        record = cro_record(name="Asif")
        client.force_login(cro_officer)
        client.post(reverse("cro:photo_upload", args=[record.pk]), {"photo": _photo_upload(), "kind": "front"})
        photo = RecordPhoto.objects.get()
    response = client.get(reverse("cro:photo", args=[photo.pk, "full"]))
    assert response.status_code == 503
    assert "file store is not answering" in response.content.decode()
    assert not AuditEvent.objects.filter(action="cro.photo_fetched").exists()  # nothing was shown


def test_a_complaint_attachment_served_by_a_signed_redirect_is_audited(s3, settings, client, station_a, officer_a):
    """The attachment view audited only a streamed file (200): a signed redirect (302) left no read event."""
    client.post("/complaints/new/", {**form_data(station_a), "attachments": [jpeg_upload()]})
    attachment = Attachment.objects.get()
    settings.PRIVATE_FILE_SERVING = "redirect"
    client.force_login(officer_a)
    response = client.get(reverse("complaints:attachment", args=[attachment.complaint_id, attachment.pk]))
    assert response.status_code == 302 and "X-Amz-Signature" in response.url
    event = AuditEvent.objects.get(action="complaint.attachment_viewed")
    assert event.actor == officer_a and event.is_read and event.data == {"attachment": attachment.pk}


def test_without_storage_url_files_stay_on_the_filesystem():
    assert storage_settings("") == {"BACKEND": FILESYSTEM_BACKEND}


def test_storage_url_options_are_read():
    options = storage_settings("s3://casp-media?endpoint_url=http://127.0.0.1:9000&region=eu-west-1&location=prod/")[
        "OPTIONS"
    ]
    assert storage_settings("s3://b")["BACKEND"] == S3_BACKEND
    assert options["bucket_name"] == "casp-media" and options["endpoint_url"] == "http://127.0.0.1:9000"
    assert options["region_name"] == "eu-west-1" and options["location"] == "prod"
    assert options["default_acl"] == "private" and options["querystring_expire"] == 60
    assert options["file_overwrite"] is False


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://bucket", "must start with s3://"),
        ("s3://", "must name one bucket"),
        ("s3://bucket/folder", "must name one bucket"),
        ("s3://bucket?endpoint=http://x", "unknown options endpoint"),
        ("s3://bucket?endpoint_url=ftp://x", "endpoint_url must be an http:// or https:// URL"),
        ("s3://bucket?signed_url_seconds=86400", "signed_url_seconds must be a whole number of seconds"),
        ("s3://bucket?signed_url_seconds=soon", "signed_url_seconds must be a whole number of seconds"),
        ("s3://bucket?addressing_style=sideways", "addressing_style must be path, virtual or auto"),
        ("s3://bucket?serve=public", "serve must be stream or redirect"),
    ],
)
def test_bad_storage_url_is_refused_naming_the_problem(url, problem):
    with pytest.raises(ImproperlyConfigured) as exc:
        storage_settings(url)
    assert "STORAGE_URL" in str(exc.value) and problem in str(exc.value)


def test_compose_runs_minio_with_a_private_bucket_and_points_the_app_at_it():
    import yaml
    from django.conf import settings

    compose = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["minio"]["image"].startswith("minio/minio")
    init = "\n".join(services["minio-init"]["command"])
    assert "mc mb --ignore-existing local/casp-media" in init
    assert "mc anonymous set none local/casp-media" in init and "public" not in init
    workers = [name for name in services if name.startswith("worker-")]
    assert workers, "no worker services"
    for name in ("web", *workers, "beat", "migrate"):
        env = services[name]["environment"]
        config = storage_settings(env["STORAGE_URL"].replace("http://minio:9000", "http://127.0.0.1:9000"))
        assert config["OPTIONS"]["bucket_name"] == "casp-media", name
        assert services[name]["depends_on"]["minio-init"] == {"condition": "service_completed_successfully"}, name
        assert "storage_secret_key" in services[name]["secrets"], name
        assert "volumes" not in services[name], name  # no shared media disk: files are in the bucket
