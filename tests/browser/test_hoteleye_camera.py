import time

import pytest

from hoteleye.models import CheckIn
from tests.conftest import CHROMIUM, PASSWORD
from tests.factories import HotelFactory, hotel_staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _wait(page, expression, timeout=10.0):
    """Poll ``expression`` in the page (wait_for_function would need 'unsafe-eval', which CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        time.sleep(0.1)


def test_staff_take_the_guest_photo_with_the_camera(
    browser_type_launch_args, playwright, live_server, station_a, roles
):
    # A browser of its own, with Chromium's fake camera (a generated test pattern) allowed without a prompt.
    args = [*browser_type_launch_args["args"], "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
    try:
        hotel = HotelFactory(station=station_a)
        staff = hotel_staff_user(hotel, username="camera_staff")
        page = browser.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", staff.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/**")
        page.goto(f"{live_server.url}/hoteleye/guests/new/")
        assert page.is_hidden("#id_passport_number")  # a Pakistani guest is the default: CNIC only
        page.click("#camera-start")
        _wait(page, "document.getElementById('camera-video').videoWidth > 0")
        page.click("#camera-shoot")
        _wait(page, "document.getElementById('id_photo').files.length === 1")
        page.fill("#id_cnic", "35202-1234567-1")
        page.fill("#id_name", "Camera Guest")
        page.select_option("#id_gender", "male")
        page.fill("#id_room", "7")
        with page.expect_navigation():
            page.click("#checkin-form button[type=submit]")
        checkin = CheckIn.objects.get(name="Camera Guest")
        assert checkin.photo and checkin.photo.name.endswith(".jpg")
        assert page.locator("img[alt='Guest photo']").evaluate("img => img.naturalWidth") > 0
    finally:
        browser.close()
