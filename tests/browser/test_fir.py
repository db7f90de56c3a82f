import datetime as dt

import pytest
from django.utils import timezone

from fir.catalogue import sections_seed
from fir.models import Fir, Section
from stations.models import DiaryEntry, DiaryKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_the_report(page, *, facts: str) -> None:
    occurred = (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    page.fill("#id_occurred_from", occurred)
    page.fill("#id_place", "Sabzi mandi")
    page.fill("#id_complainant_name", "Razia Bibi")
    page.fill("#id_sections", "392 PPC")
    page.fill("#id_facts", facts)


def test_clerk_registers_an_fir_in_the_browser_and_sees_it_in_the_diary(signed_in_page, live_server, station_a):
    sections_seed(Section)
    page = signed_in_page
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/fir/new/{station_a.code}/")
    _fill_the_report(page, facts="میرا پرس چھین لیا گیا۔")
    page.fill("#id_accused-0-name", "Kaloo")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/fir/*/")
    fir = Fir.objects.get()
    assert f"{fir.number}/{fir.year}" in page.inner_text("h1")
    assert DiaryEntry.objects.filter(kind=DiaryKind.FIR_REGISTERED).exists()
    page.goto(f"{live_server.url}/stations/{station_a.code}/dashboard/")
    assert "FIR No. 1/" in page.inner_text("#today-diary")
    assert errors == []  # no CSP violations or script errors


@pytest.mark.parametrize(("lang", "width"), [("en", 1366), ("ur", 390)])
def test_clerk_adds_a_fourth_and_fifth_accused_and_saves(signed_in_page, live_server, station_a, lang, width):
    sections_seed(Section)
    page = signed_in_page
    page.set_viewport_size({"width": width, "height": 900})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    if lang == "ur":
        with page.expect_navigation():
            page.select_option("#language-select", "ur")
    # The home page offers the clerk the form directly.
    page.click(f"a[href='/fir/new/{station_a.code}/']")
    page.wait_for_url(f"{live_server.url}/fir/new/{station_a.code}/")
    _fill_the_report(page, facts="Five men robbed the shop.")
    for i, name in enumerate(["Kaloo", "Jeeda", "Mooda"]):
        page.fill(f"#id_accused-{i}-name", name)
    page.click("button[data-add-accused]")
    page.click("button[data-add-accused]")
    assert page.url.endswith(f"/fir/new/{station_a.code}/")  # added in place, nothing submitted
    page.fill("#id_accused-3-name", "Bhola")
    page.fill("#id_accused-4-name", "Shera")
    assert page.input_value("#id_accused-TOTAL_FORMS") == "5"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.click("#fir-register-submit")
    page.wait_for_url(f"{live_server.url}/fir/*/")
    fir = Fir.objects.get()
    assert list(fir.accused.order_by("id").values_list("name", flat=True)) == [
        "Kaloo",
        "Jeeda",
        "Mooda",
        "Bhola",
        "Shera",
    ]
    assert "Shera" in page.inner_text("main")
    assert errors == []
