"""Hotel staff can download the batch upload's template, and a filled-in template imports."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from hoteleye.models import CheckIn
from hoteleye.services import CSV_COLUMNS


def test_upload_page_links_the_template(staff_client):
    page = staff_client.get(reverse("hoteleye:checkin_import")).content.decode()
    assert reverse("hoteleye:checkin_import_template") in page
    assert "CSV batch" not in page


def test_template_names_every_column_and_a_filled_in_copy_imports(staff_client, hotel_a):
    response = staff_client.get(reverse("hoteleye:checkin_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header = response.content.decode().strip()
    assert header.split(",") == list(CSV_COLUMNS)
    row = dict.fromkeys(CSV_COLUMNS, "")
    when = (timezone.localtime() - timezone.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    row.update(guest_type="pakistani", cnic="35202-1234567-1", name="Ali Raza", gender="male", room="7")
    row.update(checked_in_at=when)
    text = header + "\r\n" + ",".join(row[c] for c in CSV_COLUMNS) + "\r\n"
    upload = SimpleUploadedFile("filled.csv", text.encode(), content_type="text/csv")
    staff_client.post(reverse("hoteleye:checkin_import"), {"file": upload})
    assert CheckIn.objects.filter(hotel=hotel_a, name="Ali Raza").exists()


def test_officers_and_strangers_cannot_fetch_the_template(client, officer_a):
    client.force_login(officer_a)
    assert client.get(reverse("hoteleye:checkin_import_template")).status_code == 403
