import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_signs_in_and_switches_to_urdu_right_to_left(signed_in_page, live_server):
    page = signed_in_page
    assert page.locator("html").get_attribute("dir") == "ltr"
    with page.expect_navigation():
        page.select_option("#language-select", "ur")  # the selector submits itself
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ur"
    assert "خوش آمدید" in page.inner_text("h1")
    # The self-hosted Nastaliq font is applied, and its line-height does not clip it.
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Noto Nastaliq Urdu" in font
    line_height = page.evaluate(
        "parseFloat(getComputedStyle(document.body).lineHeight) / parseFloat(getComputedStyle(document.body).fontSize)"
    )
    assert line_height >= 2.0
    page.screenshot(path="/tmp/casp-urdu.png", full_page=True)


def test_no_request_leaves_the_site(signed_in_page, live_server):
    page = signed_in_page
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.reload()
    page.wait_for_load_state("networkidle")
    assert outside == []


def test_public_complaint_form_in_urdu_fits_a_phone_screen(page, live_server):
    """Nothing may widen a right-to-left page (an off-screen honeypot once added 10,000 px)."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/complaints/new/")
    with page.expect_navigation():
        page.select_option("#language-select", "ur")
    assert page.locator("html").get_attribute("dir") == "rtl"
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1]
