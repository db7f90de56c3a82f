"""On a 390 px phone (Urdu above all), list pages never scroll sideways: wide tables scroll in their own box."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from casp import audit
from casp.roles import Role
from stations.registers import BY_CODE
from stations.services import register_entry_add
from tests.complaints.factories import filed
from tests.conftest import PASSWORD
from tests.factories import HotelFactory, cro_record, hotel_staff_user, posted_user
from tests.fir.factories import fir_data
from tests.hoteleye.conftest import make_checkin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LONG = "ایک بہت لمبا پتہ جو کئی الفاظ پر مشتمل ہے " * 3


@pytest.fixture
def people(station_a, district_a, roles):
    from fir.catalogue import sections_seed
    from fir.models import Section
    from fir.services import fir_register

    sections_seed(Section)
    # Transactional tests empty the tables the data migrations seeded.
    importlib.import_module("complaints.migrations.0002_seed_categories").seed(django_apps, None)
    sho = posted_user(Role.SHO, station=station_a, username="wide_sho")
    cro = posted_user(Role.CRO_OFFICER, district=district_a, username="wide_cro")
    hotel = HotelFactory(station=station_a, code="HW", name="Wide Inn")
    staff = hotel_staff_user(hotel, username="wide_staff")
    fir_register(station=station_a, acting_user=sho, data=fir_data(place=LONG, complainant_name="Muhammad Aslam Khan"))
    register_entry_add(
        station=station_a,
        register=BY_CODE["xi"],
        acting_user=sho,
        data={"name": "Muhammad Aslam Khan", "reason": LONG, "address": LONG},
    )
    filed(station_a, incident_place=LONG)
    make_checkin(hotel, address=LONG, checked_in_at=timezone.now())
    cro_record(name="Muhammad Aslam Khan", father_name="Abdul Ghani Khan", cnic="35202-1234567-1")
    audit.record(actor=sho, action="stations.register_xi.entry_added", station_id=station_a.pk, data={"note": LONG})
    return {"sho": sho, "cro": cro, "staff": staff}


PAGES = {
    "sho": [
        "/fir/",
        "/stations/PS-A/registers/",
        "/stations/PS-A/registers/xi/",
        "/stations/PS-A/dashboard/",
        "/complaints/",
        "/hoteleye/alerts/",
        "/stations/audit-log/",
    ],
    "cro": ["/cro/", "/cro/search-log/"],
    "staff": ["/hoteleye/", "/hoteleye/guests/"],
}


def _sign_in(page, base, user, language):
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["ur", "en"])
@pytest.mark.parametrize("width", [390, 1366])
def test_list_pages_do_not_scroll_sideways(page, live_server, people, width, language):
    page.set_viewport_size({"width": width, "height": 844})
    too_wide = {}
    for who, urls in PAGES.items():
        _sign_in(page, live_server.url, people[who], language)
        for url in urls:
            response = page.goto(f"{live_server.url}{url}")
            assert response.status == 200, url
            assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ur" else "ltr")
            scroll, view = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if scroll > view:
                too_wide[url] = scroll
            if width == 390 and language == "ur":
                page.screenshot(path=f"/tmp/casp-390-{url.strip('/').replace('/', '-') or 'home'}.png", full_page=True)
    assert too_wide == {}
