from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from hoteleye.models import CheckIn, Source

URL = reverse("hoteleye:checkin_import")
HEADER = "guest_type,cnic,passport_number,nationality,name,father_name,gender,date_of_birth,room,checked_in_at\n"


def _when(hours_ago=1):
    return (timezone.localtime() - timezone.timedelta(hours=hours_ago)).strftime("%Y-%m-%d %H:%M")


def _upload(text, name="guests.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_good_rows_are_saved_and_each_bad_row_is_reported_without_stopping_the_rest(staff_client, hotel_a):
    rows = [
        f"pakistani,35202-1234567-1,,,Ali Raza,Raza,male,1990-01-01,101,{_when()}",
        f"pakistani,12345,,,Bad Cnic,,male,,102,{_when()}",
        f"foreigner,,X1234567,,No Nationality,,female,,103,{_when()}",
        f"pakistani,35202-1234567-1,,,Same Guest Again,,male,,104,{_when()}",
        f"foreigner,,X7654321,Japan,Kenji Sato,,male,1985-02-03,105,{_when(5)}",
    ]
    response = staff_client.post(URL, {"file": _upload(HEADER + "\n".join(rows) + "\n")})
    reports = response.context["reports"]
    assert [(r.row, r.ok) for r in reports] == [(2, True), (3, False), (4, False), (5, False), (6, True)]
    assert "13 digits" in " ".join(reports[1].errors["cnic"])
    assert "nationality" in " ".join(reports[2].errors["nationality"]).lower()
    assert "already has an open check-in" in " ".join(reports[3].errors["cnic"])
    assert sorted(CheckIn.objects.values_list("name", flat=True)) == ["Ali Raza", "Kenji Sato"]
    assert set(CheckIn.objects.values_list("source", flat=True)) == {Source.CSV}
    assert CheckIn.objects.get(name="Kenji Sato").is_late
    page = response.content.decode()
    assert "2 of 5 rows saved" in page and "not saved" in page


def test_a_csv_without_the_required_columns_is_refused(staff_client):
    response = staff_client.post(URL, {"file": _upload("name,room\nAli,1\n")})
    assert "missing: guest_type, gender, checked_in_at" in " ".join(response.context["form"].errors["file"])
    assert CheckIn.objects.count() == 0


def test_a_file_that_is_not_utf8_text_is_refused(staff_client):
    response = staff_client.post(URL, {"file": SimpleUploadedFile("g.csv", b"\xff\xfe\x00\x81binary")})
    assert "not UTF-8" in " ".join(response.context["form"].errors["file"])


def test_a_row_with_a_field_over_the_csv_limit_is_reported_and_the_import_goes_on_and_is_audited(staff_client, hotel_a):
    from casp.models import AuditEvent

    rows = [
        f"pakistani,35202-1234567-1,,,Ali Raza,Raza,male,1990-01-01,101,{_when()}",
        f"pakistani,35202-2222222-1,,,{'x' * 200_000},,male,,102,{_when()}",
        f"foreigner,,X7654321,Japan,Kenji Sato,,male,1985-02-03,105,{_when()}",
    ]
    response = staff_client.post(URL, {"file": _upload(HEADER + "\n".join(rows) + "\n")})
    assert response.status_code == 200
    reports = response.context["reports"]
    assert [(r.row, r.ok) for r in reports] == [(2, True), (3, False), (4, True)]
    assert "a field is longer than 131072 characters" in " ".join(reports[1].errors["row"])
    assert sorted(CheckIn.objects.values_list("name", flat=True)) == ["Ali Raza", "Kenji Sato"]
    event = AuditEvent.objects.get(action="hoteleye.csv_imported")
    assert event.data == {"rows": 3, "saved": 2}


def test_a_first_row_over_the_csv_limit_is_refused_on_the_form_not_a_500(staff_client, hotel_a):
    from casp.models import AuditEvent

    response = staff_client.post(
        URL, {"file": _upload("x" * 200_000 + "," + HEADER + f"pakistani,,,,A,,male,,1,{_when()}\n")}
    )
    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["file"])
    assert "The first row cannot be read: a field is longer than 131072 characters." in message
    assert not CheckIn.objects.exists() and not AuditEvent.objects.filter(action="hoteleye.csv_imported").exists()
