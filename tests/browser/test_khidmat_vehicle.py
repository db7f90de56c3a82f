"""The counter's vehicle verification by chassis number, in English and Urdu at desktop and phone width: the clerk
gets the neutral answer, the theft FIR's station gets the alert."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWS = [("en", 1366), ("en", 390), ("ur", 1366), ("ur", 390)]
NEUTRAL = {"en": "The vehicle's verification has been referred to the police."}


@pytest.fixture
def counter(district_a, station_a, colleague_a, roles):
    """A centre with a clerk, and a motorcycle on the stolen list (theft FIR at station A)."""
    from fir.catalogue import sections_seed
    from fir.models import Section
    from fir.vehicles import stolen_vehicle_add
    from khidmat.models import KhidmatCentre
    from tests.fir.factories import register
    from tests.khidmat.conftest import centre_user
    from tests.khidmat.test_counter_registrations import MOTORCYCLE

    sections_seed(Section)
    fir = register(station_a, colleague_a, sections="381-A PPC", facts="Motorcycle stolen.")
    stolen_vehicle_add(fir=fir, acting_user=colleague_a, data=MOTORCYCLE)
    centre = KhidmatCentre.objects.create(code="KHM-A", name="Centre Alpha", name_ur="مرکز الفا",
                                          district=district_a, address="A", counters=3)  # fmt: skip
    return centre_user(centre, username="vehicle_clerk"), fir


@pytest.mark.parametrize(("lang", "width"), VIEWS)
def test_counter_vehicle_check_by_chassis_number(page, live_server, counter, lang, width):
    from alerts.models import Alert
    from khidmat.models import Application

    clerk, fir = counter
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", clerk.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page.goto(f"{live_server.url}/khidmat/centre/KHM-A/new/vehicle-verification/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ur" else "ltr")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.fill("#id_applicant_cnic", "35202-1234567-1")
    page.fill("#id_applicant_name", "Ali Raza")
    page.fill("#id_applicant_phone", "03001234567")
    for box in page.locator("input[name=documents]").all():
        box.check()
    # A number that normalises to nothing is refused, naming the field; the clerk's input is kept.
    page.fill("#id_chassis_number", "- - -")
    page.click("#submit-application")
    page.wait_for_selector("#id_chassis_number.is-invalid")
    assert page.input_value("#id_applicant_name") == "Ali Raza"
    assert Application.objects.count() == 0
    page.fill("#id_chassis_number", "cd70 abc 123456")
    for box in page.locator("input[name=documents]").all():
        box.check()
    page.click("#submit-application")
    page.wait_for_selector("#vehicle-answer")
    answer = page.inner_text("#vehicle-answer")
    if lang in NEUTRAL:
        assert answer == NEUTRAL[lang] and "stolen" not in page.content().lower()
    else:
        assert any("\u0600" <= ch <= "\u06ff" for ch in answer)
    assert f"{fir.number}/{fir.year}" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    alert = Alert.objects.get()
    assert alert.station_id == fir.station_id and alert.fir_id == fir.pk and alert.source_kind == "vehicle_check"
