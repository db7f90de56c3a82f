"""A citizen types the CNIC and mobile number with an Urdu keyboard, in English and in Urdu, on a phone and
on a desktop; filing again shows the similar-complaint warning, which names no kind and no date."""

import importlib

import pytest
from django.apps import apps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def categories(db):
    importlib.import_module("complaints.migrations.0002_seed_categories").seed(apps, None)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each case files twice from 127.0.0.1; start every case with empty rate-limit counters."""
    from django.core.cache import caches

    caches["default"].clear()
    yield
    caches["default"].clear()


def _fill(page, station):
    page.fill("#id_name", "Ayesha Khan")
    page.fill("#id_cnic", "۳۵۲۰۲-۱۲۳۴۵۶۷-۲")
    page.fill("#id_phone", "۰۳۰۰-۱۲۳۴۵۶۷")
    page.fill("#id_address", "House 1, Street 2")
    page.select_option("#id_district", str(station.district_id))
    page.select_option("#id_station", str(station.pk))
    page.select_option("#id_category", index=1)
    page.fill("#id_incident_place", "Blue Area")
    page.fill("#id_incident_at", "2026-01-10T14:30")
    page.fill("#id_description", "My motorcycle was stolen outside the market.")
    with page.expect_navigation():
        page.click("button[type=submit]")


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("lang", ["en", "ur"])
def test_urdu_digits_file_a_complaint_and_the_repeat_warning_reveals_nothing(
    page, live_server, station_a, categories, width, lang
):
    from complaints.models import Complaint

    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/complaints/new/")
    _fill(page, station_a)
    complaint = Complaint.objects.get()
    assert complaint.cnic == "3520212345672" and complaint.phone == "03001234567"
    assert complaint.tracking_number in page.inner_text(".tracking-number")

    page.goto(f"{live_server.url}/complaints/new/")
    _fill(page, station_a)
    assert Complaint.objects.count() == 1
    warning = page.inner_text("main")
    expected = (
        "already filed a complaint about this matter" if lang == "en" else "اس معاملے کی شکایت پہلے درج کر چکے ہیں"
    )
    assert expected in warning
    assert complaint.created_at.strftime("%d-%m-%Y") not in warning
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(("lang", "width"), [("en", 1366), ("ur", 390), ("ur", 1366), ("en", 390)])
def test_fir_number_and_year_typed_with_an_urdu_keyboard_find_the_fir(
    signed_in_page, live_server, station_a, officer_a, lang, width
):
    """Typed key by key, as a person does: an <input type="number"> would drop the Urdu digits and list every FIR."""
    from fir.catalogue import sections_seed
    from fir.models import Section
    from tests.fir.factories import register

    sections_seed(Section)
    register(station_a, officer_a)
    second = register(station_a, officer_a, complainant_name="Razia Bibi")
    page = signed_in_page
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/fir/")
    urdu = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    page.click("#id_number")
    page.keyboard.type(str(second.number).translate(urdu))
    page.click("#id_year")
    page.keyboard.type(str(second.year).translate(urdu))
    assert page.input_value("#id_number") == str(second.number).translate(urdu)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    rows = page.locator("#fir-list tbody tr")
    assert rows.count() == 1
    assert f"{second.number}/{second.year}" in rows.first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
