"""A citizen files a complaint on a phone-sized screen in the real browser (no login)."""

import importlib

import pytest
from django.apps import apps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def categories(db):
    # Transactional tests flush the database, seed migration data included: seed it again.
    importlib.import_module("complaints.migrations.0002_seed_categories").seed(apps, None)


def test_citizen_files_a_complaint_on_a_phone(page, live_server, station_a, station_b, categories):
    from complaints.models import Complaint

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/complaints/new/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.fill("#id_name", "Ayesha Khan")
    page.fill("#id_cnic", "35202-1234567-2")
    page.fill("#id_phone", "0300-1234567")
    page.fill("#id_address", "House 1, Street 2")
    page.select_option("#id_district", str(station_a.district_id))
    # The station list shows the chosen district's stations only (static/js/complaints.js).
    assert page.locator(f"#id_station option[value='{station_b.pk}']").is_hidden()
    page.select_option("#id_station", str(station_a.pk))
    page.select_option("#id_category", label="Crime report")
    page.fill("#id_incident_place", "Blue Area")
    page.fill("#id_incident_at", "2026-01-10T14:30")
    page.fill("#id_description", "My motorcycle was stolen outside the market.")
    with page.expect_navigation():
        page.click("button[type=submit]")
    complaint = Complaint.objects.get()
    assert complaint.tracking_number in page.inner_text(".tracking-number")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(("lang", "width"), [("ur", 390), ("en", 1366)])
def test_station_list_follows_the_chosen_district(page, live_server, station_a, station_b, categories, lang, width):
    from tests.factories import PoliceStationFactory

    second_a = PoliceStationFactory(district=station_a.district, name="Alpha Two")
    page.set_viewport_size({"width": width, "height": 844})
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page.goto(f"{live_server.url}/complaints/new/")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("label[for=id_station] .asteriskField").count() == 1

    def offered() -> set[str]:
        return set(page.eval_on_selector_all("#id_station option[value]:not([value=''])", "os => os.map(o => o.value)"))

    page.select_option("#id_district", str(station_b.district_id))
    assert offered() == {str(station_b.pk)}
    page.select_option("#id_district", str(station_a.district_id))
    assert offered() == {str(station_a.pk), str(second_a.pk)}
    page.select_option("#id_station", str(second_a.pk))
    page.select_option("#id_district", str(station_b.district_id))
    assert page.input_value("#id_station") == ""  # a station of the other district does not stay chosen
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
