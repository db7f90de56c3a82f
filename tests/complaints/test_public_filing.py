"""The public complaint form: filing, routing, attachments and every bad input of the issue."""

from __future__ import annotations

import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casp.models import AuditEvent
from complaints.models import Attachment, Category, Complaint, ComplaintEvent
from tests.complaints.conftest import form_data, jpeg_upload, pdf_upload

pytestmark = pytest.mark.django_db
URL = "/complaints/new/"


def test_the_form_opens_without_login_and_fits_a_phone(client, station_a):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    assert 'enctype="multipart/form-data"' in html
    assert f'data-district="{station_a.district_id}"' in html


def test_the_form_speaks_urdu_right_to_left(client, station_a):
    client.cookies["django_language"] = "ur"
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="ur").content.decode()
    assert 'dir="rtl"' in html
    assert "شکایت" in html


def test_citizen_files_a_complaint_and_gets_the_tracking_number_on_screen_and_by_sms(
    client, station_a, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(station_a, email="ayesha@example.com"))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", complaint.tracking_number)
    page = client.get(response["Location"]).content.decode()
    assert complaint.tracking_number in page
    assert complaint.phone == "03001234567"
    assert complaint.handling_station == station_a
    assert [m.to for m in outbox] == ["03001234567", "ayesha@example.com"]
    assert complaint.tracking_number in outbox[0].body
    assert ComplaintEvent.objects.filter(complaint=complaint, kind="filed").count() == 1
    assert AuditEvent.objects.filter(action="complaint.filed", target_id=str(complaint.pk)).count() == 1


def test_tracking_numbers_are_random_not_a_sequence(station_a):
    from complaints.identifiers import tracking_number_new

    numbers = {tracking_number_new() for _ in range(2000)}
    assert len(numbers) == 2000
    first = sorted(numbers)[:5]
    assert first != [f"0000-0000-000{i}" for i in range(5)]


def test_police_conduct_complaint_skips_the_station_complained_about(client, station_a):
    bribery = Category.objects.get(code="misconduct-bribery")
    client.post(URL, form_data(station_a, category=str(bribery.pk)))
    complaint = Complaint.objects.get()
    assert complaint.station == station_a
    assert complaint.handling_station is None
    assert complaint.district == station_a.district
    assert "District supervising officer" in complaint.office_label


def test_attachments_are_checked_and_stored_privately_under_random_names(client, station_a, private_media):
    response = client.post(URL, {**form_data(station_a), "attachments": [jpeg_upload(), pdf_upload()]})
    assert response.status_code == 302
    attachments = list(Attachment.objects.order_by("kind"))
    assert [a.kind for a in attachments] == ["image", "pdf"]
    for a in attachments:
        assert re.fullmatch(r"complaints/[\w-]{2}/[\w-]{43}\.(jpg|pdf)", a.path)
        assert default_storage.exists(a.path)
        assert str(default_storage.path(a.path)).startswith(str(private_media))
        assert a.original_name not in a.path


def test_station_can_be_found_from_the_place_of_incident(client, station_a, district_a):
    from tests.factories import PoliceStationFactory

    station_a.latitude, station_a.longitude = 33.70, 73.05
    station_a.save()
    PoliceStationFactory(district=district_a, latitude=33.90, longitude=73.40)
    response = client.post(URL, form_data(station_a, station="", latitude="33.71", longitude="73.06"))
    assert response.status_code == 302
    assert Complaint.objects.get().station == station_a


# --- Bad input: one test each; a clear error naming the field, nothing saved ---


def _errors(response) -> dict:
    return response.context["form"].errors


def test_missing_required_fields_are_named_and_nothing_is_saved(client, station_a):
    response = client.post(URL, {"district": str(station_a.district_id)})
    assert response.status_code == 400
    errors = _errors(response)
    for field in ("name", "cnic", "phone", "address", "category", "incident_place", "incident_at", "description"):
        assert field in errors, field
    assert Complaint.objects.count() == 0


def test_malformed_cnic_is_refused(client, station_a):
    response = client.post(URL, form_data(station_a, cnic="35202-12345"))
    assert "13 digits" in _errors(response)["cnic"][0]
    assert Complaint.objects.count() == 0


def test_malformed_phone_is_refused(client, station_a):
    response = client.post(URL, form_data(station_a, phone="12345"))
    assert "11 digits starting with 03" in _errors(response)["phone"][0]
    assert Complaint.objects.count() == 0


def test_incident_time_in_the_future_is_refused(client, station_a):
    response = client.post(URL, form_data(station_a, incident_at="2999-01-01T10:00"))
    assert _errors(response)["incident_at"] == ["Date and time of the incident cannot be in the future."]
    assert Complaint.objects.count() == 0


def _station_select(response) -> str:
    """The station list only: a district's option may carry the same id as a station's."""
    html = response.content.decode()
    return re.search(r'<select name="station".*?</select>', html, re.S).group(0)


def test_station_of_another_district_is_refused(client, station_a, station_b):
    response = client.post(URL, form_data(station_a, station=str(station_b.pk)))
    assert _errors(response)["station"] == [
        "Bravo is not in the district you chose (District A); choose one of its stations."
    ]
    assert Complaint.objects.count() == 0
    # Shown again, also without JavaScript, with the chosen district's stations only.
    html = _station_select(response)
    assert f'<option value="{station_a.pk}"' in html and f'<option value="{station_b.pk}"' not in html


def test_the_station_field_is_marked_required_and_leaving_it_empty_names_it(client, station_a, station_b):
    html = client.get(URL).content.decode()
    label = re.search(r'<label\s+for="id_station"[^>]*>(.*?)</label>', html, re.S).group(1)
    assert "asteriskField" in label
    response = client.post(URL, form_data(station_a, station=""))
    assert _errors(response)["station"] == [
        "Choose the police station of the district, or use your location to find it."
    ]
    assert Complaint.objects.count() == 0
    html = _station_select(response)
    assert f'<option value="{station_a.pk}"' in html and f'<option value="{station_b.pk}"' not in html


def test_a_file_that_is_not_what_its_extension_says_is_refused(client, station_a, private_media):
    fake_jpg = SimpleUploadedFile("evidence.jpg", b"MZ\x90\x00 this is a program", content_type="image/jpeg")
    fake_pdf = SimpleUploadedFile("letter.pdf", jpeg_upload().read(), content_type="application/pdf")
    response = client.post(URL, {**form_data(station_a), "attachments": [fake_jpg, fake_pdf]})
    errors = _errors(response)["attachments"]
    assert any("evidence.jpg" in e and "not a JPEG, PNG or WebP image" in e for e in errors)
    assert any("letter.pdf" in e and "not a PDF" in e for e in errors)
    assert Complaint.objects.count() == 0 and Attachment.objects.count() == 0
    assert not (private_media / "complaints").exists()


def test_a_file_of_another_type_is_refused(client, station_a):
    doc = SimpleUploadedFile("notes.docx", b"PK\x03\x04", content_type="application/octet-stream")
    response = client.post(URL, {**form_data(station_a), "attachments": [doc]})
    assert "notes.docx" in _errors(response)["attachments"][0]
    assert Complaint.objects.count() == 0


def test_more_than_five_files_are_refused(client, station_a):
    files = [jpeg_upload(f"p{i}.jpg") for i in range(6)]
    response = client.post(URL, {**form_data(station_a), "attachments": files})
    assert _errors(response)["attachments"] == ["Attach at most 5 files; you chose 6."]
    assert Complaint.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(client, station_a):
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024 + 1), content_type="application/pdf")
    response = client.post(URL, {**form_data(station_a), "attachments": [big]})
    error = _errors(response)["attachments"][0]
    assert "scan.pdf" in error and "the limit is 5 MB" in error
    assert Complaint.objects.count() == 0


def test_script_in_the_description_is_stored_as_written_and_shown_escaped(client, station_a, colleague_a):
    script = "<script>alert('x')</script> They beat me"
    client.post(URL, form_data(station_a, description=script))
    complaint = Complaint.objects.get()
    assert complaint.description == script
    client.force_login(colleague_a)
    html = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; They beat me" in html
    assert "<script>alert" not in html


def test_honeypot_filled_by_a_robot_saves_nothing(client, station_a, outbox):
    response = client.post(URL, form_data(station_a, website="http://spam.example"))
    assert response.status_code == 400
    assert Complaint.objects.count() == 0
    assert outbox == []


def test_same_phone_and_category_within_7_days_warns_instead_of_filing_a_duplicate(client, station_a):
    client.post(URL, form_data(station_a))
    response = client.post(URL, form_data(station_a, description="Again, my motorcycle was stolen."))
    assert response.status_code == 400
    assert "already filed a complaint about this matter" in _errors(response)["confirm_new"][0]
    assert Complaint.objects.count() == 1
    response = client.post(URL, form_data(station_a, description="A different matter.", confirm_new="on"))
    assert response.status_code == 302
    assert Complaint.objects.count() == 2


def test_the_similar_complaint_warning_reveals_neither_kind_nor_date(client, station_a):
    first = client.post(URL, form_data(station_a))
    assert first.status_code == 302
    complaint = Complaint.objects.get()
    response = client.post(URL, form_data(station_a, description="Again, my motorcycle was stolen."))
    warning = _errors(response)["confirm_new"][0]
    assert complaint.created_at.strftime("%d-%m-%Y") not in warning
    assert complaint.category.display_name not in warning and "of this kind" not in warning


def test_a_stranger_with_only_the_phone_number_gets_no_warning(client, station_a):
    client.post(URL, form_data(station_a))
    response = client.post(URL, form_data(station_a, cnic="61101-1111111-2", description="Someone else's matter."))
    assert response.status_code == 302  # filed: nothing about the first complaint was shown
    assert Complaint.objects.count() == 2


def test_a_failure_while_saving_removes_the_stored_files(station_a, private_media, monkeypatch):
    from complaints import services
    from complaints.files import attachment_prepare
    from tests.complaints.factories import complaint_data

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_complaint_create", broken)
    with pytest.raises(RuntimeError):
        services.complaint_file(data=complaint_data(station_a, files=[attachment_prepare(jpeg_upload())]))
    assert list((private_media / "complaints").rglob("*.jpg")) == []
