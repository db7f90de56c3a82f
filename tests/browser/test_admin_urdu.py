"""The admin in Urdu draws its Urdu with CASP's Nastaliq and its digits with Noto Sans: the system fonts have
no ہ (U+06C1) and showed boxes in "انتظامیہ" and "صفحہ"."""

from __future__ import annotations

import pytest

from casp import audit
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FACES = "(async () => { await document.fonts.ready; return [...document.fonts]"
FACES += ".filter((f) => f.status === 'loaded').map((f) => f.family.replaceAll('\"', '')); })()"


@pytest.mark.parametrize("width", [1366, 390])
def test_urdu_admin_audit_list_uses_casp_fonts(page, live_server, django_user_model, officer_a, width):
    django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)
    audit.record(actor=officer_a, action="fir.registered")
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies([{"name": "django_language", "value": "ur", "url": live_server.url}])
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/casp/auditevent/")
    assert page.evaluate("document.documentElement.lang") == "ur"
    loaded = page.evaluate(FACES)
    assert "Noto Nastaliq Urdu" in loaded and "Noto Sans" in loaded, loaded
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Noto Nastaliq Urdu" in family
    page.screenshot(path=f"/tmp/casp-admin-ur-{width}.png")
