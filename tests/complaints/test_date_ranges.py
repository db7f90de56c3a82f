"""The incident time of a public complaint: not before 1947, not in the future; the database refuses the rest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from complaints.models import Complaint
from tests.complaints.conftest import form_data
from tests.complaints.factories import filed

pytestmark = pytest.mark.django_db
URL = "/complaints/new/"


def _future() -> str:
    return (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("0001-01-01T00:00", "cannot be before"),
        ("0001-01-01T00:00:00+05:00", "cannot be before"),
        ("1900-06-01T10:00", "cannot be before"),
        (None, "cannot be in the future"),
    ],
    ids=["year_1", "year_1_plus_5", "year_1900", "future"],
)
def test_an_implausible_incident_time_is_refused_naming_the_field_and_nothing_is_saved(
    client, station_a, outbox, value, text
):
    response = client.post(URL, form_data(station_a, incident_at=value or _future()))
    assert response.status_code == 400
    message = " ".join(response.context["form"].errors["incident_at"])
    assert message.startswith("Date and time of the incident") and text in message
    assert not Complaint.objects.exists()
    assert outbox == []


def test_the_database_refuses_an_incident_before_1947_by_its_named_constraint(station_a):
    complaint = filed(station_a)
    with pytest.raises(IntegrityError, match="complaints_complaint_incident_at_range"), transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(incident_at="0001-01-01T00:00:00+05:00")


def test_a_service_call_with_a_year_1_incident_saves_nothing(station_a):
    from tests.complaints.factories import complaint_data

    with pytest.raises(IntegrityError, match="complaints_complaint_incident_at_range"), transaction.atomic():
        from complaints.services import complaint_file

        complaint_file(data=complaint_data(station_a, incident_at=timezone.now().replace(year=1)))
    assert not Complaint.objects.exists()


def test_the_lists_stay_readable_after_a_refused_year_1_complaint(client, station_a, officer_a, district_officer_a):
    client.post(URL, form_data(station_a, incident_at="0001-01-01T00:00"))
    good = client.post(URL, form_data(station_a))
    assert good.status_code == 302
    assert client.get(good["Location"]).status_code == 200  # the "filed" page with the tracking number
    for user in (officer_a, district_officer_a):
        client.force_login(user)
        response = client.get("/complaints/")
        assert response.status_code == 200 and len(response.context["page"]) == 1
