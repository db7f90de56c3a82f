"""Hotel staff have their own home and menu: they land on their hotel's guests, never on "no active posting"
or a Stations page; the guest list's CNICs and times read on one line each, in Urdu on a phone too."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.factories import HotelFactory, hotel_staff_user
from tests.hoteleye.conftest import make_checkin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every line box of each left-to-right value of the table (a CNIC, a room, a time): one rectangle is one line.
LINES_PER_VALUE = """() => [...document.querySelectorAll('main table .ltr')].map(e => {
  const range = document.createRange(); range.selectNodeContents(e);
  const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
  return [e.textContent.trim(), tops.size];
})"""


@pytest.mark.parametrize(("lang", "width"), [("en", 1366), ("ur", 390), ("en", 390), ("ur", 1366)])
def test_hotel_staff_land_on_their_guests_with_their_own_menu(page, live_server, station_a, roles, lang, width):
    hotel = HotelFactory(station=station_a, code="HS1", name="Margalla View")
    staff = hotel_staff_user(hotel, username="front_desk")
    make_checkin(hotel, cnic="6110176543213", name="Ch. Aslam Gujjar", father_name="Ghulam Nabi")
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", staff.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/hoteleye/")
    body = page.inner_text("body")
    assert "Margalla View" in body
    for absent in ("no active posting", "No station is in your jurisdiction", "موجودہ تعیناتی", "کوئی تھانہ نہیں"):
        assert absent not in body
    nav = [a.get_attribute("href") for a in page.locator("nav a").all()]
    assert not [href for href in nav if href and href.startswith("/stations")], nav
    lines = page.evaluate(LINES_PER_VALUE)
    assert ["61101-7654321-3", 1] in [[text.replace("\u2066", "").replace("\u2069", ""), n] for text, n in lines]
    assert [value for value in lines if value[1] != 1] == []  # no CNIC or time broken at its dashes
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
