"""The hotspot map and the FIR point picker draw with no network: every request off this machine is blocked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from fir.catalogue import sections_seed
from fir.models import Section
from tests.analytics.factories import firs_bulk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _offline(page) -> list[str]:
    """Abort every request that is not to the live server on the loopback; return the list of those tried."""
    tried: list[str] = []

    def handle(route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost", "::1"):
            route.continue_()
        else:
            tried.append(route.request.url)
            route.abort()

    page.route("**/*", handle)
    return tried


@pytest.mark.parametrize(("lang", "width"), [("en", 1366), ("ur", 390)])
def test_hotspot_map_renders_points_and_the_not_mapped_count_offline(
    signed_in_page, live_server, station_a, officer_a, lang, width
):
    sections_seed(Section)
    station_a.latitude, station_a.longitude = Decimal("33.7077"), Decimal("73.0498")
    station_a.save()
    start = timezone.now() - dt.timedelta(days=20)
    rows = [(start + dt.timedelta(days=i % 15), 33.70 + 0.001 * (i % 7), 73.05 + 0.001 * (i // 7)) for i in range(21)]
    firs_bulk(station_a, officer_a, rows + [(start, None, None)] * 2)
    page = signed_in_page
    tried = _offline(page)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": width, "height": 900})
    if lang == "ur":
        with page.expect_navigation():
            page.select_option("#language-select", "ur")
    page.goto(f"{live_server.url}/analytics/map/station/{station_a.code}/")
    page.wait_for_selector("#hotspot-map[data-ready='1']")
    assert page.locator("#hotspot-map path.casp-point").count() == 21
    assert page.locator("#hotspot-map path.casp-station").count() == 1
    assert page.locator("#hotspot-map path.casp-cell").count() >= 1
    assert page.locator("#hotspot-map img.leaflet-tile").count() == 0  # no tiles by default
    assert page.inner_text("#count-not-mapped") == "2"
    assert page.inner_text("#count-mapped") == "21"
    note = page.inner_text("#not-mapped-note")
    assert ("2 incidents are not mapped" in note) if lang == "en" else ("واقعات نقشے پر درج نہیں" in note)
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ur" else "ltr")
    box = page.locator("#hotspot-map").bounding_box()
    assert box["width"] <= width and box["height"] > 200
    page.locator("#hotspot-map .leaflet-control-zoom-in").click()  # zoom works
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert tried == [] and errors == []


def test_point_picker_fills_the_inputs_offline(signed_in_page, live_server, station_a):
    sections_seed(Section)
    station_a.latitude, station_a.longitude = Decimal("24.8607"), Decimal("67.0011")
    station_a.save()
    page = signed_in_page
    tried = _offline(page)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/fir/new/{station_a.code}/")
    page.wait_for_selector(".casp-map-picker[data-ready='1']")
    assert page.locator("#id_latitude").get_attribute("type") == "number"
    page.locator(".casp-map-picker").click(position={"x": 120, "y": 100})
    lat, lon = float(page.input_value("#id_latitude")), float(page.input_value("#id_longitude"))
    assert 23.5 < lat < 37.2 and 60.8 < lon < 77.9
    assert abs(lat - 24.86) < 0.5 and abs(lon - 67.0) < 0.5  # near the station the map opened on
    assert page.locator(".casp-map-picker path.casp-picked").count() == 1
    page.fill("#id_latitude", "24.9")
    page.locator("#id_latitude").dispatch_event("change")
    assert tried == [] and errors == []


@pytest.mark.parametrize(("lang", "width"), [("en", 1366), ("ur", 390)])
def test_trends_and_near_repeat_pages_read_in_both_languages(
    signed_in_page, live_server, station_a, officer_a, lang, width
):
    sections_seed(Section)
    now = timezone.now()
    rows = [(now - dt.timedelta(days=3 + 5 * i), 33.70 + 0.002 * (i % 4), 73.05 + 0.002 * (i // 4)) for i in range(20)]
    firs_bulk(station_a, officer_a, rows, section="457", registered=True)
    page = signed_in_page
    tried = _offline(page)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": width, "height": 900})
    if lang == "ur":
        with page.expect_navigation():
            page.select_option("#language-select", "ur")
    page.goto(f"{live_server.url}/analytics/map/trends/station/{station_a.code}/")
    assert page.locator("svg.casp-chart").count() == 2
    assert page.locator("svg.casp-chart polyline.chart-observed").count() == 2
    page.locator("details summary").first.click()
    assert page.locator("details table tbody tr").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    heading = page.inner_text("main h2")
    assert ("per week" in heading) if lang == "en" else ("فی ہفتہ" in heading)
    page.goto(f"{live_server.url}/analytics/map/station/{station_a.code}/near-repeat/")
    assert page.locator("#knox-table tbody tr").count() == 16
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # A period that ends before it starts: the message is on the field, and the page still stands.
    page.fill("#id_date_from", "2025-03-10")
    page.fill("#id_date_to", "2025-03-01")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#id_date_to.is-invalid").count() == 1
    assert page.locator("#knox-table").count() == 0
    assert tried == [] and errors == []
