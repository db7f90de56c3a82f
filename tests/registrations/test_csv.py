"""The CSV batch of estate agents and employers: every row reported, a broken row saves nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from registrations.models import RegisteredPerson, Registration

pytestmark = pytest.mark.django_db

URL = reverse("registrations:batch")
HEADER = "address,station,start_date,cnic,passport_number,nationality,name,father_name,date_of_birth\n"


def _post(client, text, kind="tenant"):
    upload = SimpleUploadedFile("tenants.csv", text.encode(), content_type="text/csv")
    body = {"registrant_name": "Estate Co", "registrant_cnic": "61101-7654321-3", "registrant_phone": "03001234567",
            "kind": kind, "file": upload}  # fmt: skip
    return client.post(URL, body)


def test_good_rows_are_saved_and_a_broken_row_is_reported(client, station_a):
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    text = HEADER + (
        f"House 1,{station_a.code},{day},35202-1234567-1,,,Ali Raza,Raza Khan,1990-05-01\n"
        f"House 2,{station_a.code},{day},123,,,Bad Cnic,Someone,1990-05-01\n"
        f"House 3,NOPE,{day},35202-7654321-1,,,No Station,Someone,1990-05-01\n"
        f"House 4,{station_a.code},1900-01-01,35202-1111111-1,,,Too Old,Someone,1990-05-01\n"
        f'House 5,{station_a.code},{day},,AB123456,Iran,"Reza Ahmadi,Hossein,1980-01-01\n'
    )
    response = _post(client, text)
    assert response.status_code == 200
    page = response.content.decode()
    assert Registration.objects.count() == 1 and RegisteredPerson.objects.count() == 1
    assert Registration.objects.get().channel == "csv"
    assert "13 digits" in page and "Select a valid choice" in page and "01-01-1950" in page
    assert page.count("not saved") == 4  # rows 3 to 6; row 6 (a quote left open) too


def test_a_file_without_the_required_columns_is_refused(client):
    response = _post(client, "name,cnic\nAli,35202-1234567-1\n")
    assert response.status_code == 400 and "missing" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_first_row_over_the_csv_limit_is_refused_not_a_500(client):
    client.raise_request_exception = False
    response = _post(client, "x" * 200_000 + "," + HEADER)
    assert response.status_code == 400
    assert "The first row cannot be read: a field is longer than 131072 characters." in response.content.decode()
    assert not Registration.objects.exists()
