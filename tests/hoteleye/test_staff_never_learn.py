"""Hotel staff never learn that a guest matched: their pages and API answers are the same either way."""

import re

from django.urls import reverse

from hoteleye.models import MatchResult, MatchStatus
from tests.hoteleye.conftest import make_alert, make_checkin


def _normalise(html, checkin):
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)
    for value in (checkin.name, checkin.cnic.formatted, str(checkin.cnic), checkin.room, f"/{checkin.pk}/"):
        html = html.replace(value, "X")
    return html


def test_staff_pages_are_identical_for_a_matched_and_an_unmatched_guest(staff_client, hotel_a, station_a):
    matched = make_checkin(hotel_a, cnic="35202-1111111-1", name="Guest One", room="R-ONE")
    plain = make_checkin(hotel_a, cnic="35202-2222222-1", name="Guest Two", room="R-TWO")
    alert = make_alert(station_a, matched)
    MatchResult.objects.create(
        checkin=matched, cro_record=alert.cro_record, kind="cnic", score=100, above_threshold=True
    )
    matched.match_status = MatchStatus.MATCHED
    matched.save(update_fields=["match_status"])
    plain.match_status = MatchStatus.NO_MATCH
    plain.save(update_fields=["match_status"])
    matched.refresh_from_db()
    plain.refresh_from_db()

    pages = [
        _normalise(staff_client.get(reverse("hoteleye:checkin_detail", args=[c.pk])).content.decode(), c)
        for c in (matched, plain)
    ]
    assert pages[0] == pages[1]
    for url in (reverse("hoteleye:occupancy"), reverse("hoteleye:history")):
        page = staff_client.get(url).content.decode()
        assert "alert" not in page.lower().replace("alert-danger", "").replace('role="alert"', "")
        assert "match" not in page.lower()
    assert staff_client.get(reverse("hoteleye_api:alert_list")).json()["count"] == 0
    assert staff_client.get(reverse("hoteleye:alert_detail", args=[1])).status_code == 403
