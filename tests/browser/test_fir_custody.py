"""The FIR page's "end custody" form is usable at phone width in both languages, and on the desktop."""

import datetime as dt

import pytest
from django.utils import timezone

from fir.catalogue import sections_seed
from fir.models import Arrest, Section
from fir.services import arrest_custody_end, arrest_record
from tests.fir.factories import register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWS = [("en", 1366), ("ur", 1366), ("en", 390), ("ur", 390)]
FORM = "form[action$='/custody-end/']"


def _use(page, live_server, lang, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])


def _fir_with_arrests(station, officer):
    """An FIR with a long-named accused in custody and a second whose custody already ended."""
    sections_seed(Section)
    fir = register(
        station,
        officer,
        accused=[
            {"name": "Muhammad Bashir Ahmad Khan Niazi", "father_name": "Nazir Ahmad Khan", "cnic": "35202-7654321-3"},
            {"name": "Kaloo", "father_name": "", "cnic": ""},
        ],
    )
    at = timezone.now() - dt.timedelta(minutes=30)
    first, second = fir.accused.order_by("id")
    held = arrest_record(
        fir=fir, accused=first, acting_user=officer, arrested_at=at, place="Bus stand near the old grain market"
    )
    gone = arrest_record(fir=fir, accused=second, acting_user=officer, arrested_at=at, place="Chowk")
    arrest_custody_end(arrest=gone, acting_user=officer, reason="Released on bail")
    return fir, held


def _box_inside_viewport(page, locator, *, min_width):
    """Assert the element is drawn, uncovered by any scrolling container, within the viewport and wide enough."""
    box = locator.bounding_box()
    assert box is not None, "not rendered"
    inner = page.evaluate("window.innerWidth")
    assert box["x"] >= 0 and box["x"] + box["width"] <= inner + 0.5, (box, inner)
    assert box["width"] >= min_width, box
    # Nothing between the element and the viewport clips it (a table-responsive wrapper scrolled it away).
    clipped = locator.evaluate(
        """el => {
            const r = el.getBoundingClientRect();
            for (let p = el.parentElement; p; p = p.parentElement) {
                const s = getComputedStyle(p);
                if (s.overflowX === 'visible') continue;
                const c = p.getBoundingClientRect();
                if (r.left < c.left - 0.5 || r.right > c.right + 0.5) return p.className || p.tagName;
            }
            return null;
        }"""
    )
    assert clipped is None, f"clipped by {clipped}"


@pytest.mark.parametrize(("lang", "width"), VIEWS)
def test_the_end_custody_form_is_fully_visible_and_wide_enough_and_ends_custody(
    signed_in_page, live_server, station_a, officer_a, lang, width
):
    page = signed_in_page
    _use(page, live_server, lang, width)
    fir, held = _fir_with_arrests(station_a, officer_a)
    page.goto(f"{live_server.url}/fir/{fir.pk}/")
    assert page.get_attribute("html", "lang") == lang
    forms = page.locator(FORM)
    assert forms.count() == 1  # only the arrest still in custody offers it
    form = forms.first
    reason, button = form.locator("input[name=reason]"), form.locator("button[type=submit]")
    _box_inside_viewport(page, reason, min_width=200)
    _box_inside_viewport(page, button, min_width=200)
    # The button's words are not cut off, and the field has a label a screen reader reads.
    assert button.evaluate("b => b.scrollWidth <= b.clientWidth")
    assert page.locator(f"label[for='{reason.get_attribute('id')}']").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # An empty reason is refused by the browser (and by the server: tests/fir); nothing changes.
    button.click()
    assert reason.evaluate("i => i.validity.valueMissing")
    assert Arrest.objects.get(pk=held.pk).custody_ended_at is None
    reason.fill("Remanded to judicial lock-up")
    with page.expect_navigation():
        button.click()
    held.refresh_from_db()
    assert held.custody_ended_at is not None and held.custody_end_reason == "Remanded to judicial lock-up"
    assert page.locator(FORM).count() == 0
    assert "Remanded to judicial lock-up" in page.inner_text("main")
