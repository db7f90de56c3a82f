"""The counter flow in the real browser (token by htmx, call next, application with a photo), and the
citizen's tracking page in Urdu on a phone-sized screen."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from PIL import Image

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue(db):
    # Transactional tests flush the database, seed migration data included: seed it again.
    from khidmat.catalogue import services_seed

    services_seed(apps.get_model("khidmat", "ServiceType"), apps.get_model("khidmat", "ServiceDocument"))


@pytest.fixture
def counter_clerk(district_a, roles, catalogue):
    from khidmat.models import KhidmatCentre
    from tests.khidmat.conftest import centre_user

    centre = KhidmatCentre.objects.create(code="KHM-A", name="Centre Alpha", name_ur="مرکز الفا",
                                          district=district_a, address="A", counters=3)  # fmt: skip
    return centre_user(centre, username="counter_clerk")


def _photo(tmp_path):
    path = tmp_path / "face.jpg"
    buf = io.BytesIO()
    Image.new("RGB", (120, 160), "white").save(buf, format="JPEG")
    path.write_bytes(buf.getvalue())
    return str(path)


def test_counter_takes_a_token_calls_it_and_files_a_character_certificate(
    page, live_server, counter_clerk, station_a, station_b, tmp_path
):
    from khidmat.models import Application, Token

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", counter_clerk.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/khidmat/centre/KHM-A/")
    page.evaluate("window.__noReload = true")
    page.select_option("#id_service", label="Character certificate")
    page.click("#take-token")
    page.wait_for_selector("#token-slip")
    assert "001" in page.inner_text("#token-slip")
    page.click("#call-next")
    page.wait_for_selector("#called")
    assert "001" in page.inner_text("#called")
    assert page.evaluate("window.__noReload === true")  # htmx swapped the queue; the page was not reloaded
    with page.expect_navigation():
        page.click("#start-application")
    page.fill("#id_applicant_cnic", "35202-1234567-1")
    page.fill("#id_applicant_name", "Ali Raza")
    page.fill("#id_applicant_phone", "0300-1234567")
    page.fill("#id_subject_father_name", "Raza Khan")
    page.fill("#id_subject_dob", "1990-05-01")
    page.fill("#id_present_address", "House 1")
    page.select_option("#id_present_station", str(station_a.pk))
    page.fill("#id_permanent_address", "Village 3")
    page.select_option("#id_permanent_station", str(station_b.pk))
    assert page.locator("#camera-start").is_visible()  # static/js/camera.js offers the counter camera
    for box in page.locator("input[name=documents]").all():
        box.check()
    page.set_input_files("#id_photo", _photo(tmp_path))
    with page.expect_navigation():
        page.click("#submit-application")
    application = Application.objects.get()
    assert application.tracking_number in page.inner_text("h1")
    assert Token.objects.get().status == "done"
    assert page.locator("#receipt-ur").is_visible()
    response = page.request.get(live_server.url + page.locator("#receipt-ur").get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"


def test_citizen_tracks_an_application_in_urdu_on_a_phone(page, live_server, counter_clerk, station_a):
    from khidmat.models import CentreStaff, ServiceType
    from khidmat.services import ApplicationData, application_create

    centre = CentreStaff.objects.get(user=counter_clerk).centre
    service = ServiceType.objects.get(code="loss-report")
    application = application_create(
        centre=centre, acting_user=counter_clerk,
        data=ApplicationData(
            service=service, applicant_cnic="3520212345671", applicant_name="Ali Raza", applicant_phone="03001234567",
            fee=0, documents=list(service.documents.all()), details="Lost wallet",
        ),
    )  # fmt: skip
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/khidmat/track/")
    with page.expect_navigation():
        page.select_option("#language-select", "ur")
    assert page.locator("html").get_attribute("dir") == "rtl"
    # A wrong phone gets the same answer as an unknown number.
    page.fill("#id_tracking_number", application.tracking_number)
    page.fill("#id_phone", "0300-7654321")
    with page.expect_navigation():
        page.click("#track-form button[type=submit]")
    wrong = page.inner_text("#track-form .alert")
    page.fill("#id_tracking_number", "ABCD-EFGH-JKMN")
    with page.expect_navigation():
        page.click("#track-form button[type=submit]")
    assert page.inner_text("#track-form .alert") == wrong
    page.fill("#id_tracking_number", application.tracking_number.lower())
    page.fill("#id_phone", "۰۳۰۰۱۲۳۴۵۶۷")
    with page.expect_navigation():
        page.click("#track-form button[type=submit]")
    assert page.locator("#tracked").is_visible()
    assert page.inner_text("#status") == "جاری کر دیا گیا"
    number = page.locator("bdi", has_text=application.tracking_number)
    assert number.get_attribute("dir") == "ltr"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    response = page.request.get(live_server.url + page.locator("#download-ur").get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
