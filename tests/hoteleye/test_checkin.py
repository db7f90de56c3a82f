import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casp.models import AuditEvent
from hoteleye.models import CheckIn, Companion, HotelStaff, NadraStatus
from hoteleye.services import checkin_checkout, checkin_create
from tests.hoteleye.conftest import form_body, guest_data, png_upload

NEW = reverse("hoteleye:checkin_new")


def _errors(response):
    return response.context["form"].errors


def test_staff_saves_a_pakistani_guest_with_companions_including_a_minor(staff_client, hotel_a, staff_a):
    body = form_body()
    body.update(
        {
            "companions-TOTAL_FORMS": "2",
            "companions-0-guest_type": "pakistani",
            "companions-0-cnic": "35202-7654321-2",
            "companions-0-name": "Sara Ali",
            "companions-0-gender": "female",
            "companions-1-guest_type": "pakistani",
            "companions-1-name": "Omar Ali",
            "companions-1-gender": "male",
            "companions-1-is_minor": "on",
            "companions-1-relation": "son",
        }
    )
    response = staff_client.post(NEW, body)
    checkin = CheckIn.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("hoteleye:checkin_detail", args=[checkin.pk])
    assert checkin.hotel == hotel_a and checkin.entered_by == staff_a
    assert str(checkin.cnic) == "3520212345671" and checkin.room == "101" and not checkin.is_late
    assert checkin.nadra_status == NadraStatus.NOT_VERIFIED
    companions = list(checkin.companions.order_by("id"))
    assert [c.name for c in companions] == ["Sara Ali", "Omar Ali"]
    assert companions[1].is_minor and companions[1].relation == "son" and companions[1].cnic is None
    assert AuditEvent.objects.filter(action="hoteleye.checkin_created", target_id=str(checkin.pk)).exists()
    page = staff_client.get(response["Location"]).content.decode()
    assert "Not verified" in page and "Omar Ali" in page


def test_staff_saves_a_foreign_guest_with_passport_nationality_and_visa(staff_client):
    body = form_body(
        guest_type="foreigner", cnic="", passport_number="ab 123456", nationality="China", visa_number="V1"
    )
    assert staff_client.post(NEW, body).status_code == 302
    checkin = CheckIn.objects.get()
    assert checkin.cnic is None and checkin.passport_number == "AB123456" and checkin.nationality == "China"
    assert checkin.nadra_status == NadraStatus.NOT_APPLICABLE


def test_malformed_cnic_is_refused_naming_the_field(staff_client):
    response = staff_client.post(NEW, form_body(cnic="12345-678"))
    assert response.status_code == 200
    assert "A CNIC has 13 digits; 8 were entered" in " ".join(_errors(response)["cnic"])
    assert CheckIn.objects.count() == 0


def test_pakistani_guest_without_cnic_is_refused(staff_client):
    response = staff_client.post(NEW, form_body(cnic=""))
    assert "needs a CNIC" in " ".join(_errors(response)["cnic"])
    assert CheckIn.objects.count() == 0


def test_passport_without_nationality_is_refused(staff_client):
    response = staff_client.post(NEW, form_body(guest_type="foreigner", cnic="", passport_number="X1234567"))
    assert "nationality" in " ".join(_errors(response)["nationality"]).lower()
    assert CheckIn.objects.count() == 0


def test_minor_companion_without_relation_is_refused_and_nothing_is_saved(staff_client):
    body = form_body()
    body.update(
        {
            "companions-TOTAL_FORMS": "1",
            "companions-0-guest_type": "pakistani",
            "companions-0-name": "Omar Ali",
            "companions-0-gender": "male",
            "companions-0-is_minor": "on",
        }
    )
    response = staff_client.post(NEW, body)
    assert response.status_code == 200
    assert "relation" in " ".join(response.context["formset"].forms[0].errors["relation"])
    assert CheckIn.objects.count() == 0 and Companion.objects.count() == 0


def test_second_open_check_in_of_the_same_guest_at_the_same_hotel_is_refused(staff_client, hotel_a):
    assert staff_client.post(NEW, form_body()).status_code == 302
    response = staff_client.post(NEW, form_body(room="202", name="Ali R."))
    assert response.status_code == 200
    assert "already has an open check-in at this hotel" in " ".join(_errors(response)["cnic"])
    assert CheckIn.objects.count() == 1


def test_same_passport_twice_open_is_refused_but_allowed_after_checkout(hotel_a, staff_a):
    data = {**guest_data(guest_type="foreigner", cnic=None, passport_number="P1", nationality="China")}
    data["checked_in_at"] = timezone.now() - timezone.timedelta(hours=2)
    first = checkin_create(hotel=hotel_a, acting_user=staff_a, data=data)
    with pytest.raises(Exception, match="passport already has an open check-in"):
        checkin_create(hotel=hotel_a, acting_user=staff_a, data=data)
    checkin_checkout(checkin=first, acting_user=staff_a)
    checkin_create(hotel=hotel_a, acting_user=staff_a, data=data)
    assert CheckIn.objects.count() == 2


def test_the_database_refuses_a_second_open_check_in_even_without_the_service(hotel_a):
    now = timezone.now()
    CheckIn.objects.create(
        hotel=hotel_a,
        guest_type="pakistani",
        cnic="3520212345671",
        name="A",
        gender="male",
        room="1",
        checked_in_at=now,
    )
    with pytest.raises(IntegrityError, match="hoteleye_checkin_one_open_per_cnic"):
        CheckIn.objects.create(
            hotel=hotel_a,
            guest_type="pakistani",
            cnic="3520212345671",
            name="A",
            gender="male",
            room="2",
            checked_in_at=now,
        )


def test_a_non_image_photo_is_refused(staff_client):
    body = form_body(photo=SimpleUploadedFile("photo.jpg", b"not an image at all" * 20, content_type="image/jpeg"))
    response = staff_client.post(NEW, body)
    assert "not a JPEG, PNG or WebP image" in " ".join(_errors(response)["photo"])
    assert CheckIn.objects.count() == 0


def test_an_oversized_photo_is_refused(staff_client):
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024 + 1), content_type="image/jpeg")
    response = staff_client.post(NEW, form_body(photo=big))
    assert "the limit is 10 MB" in " ".join(_errors(response)["photo"])
    assert CheckIn.objects.count() == 0


def test_a_check_in_time_in_the_future_is_refused(staff_client):
    later = (timezone.localtime() + timezone.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = staff_client.post(NEW, form_body(checked_in_at=later))
    assert "in the future" in " ".join(_errors(response)["checked_in_at"])


def test_photo_is_stored_privately_and_served_only_to_its_hotel(staff_client, staff_b, client, officer_a, officer_b):
    assert staff_client.post(NEW, form_body(photo=png_upload())).status_code == 302
    checkin = CheckIn.objects.get()
    path = checkin.photo.path
    assert path.startswith(str(settings.MEDIA_ROOT)) and "hoteleye/photos/" in path
    assert len(path.rsplit("/", 1)[1]) > 40  # not guessable
    url = reverse("hoteleye:checkin_photo", args=[checkin.pk])
    assert staff_client.get(url).status_code == 200
    client.force_login(staff_b)
    assert client.get(url).status_code == 404
    client.force_login(officer_b)
    assert client.get(url).status_code == 404
    client.force_login(officer_a)
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(action="hoteleye.photo_viewed", actor=officer_a).exists()


def test_entry_more_than_three_hours_after_check_in_is_flagged_late(staff_client, client, officer_a, hotel_a):
    early = (timezone.localtime() - timezone.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M")
    staff_client.post(NEW, form_body(checked_in_at=early))
    staff_client.post(NEW, form_body(cnic="35202-1111111-1", name="On Time"))
    assert list(CheckIn.objects.order_by("id").values_list("is_late", flat=True)) == [True, False]
    client.force_login(officer_a)
    page = client.get(reverse("hoteleye:hotel_detail", args=[hotel_a.code]) + "?late=1").content.decode()
    assert "Ali Raza" in page and "On Time" not in page


def test_check_out_records_the_time_and_refuses_a_time_before_check_in(staff_client):
    staff_client.post(NEW, form_body())
    checkin = CheckIn.objects.get()
    url = reverse("hoteleye:checkin_checkout", args=[checkin.pk])
    before = (timezone.localtime(checkin.checked_in_at) - timezone.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = staff_client.post(url, {"checked_out_at": before})
    assert response.status_code == 400
    assert "before the check-in time" in " ".join(response.context["checkout_form"].errors["checked_out_at"])
    checkin.refresh_from_db()
    assert checkin.checked_out_at is None
    assert staff_client.post(url, {}).status_code == 302
    checkin.refresh_from_db()
    assert checkin.checked_out_at is not None
    again = staff_client.post(url, {})
    assert "already checked out" in again.content.decode()


def test_staff_of_another_hotel_gets_404_on_a_check_in(staff_client, client, staff_b):
    staff_client.post(NEW, form_body())
    checkin = CheckIn.objects.get()
    client.force_login(staff_b)
    assert client.get(reverse("hoteleye:checkin_detail", args=[checkin.pk])).status_code == 404
    assert client.post(reverse("hoteleye:checkin_checkout", args=[checkin.pk])).status_code == 404


def test_officers_cannot_use_the_staff_pages(client, officer_a):
    client.force_login(officer_a)
    assert client.get(NEW).status_code == 403


def test_occupancy_and_history_search(staff_client):
    staff_client.post(NEW, form_body())
    staff_client.post(NEW, form_body(cnic="35202-2222222-2", name="Bibi Zainab", gender="female", room="305"))
    first = CheckIn.objects.get(name="Ali Raza")
    staff_client.post(reverse("hoteleye:checkin_checkout", args=[first.pk]), {})
    occupancy = staff_client.get(reverse("hoteleye:occupancy")).content.decode()
    assert "Bibi Zainab" in occupancy and "Ali Raza" not in occupancy
    history = reverse("hoteleye:history")
    assert "Ali Raza" in staff_client.get(history, {"q": "35202-1234567-1"}).content.decode()
    assert "Ali Raza" not in staff_client.get(history, {"q": "305"}).content.decode()
    assert "Bibi Zainab" in staff_client.get(history, {"q": "zainab"}).content.decode()


def test_history_page_query_count_does_not_grow_with_rows(staff_client, hotel_a, staff_a):
    def add(n):
        for i in range(n):
            data = guest_data(cnic=f"35202{i:07d}{n % 10}", name=f"Guest {n}-{i}")
            data["checked_in_at"] = timezone.now() - timezone.timedelta(hours=1)
            checkin = checkin_create(
                hotel=hotel_a,
                acting_user=staff_a,
                data=data,
                companions=[
                    {"guest_type": "pakistani", "name": "C", "gender": "male", "is_minor": True, "relation": "son"}
                ],
            )
            assert checkin.pk

    url = reverse("hoteleye:history")
    add(2)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url)
    add(9)
    with CaptureQueriesContext(connection) as many:
        assert "Guest 9-8" in staff_client.get(url).content.decode()
    assert len(many) == len(few)


def test_a_user_is_staff_of_at_most_one_hotel(hotel_a, hotel_b, staff_a):
    with pytest.raises(IntegrityError):
        HotelStaff.objects.create(user=staff_a, hotel=hotel_b)


def test_check_in_form_page_has_camera_capture_and_no_inline_script(staff_client):
    page = staff_client.get(NEW).content.decode()
    assert 'id="camera-start"' in page and "js/hoteleye.js" in page
    assert "<script>" not in page and " style=" not in page


@pytest.mark.parametrize(
    ("lang", "help_text"),
    [
        ("en", "Leave empty to record the check-out at the present time."),
        ("ur", "ابھی کے وقت پر چیک آؤٹ درج کرنے کے لیے خالی چھوڑ دیں۔"),
    ],
)
def test_check_out_help_says_what_an_empty_time_records_and_it_does(staff_client, lang, help_text):
    staff_client.post(NEW, form_body())
    checkin = CheckIn.objects.get()
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    page = staff_client.get(reverse("hoteleye:checkin_detail", args=[checkin.pk])).content.decode()
    assert help_text in page and "for now" not in page
    before = timezone.now()
    staff_client.post(reverse("hoteleye:checkin_checkout", args=[checkin.pk]), {})
    checkin.refresh_from_db()
    assert before - timezone.timedelta(minutes=1) <= checkin.checked_out_at <= timezone.now()
