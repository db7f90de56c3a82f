"""Check-in and check-out times and dates of birth: refused by the form, the CSV list and the API; held by CHECKs."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from hoteleye.models import CheckIn, Companion
from hoteleye.services import checkin_checkout, checkins_import_csv, token_rotate
from tests.hoteleye.conftest import form_body, guest_data, make_checkin

CREATE = reverse("hoteleye_api:checkin_create")
NEW = reverse("hoteleye:checkin_new")


def _local(**delta) -> str:
    return (timezone.localtime() + timezone.timedelta(**delta)).strftime("%Y-%m-%dT%H:%M")


IMPLAUSIBLE_CHECK_INS = [
    ("0001-01-01T00:00:00+05:00", "cannot be before"),
    ("0001-01-01T00:00", "cannot be before"),
    ("1900-06-01T10:00:00+05:00", "cannot be before"),
    (_local(days=-2), "within a day of now"),
    (_local(hours=3), "cannot be in the future"),
]
IDS = ["year_1_plus_5", "year_1_naive", "year_1900", "two_days_ago", "future"]


@pytest.fixture
def key_a(hotel_a):
    return token_rotate(acting_user=None, hotel=hotel_a)


@pytest.mark.parametrize(("value", "text"), IMPLAUSIBLE_CHECK_INS, ids=IDS)
def test_the_api_answers_400_naming_checked_in_at_and_saves_nothing(client, key_a, value, text):
    response = client.post(CREATE, guest_data(checked_in_at=value), HTTP_AUTHORIZATION=f"Token {key_a}")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"checked_in_at"}
    assert errors["checked_in_at"][0].startswith("Check-in time") and text in errors["checked_in_at"][0]
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(("value", "text"), IMPLAUSIBLE_CHECK_INS, ids=IDS)
def test_the_desk_form_refuses_the_same_times(staff_client, value, text):
    response = staff_client.post(NEW, form_body(checked_in_at=value))
    assert response.status_code == 200  # the form again, with its errors
    assert text in " ".join(response.context["form"].errors["checked_in_at"])
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(("value", "text"), [("1899-12-31", "cannot be before"), ("2999-01-01", "in the future")])
def test_a_date_of_birth_outside_1900_to_today_is_refused_for_guest_and_companion(
    client, staff_client, key_a, value, text
):
    response = client.post(CREATE, guest_data(date_of_birth=value), HTTP_AUTHORIZATION=f"Token {key_a}")
    assert response.status_code == 400 and text in response.json()["errors"]["date_of_birth"][0]
    body = form_body(**{"companions-TOTAL_FORMS": "1"})
    body.update(
        {
            "companions-0-guest_type": "pakistani",
            "companions-0-cnic": "35202-7654321-2",
            "companions-0-name": "Sara Ali",
            "companions-0-gender": "female",
            "companions-0-date_of_birth": value,
        }
    )
    response = staff_client.post(NEW, body)
    assert text in " ".join(response.context["formset"].forms[0].errors["date_of_birth"])
    assert not CheckIn.objects.exists() and not Companion.objects.exists()


def test_a_csv_row_in_year_1_is_refused_and_the_others_are_saved(hotel_a):
    header = "guest_type,cnic,name,gender,room,checked_in_at\n"
    text = (
        header
        + "pakistani,35202-1234567-1,Ali Raza,male,1,0001-01-01T00:00\n"
        + f"pakistani,35202-7654321-3,Bilal,male,2,{_local(hours=-1)}\n"
    )
    reports = checkins_import_csv(hotel=hotel_a, acting_user=None, text=text)
    assert [r.ok for r in reports] == [False, True]
    assert "cannot be before" in reports[0].errors["checked_in_at"][0]
    assert CheckIn.objects.count() == 1


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+05:00", "2999-01-01T00:00"], ids=["year_1", "future"])
def test_a_check_out_time_out_of_range_is_400_and_the_guest_stays_checked_in(client, key_a, value):
    checkin_id = client.post(
        CREATE, guest_data(checked_in_at=_local(hours=-2)), HTTP_AUTHORIZATION=f"Token {key_a}"
    ).json()["id"]
    url = reverse("hoteleye_api:checkin_checkout", args=[checkin_id])
    response = client.post(url, {"checked_out_at": value}, HTTP_AUTHORIZATION=f"Token {key_a}")
    assert response.status_code == 400 and "Check-out time" in response.json()["errors"]["checked_out_at"][0]
    assert CheckIn.objects.get(pk=checkin_id).checked_out_at is None


def test_the_checkout_service_refuses_a_future_time(hotel_a):
    checkin = make_checkin(hotel_a)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        checkin_checkout(checkin=checkin, acting_user=None, checked_out_at=timezone.now() + timezone.timedelta(days=3))
    assert "in the future" in exc.value.message_dict["checked_out_at"][0]


@pytest.mark.parametrize(
    ("field", "value", "constraint"),
    [
        ("checked_in_at", "0001-01-01T00:00:00+05:00", "hoteleye_checkin_checked_in_at_range"),
        ("checked_in_at", "1999-12-31T10:00:00+05:00", "hoteleye_checkin_checked_in_at_range"),
        ("checked_out_at", "2200-01-02T00:00:00+05:00", "hoteleye_checkin_checked_out_at_range"),
        ("date_of_birth", "1899-12-31", "hoteleye_checkin_date_of_birth_range"),
    ],
)
def test_the_database_refuses_what_the_forms_refuse(hotel_a, field, value, constraint):
    checkin = make_checkin(hotel_a)
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        CheckIn.objects.filter(pk=checkin.pk).update(**{field: value})


def test_the_hotel_and_station_pages_stay_readable_after_a_refused_year_1_check_in(
    client, staff_client, key_a, hotel_a, officer_a
):
    client.post(CREATE, guest_data(checked_in_at="0001-01-01T00:00:00+05:00"), HTTP_AUTHORIZATION=f"Token {key_a}")
    checkin = make_checkin(hotel_a)
    for name in ("hoteleye:occupancy", "hoteleye:history"):
        assert staff_client.get(reverse(name)).status_code == 200
    assert staff_client.post(reverse("hoteleye:checkin_checkout", args=[checkin.pk]), {}).status_code == 302
    client.force_login(officer_a)
    assert client.get(reverse("hoteleye:hotel_detail", args=[hotel_a.code])).status_code == 200
