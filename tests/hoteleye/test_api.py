from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from hoteleye.models import ApiToken, CheckIn, Source
from hoteleye.services import token_rotate
from tests.hoteleye.conftest import guest_data, png_upload

CREATE = reverse("hoteleye_api:checkin_create")


def _auth(key):
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def _iso(hours_ago=1):
    return (timezone.now() - timezone.timedelta(hours=hours_ago)).isoformat()


@pytest.fixture
def key_a(hotel_a):
    return token_rotate(acting_user=None, hotel=hotel_a)


def test_create_answers_201_with_id_and_received_at(client, hotel_a, key_a):
    response = client.post(CREATE, guest_data(checked_in_at=_iso(), photo=png_upload()), **_auth(key_a))
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "received_at"}
    checkin = CheckIn.objects.get(pk=body["id"])
    assert checkin.hotel == hotel_a and checkin.source == Source.API and checkin.photo
    assert body["received_at"] == checkin.received_at.isoformat()


def test_create_with_bad_fields_answers_400_with_errors_by_field(client, key_a):
    body = guest_data(cnic="99999-1234567-1", checked_in_at="yesterday", gender="x")
    response = client.post(CREATE, body, **_auth(key_a))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"cnic", "checked_in_at", "gender"}
    assert all(isinstance(m, str) for msgs in errors.values() for m in msgs)
    assert "province digit" in errors["cnic"][0]
    assert CheckIn.objects.count() == 0


def test_passport_without_nationality_via_api_is_400(client, key_a):
    body = guest_data(guest_type="foreigner", cnic="", passport_number="AB1", checked_in_at=_iso())
    response = client.post(CREATE, body, **_auth(key_a))
    assert response.status_code == 400 and "nationality" in response.json()["errors"]


def test_non_image_photo_via_api_is_400(client, key_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = guest_data(checked_in_at=_iso(), photo=SimpleUploadedFile("a.jpg", b"MZ" * 100))
    response = client.post(CREATE, body, **_auth(key_a))
    assert response.status_code == 400 and "photo" in response.json()["errors"]


def test_duplicate_open_check_in_via_api_is_400(client, key_a):
    assert client.post(CREATE, guest_data(checked_in_at=_iso()), **_auth(key_a)).status_code == 201
    response = client.post(CREATE, guest_data(checked_in_at=_iso(), room="9"), **_auth(key_a))
    assert response.status_code == 400 and "open check-in" in response.json()["errors"]["cnic"][0]


@pytest.mark.parametrize("header", [None, "Token nonsense", "Bearer abc", "Token "])
def test_missing_or_unknown_token_is_401(client, hotel_a, header):
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    response = client.post(CREATE, guest_data(checked_in_at=_iso()), **extra)
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Token")
    assert CheckIn.objects.count() == 0


def test_revoked_token_is_401_after_rotation(client, hotel_a, key_a):
    new_key = token_rotate(acting_user=None, hotel=hotel_a)
    assert client.post(CREATE, guest_data(checked_in_at=_iso()), **_auth(key_a)).status_code == 401
    assert client.post(CREATE, guest_data(checked_in_at=_iso()), **_auth(new_key)).status_code == 201
    assert ApiToken.objects.filter(hotel=hotel_a, revoked_at__isnull=True).count() == 1


def test_token_of_an_inactive_hotel_is_401(client, hotel_a, key_a):
    hotel_a.is_active = False
    hotel_a.save(update_fields=["is_active"])
    assert client.post(CREATE, guest_data(checked_in_at=_iso()), **_auth(key_a)).status_code == 401


def test_token_of_a_deactivated_officer_reads_no_alerts(client, officer_a, hotel_a, station_a):
    """A deactivated account's API token kept reading guests' identities and CRO records."""
    from casp.models import AuditEvent
    from tests.hoteleye.conftest import make_alert, make_checkin

    make_alert(station_a, make_checkin(hotel_a))
    key = token_rotate(acting_user=None, user=officer_a)
    alerts = reverse("hoteleye_api:alert_list")
    assert client.get(alerts, **_auth(key)).json()["count"] == 1
    officer_a.is_active = False
    officer_a.save(update_fields=["is_active"])
    response = client.get(alerts, **_auth(key))
    assert response.status_code == 401 and "Ali Raza" not in response.content.decode()
    assert AuditEvent.objects.filter(action="hoteleye.alerts_listed").count() == 1  # the read before, only


def test_checkout_records_the_time_and_refuses_another_hotels_id(client, hotel_b, key_a):
    checkin_id = client.post(CREATE, guest_data(checked_in_at=_iso()), **_auth(key_a)).json()["id"]
    url = reverse("hoteleye_api:checkin_checkout", args=[checkin_id])
    key_b = token_rotate(acting_user=None, hotel=hotel_b)
    assert client.post(url, **_auth(key_b)).status_code == 404
    assert client.post(reverse("hoteleye_api:checkin_checkout", args=[999999]), **_auth(key_a)).status_code == 404
    response = client.post(url, **_auth(key_a))
    assert response.status_code == 200 and response.json()["id"] == checkin_id
    assert CheckIn.objects.get(pk=checkin_id).checked_out_at is not None


def test_checkout_before_check_in_via_api_is_400(client, key_a):
    checkin_id = client.post(CREATE, guest_data(checked_in_at=_iso(2)), **_auth(key_a)).json()["id"]
    url = reverse("hoteleye_api:checkin_checkout", args=[checkin_id])
    response = client.post(url, {"checked_out_at": _iso(3)}, **_auth(key_a))
    assert response.status_code == 400
    assert "before the check-in time" in response.json()["errors"]["checked_out_at"][0]
    assert CheckIn.objects.get(pk=checkin_id).checked_out_at is None


def test_token_command_lists_hotels_code_first_and_rotates(client, hotel_a, hotel_b):
    out = StringIO()
    call_command("hoteleye_token", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split("\t")[0] for line in lines] == ["HA", "HB"]
    out = StringIO()
    call_command("hoteleye_token", "ha", stdout=out)
    key = out.getvalue().strip()
    assert len(key) >= 40
    assert client.post(CREATE, guest_data(checked_in_at=_iso()), **_auth(key)).status_code == 201
    call_command("hoteleye_token", "HA", stdout=StringIO())
    assert (
        client.post(CREATE, guest_data(checked_in_at=_iso(), cnic="35202-9999999-1"), **_auth(key)).status_code == 401
    )
    with pytest.raises(CommandError, match="No hotel with code"):
        call_command("hoteleye_token", "NOPE", stdout=StringIO())


def test_only_a_hash_of_the_key_is_stored(hotel_a, key_a):
    token = ApiToken.objects.get(hotel=hotel_a)
    assert key_a not in (token.key_hash, token.prefix) and len(token.key_hash) == 64
