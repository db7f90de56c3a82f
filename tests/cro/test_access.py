"""Who may see CRO records, and the access log of every view, search and photo fetch."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from casp.models import AuditEvent
from cro import services
from tests.factories import cro_record

pytestmark = pytest.mark.django_db


def _png(color: str = "red") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), color).save(buf, format="PNG")
    return SimpleUploadedFile("p.png", buf.getvalue(), content_type="image/png")


def test_record_view_is_logged_with_user_and_ip(cro_client, cro_officer):
    record = cro_record(name="Asif")
    response = cro_client.get(reverse("cro:detail", args=[record.pk]), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="cro.record_viewed", target_id=str(record.pk))
    assert event.actor == cro_officer and event.is_read and event.ip_address == "10.1.2.3"


def test_cro_officer_sees_access_log_on_record_page(cro_client, sho_b):
    record = cro_record(name="Asif")
    other = Client()
    other.force_login(sho_b)
    other.get(reverse("cro:detail", args=[record.pk]))
    page = cro_client.get(reverse("cro:detail", args=[record.pk])).content.decode()
    assert "Access log" in page
    assert "sho_b" in page and "cro.record_viewed" in page


def test_sho_may_view_but_not_see_access_log(client, sho_b):
    record = cro_record(name="Asif")
    client.force_login(sho_b)
    response = client.get(reverse("cro:detail", args=[record.pk]))
    assert response.status_code == 200
    assert "Access log" not in response.content.decode()


def test_station_clerk_gets_404_on_record_and_403_on_search(client_a):
    record = cro_record(name="Asif")
    assert client_a.get(reverse("cro:detail", args=[record.pk])).status_code == 404
    assert client_a.get(reverse("cro:search")).status_code == 403


def test_sho_cannot_edit(client, sho_b):
    record = cro_record(name="Asif")
    client.force_login(sho_b)
    assert client.get(reverse("cro:edit", args=[record.pk])).status_code == 403


def test_name_and_cnic_searches_are_logged_with_terms(cro_client, cro_officer):
    record = cro_record(name="Muhammad Yousaf", cnic="35202-1234567-1")
    page = cro_client.get(reverse("cro:search"), {"q": "Mohd Yusuf", "father_name": "Ali"}).content.decode()
    assert record.get_absolute_url() in page
    event = AuditEvent.objects.get(action="cro.search_name")
    assert event.data["name"] == "Mohd Yusuf" and event.data["father_name"] == "Ali"
    assert event.data["results"] == [record.pk]
    page = cro_client.get(reverse("cro:search"), {"q": "3520212345671"}).content.decode()
    assert record.get_absolute_url() in page
    assert AuditEvent.objects.get(action="cro.search_cnic").data == {"cnic": "3520212345671", "found": record.pk}
    log = cro_client.get(reverse("cro:search_log")).content.decode()
    assert "Mohd Yusuf" in log


def test_malformed_cnic_search_names_the_problem(cro_client):
    page = cro_client.get(reverse("cro:search"), {"q": "35202-12345"}).content.decode()
    assert "A CNIC has 13 digits" in page


def test_photo_fetch_is_logged_and_404_without_rights(cro_client, cro_officer, officer_a):
    client_a = Client()
    client_a.force_login(officer_a)
    record = cro_record(name="Asif")
    photo = services.photo_add(record=record, acting_user=cro_officer, upload=_png())
    url = reverse("cro:photo", args=[photo.pk, "thumb"])
    response = cro_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    event = AuditEvent.objects.get(action="cro.photo_fetched")
    assert event.target_id == str(record.pk) and event.data["photo_id"] == photo.pk
    assert client_a.get(url).status_code == 404
    assert client_a.get(reverse("cro:photo", args=[photo.pk, "full"])).status_code == 404


def test_anonymous_user_is_sent_to_login_for_photo(client, cro_officer):
    record = cro_record(name="Asif")
    photo = services.photo_add(record=record, acting_user=cro_officer, upload=_png())
    response = client.get(reverse("cro:photo", args=[photo.pk, "full"]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_access_log_cannot_be_edited_or_deleted(cro_client):
    record = cro_record(name="Asif")
    cro_client.get(reverse("cro:detail", args=[record.pk]))
    event = AuditEvent.objects.get(action="cro.record_viewed")
    event.action = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_record_list_query_count_does_not_grow_with_rows(cro_client, cro_officer):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert cro_client.get(reverse("cro:search")).status_code == 200
        return len(ctx.captured_queries)

    cro_record(name="One")
    few = count()
    for i in range(8):
        record = cro_record(name=f"Person {i}")
        services.photo_add(record=record, acting_user=cro_officer, upload=_png(["red", "blue"][i % 2]))
    assert count() == few
