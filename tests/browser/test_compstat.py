"""The CompStat page in Urdu and English at phone and desktop width: right-to-left, no sideways scroll
(tables scroll in their own box), the chart drawn with its table, figures in left-to-right isolates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from casp.roles import Role
from tests.conftest import PASSWORD
from tests.factories import posted_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dpo(station_a, district_a, roles):
    from analytics.services import aggregates_refresh
    from fir.catalogue import crime_heads_seed, sections_seed
    from fir.models import CrimeHead, Fir, Section

    sections_seed(Section)
    crime_heads_seed(CrimeHead, Section)
    officer = posted_user(Role.DISTRICT_OFFICER, district=district_a, username="cs_dpo")
    today = timezone.localdate()
    tz = timezone.get_default_timezone()
    for i, (law, number) in enumerate([("PPC", "302"), ("PPC", "379"), ("PPC", "381-A"), ("AO", "13")] * 5):
        when = dt.datetime.combine(today - dt.timedelta(days=i * 9), dt.time(10), tzinfo=tz)
        fir = Fir.objects.create(
            station=station_a, year=when.year, number=i + 1, reported_at=when, occurred_from=when, place="x",
            complainant_name="x", facts="x", writing_officer=officer, writing_officer_name="x", registered_at=when,
        )  # fmt: skip
        fir.sections.add(Section.objects.get(law=law, number=number))
    aggregates_refresh(start=today - dt.timedelta(days=800), end=today)
    return officer


@pytest.mark.parametrize("language", ["ur", "en"])
@pytest.mark.parametrize("width", [390, 1366])
def test_compstat_page_fits_the_screen(page, live_server, dpo, district_a, width, language):
    page.set_viewport_size({"width": width, "height": 844})
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", dpo.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/analytics/compstat/district/{district_a.code}/")  # the DPO's home
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ur" else "ltr")
    scroll, view = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    wide = page.evaluate(
        "Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > "
        "window.innerWidth + 1).slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id)"
    )
    assert scroll <= view, wide
    assert page.locator("svg.chart[role=img] title").count() == 1
    assert page.locator("#compstat-heads tbody tr").count() >= 16
    assert page.locator("#compstat-summary bdi[dir=ltr]").count() > 20  # numbers read left to right
    heading = "جرم کی مد" if language == "ur" else "Crime head"
    assert heading in page.locator("#compstat-heads thead").inner_text()
    if width == 390 and language == "ur":
        page.screenshot(path="/tmp/casp-390-compstat.png", full_page=True)
