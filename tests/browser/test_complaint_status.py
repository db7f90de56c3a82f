"""The citizen reads their complaint on the status page and can copy or print its tracking number."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from tests.complaints.factories import filed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def complaint(station_a):
    # Transactional tests flush the database, seed migration data included: seed it again.
    importlib.import_module("complaints.migrations.0002_seed_categories").seed(apps, None)
    return filed(station_a)


@pytest.mark.parametrize("language", ["en", "ur"])
@pytest.mark.parametrize("width", [390, 1366])
def test_status_page_shows_the_complaint_and_copies_its_number(page, live_server, complaint, language, width):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.set_viewport_size({"width": width, "height": 844})
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/complaints/track/")
    page.fill("#id_tracking_number", complaint.tracking_number)
    page.fill("#id_phone_or_cnic", "0300-1234567")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/complaints/track/status/")
    assert complaint.incident_place in page.inner_text("#complaint-text")
    # The citizen's own English words keep their direction in the Urdu page (the full stop stays at the end).
    directions = page.evaluate(
        "[...document.querySelectorAll('#complaint-text dd')].map(d => getComputedStyle(d).direction)"
    )
    assert directions[1:] == ["ltr", "ltr"], directions
    copy = page.locator("[data-copy]")
    assert copy.is_visible() and page.locator("[data-print]").is_visible()
    copy.click()
    assert page.evaluate("navigator.clipboard.readText()") == complaint.tracking_number
    scroll, view = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= view
    page.emulate_media(media="print")
    assert not copy.is_visible()
    assert not page.locator("nav.navbar").is_visible()
