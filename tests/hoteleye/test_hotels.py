from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from casp.models import AuditEvent, User
from casp.roles import Role
from hoteleye.models import Hotel, HotelStaff
from tests.factories import posted_user

HOTEL = {
    "name": "Kohsar Inn",
    "code": "isb-h9",
    "licence_number": "LIC-9",
    "address": "F-6",
    "latitude": "33.7",
    "longitude": "73.1",
    "rooms": "12",
}


def test_station_officer_registers_a_hotel_in_their_jurisdiction(client, colleague_a, station_a):
    client.force_login(colleague_a)
    response = client.post(reverse("hoteleye:hotel_new"), {**HOTEL, "station": station_a.pk})
    hotel = Hotel.objects.get()
    assert response.status_code == 302
    assert hotel.code == "ISB-H9" and hotel.station == station_a and hotel.district == station_a.district
    assert AuditEvent.objects.filter(action="hoteleye.hotel_registered", actor=colleague_a).exists()


def test_officer_cannot_register_a_hotel_at_a_station_outside_their_jurisdiction(client, colleague_a, station_b):
    client.force_login(colleague_a)
    response = client.post(reverse("hoteleye:hotel_new"), {**HOTEL, "station": station_b.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in " ".join(response.context["form"].errors["station"])
    assert Hotel.objects.count() == 0


def test_district_officer_registers_hotels_at_any_station_of_the_district(client, district_a, station_a, roles):
    dpo = posted_user(Role.DISTRICT_OFFICER, district=district_a, username="dpo")
    client.force_login(dpo)
    assert client.post(reverse("hoteleye:hotel_new"), {**HOTEL, "station": station_a.pk}).status_code == 302


def test_officer_creates_a_staff_account_bound_to_one_hotel(client, colleague_a, hotel_a):
    client.force_login(colleague_a)
    url = reverse("hoteleye:hotel_staff_new", args=[hotel_a.code])
    response = client.post(url, {"username": "reception1", "first_name": "Rida", "password": "a-long-enough-pass-2026"})
    assert response.status_code == 302
    user = User.objects.get(username="reception1")
    assert user.hotel_staff.hotel == hotel_a
    assert user.groups.filter(name=Role.HOTEL_STAFF.value).exists()
    assert user.check_password("a-long-enough-pass-2026")


def test_staff_account_with_a_taken_username_or_weak_password_is_refused(client, colleague_a, hotel_a):
    client.force_login(colleague_a)
    url = reverse("hoteleye:hotel_staff_new", args=[hotel_a.code])
    response = client.post(url, {"username": "colleague_a", "first_name": "X", "password": "123"})
    errors = response.context["form"].errors
    assert "taken" in " ".join(errors["username"])
    assert HotelStaff.objects.count() == 0


def test_officer_of_another_station_gets_404_on_a_hotel(client, officer_b, hotel_a):
    client.force_login(officer_b)
    assert client.get(reverse("hoteleye:hotel_detail", args=[hotel_a.code])).status_code == 404
    assert client.get(reverse("hoteleye:hotel_staff_new", args=[hotel_a.code])).status_code == 404
    assert hotel_a.name not in client.get(reverse("hoteleye:hotel_list")).content.decode()


def test_hotel_staff_cannot_use_officer_pages(staff_client, hotel_a):
    assert staff_client.get(reverse("hoteleye:hotel_list")).status_code == 403
    assert staff_client.get(reverse("hoteleye:alert_inbox")).status_code == 403


def test_seed_demo_binds_hotel_demo_to_a_hotel_at_ps_kohsar(db, roles):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # idempotent
    staff = HotelStaff.objects.select_related("hotel__station").get(user__username="hotel.demo")
    assert staff.hotel.station.code == "ISB-KOH"
    assert Hotel.objects.count() >= 3 and HotelStaff.objects.count() == Hotel.objects.count()
