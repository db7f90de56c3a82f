"""The 500 page in English and Urdu, at desktop and phone width: truthful, readable, not wider than the screen."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from casp.views import error_500

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize(("language", "direction", "words"), [("en", "ltr", "may or may not"), ("ur", "rtl", "محفوظ")])
def test_the_500_page_fits_the_screen_and_does_not_promise_nothing_was_saved(
    page, live_server, width, language, direction, words
):
    with translation.override(language):
        html = error_500(RequestFactory().get("/")).content.decode()
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/accounts/login/")  # the page's stylesheet is found from the site's address
    page.set_content(html, wait_until="load")
    assert page.locator("html").get_attribute("dir") == direction
    text = page.inner_text("body")
    assert words in text and "Nothing you were entering" not in text
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1]
    # Bootstrap is applied (the heading is styled), so the page is not a bare fallback.
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).fontSize") != "32px"
