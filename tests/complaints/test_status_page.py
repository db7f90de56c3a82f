"""The citizen's pages: the tracking number can be copied or printed; the status page shows what they wrote."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.complaints.factories import filed

pytestmark = pytest.mark.django_db
TRACK = "/complaints/track/"
STATUS = "/complaints/track/status/"


def _status_page(client, complaint, language="en"):
    client.cookies["django_language"] = language
    client.post(TRACK, {"tracking_number": complaint.tracking_number, "phone_or_cnic": "0300-1234567"})
    return client.get(STATUS).content.decode()


def test_status_page_shows_the_citizens_own_complaint_text(client, station_a):
    complaint = filed(station_a)
    page = _status_page(client, complaint)
    assert complaint.description.splitlines()[0] in page
    assert complaint.incident_place in page


def test_status_page_offers_copy_and_print_of_the_tracking_number(client, station_a):
    complaint = filed(station_a)
    page = _status_page(client, complaint)
    assert f'data-copy="{complaint.tracking_number}"' in page
    assert "data-print" in page


def test_tracking_page_names_the_station_in_urdu_when_read_in_urdu(client, station_a):
    station_a.name_ur = "تھانہ الفا"
    station_a.save(update_fields=["name_ur"])
    complaint = filed(station_a)
    urdu = _status_page(client, complaint, "ur")
    assert "تھانہ الفا" in urdu
    assert "PS Alpha" not in urdu
    with translation.override("en"):
        assert complaint.office_label == "PS Alpha"
