import pytest
from django.utils import timezone

from hoteleye.models import CheckIn, MatchStatus
from tests.factories import HotelFactory
from tests.hoteleye.conftest import make_checkin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "ur"])
@pytest.mark.parametrize("width", [1366, 390])
def test_the_station_dashboard_warns_that_matching_is_behind(signed_in_page, live_server, station_a, language, width):
    checkin = make_checkin(HotelFactory(station=station_a))
    CheckIn.objects.filter(pk=checkin.pk).update(
        match_status=MatchStatus.PENDING, received_at=timezone.now() - timezone.timedelta(minutes=17)
    )
    page = signed_in_page
    page.set_viewport_size({"width": width, "height": 900})
    if language == "ur":
        with page.expect_navigation():
            page.select_option("#language-select", "ur")
    page.goto(f"{live_server.url}/stations/{station_a.code}/dashboard/")
    warning = page.locator("#hoteleye-matching-behind")
    assert warning.is_visible()
    text = warning.inner_text()
    assert ("مطابقت" in text) if language == "ur" else ("Matching is behind" in text)
    minutes = warning.locator("bdi")
    assert minutes.inner_text() == "17" and minutes.get_attribute("dir") == "ltr"
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1]
    page.screenshot(path=f"/tmp/casp-matching-behind-{language}-{width}.png")
