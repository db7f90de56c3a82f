"""Issue 11, low 7: only police officers of the handling office may be assignees, never Khidmat staff."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casp.roles import Role
from complaints.selectors import officers_for_complaint
from complaints.services import complaint_assign
from tests.complaints.factories import category, filed
from tests.factories import PoliceStationFactory, posted_user


@pytest.fixture
def khidmat_a(station_a, roles):
    return posted_user(Role.KHIDMAT_STAFF, station=station_a, username="khidmat_a")


def test_khidmat_staff_of_the_station_are_not_offered_as_assignees(station_a, officer_a, colleague_a, khidmat_a):
    complaint = filed(station_a)
    candidates = set(officers_for_complaint(complaint))
    assert {officer_a, colleague_a} <= candidates
    assert khidmat_a not in candidates


def test_assigning_to_khidmat_staff_is_refused_and_nothing_changes(client, station_a, colleague_a, khidmat_a):
    complaint = filed(station_a)
    with pytest.raises(ValidationError, match="not posted where the complaint is handled"):
        complaint_assign(complaint=complaint, assignee=khidmat_a, acting_user=colleague_a)
    client.force_login(colleague_a)
    response = client.post(reverse("complaints:assign", args=[complaint.pk]), {"assignee": khidmat_a.pk})
    assert response.status_code == 400
    assert "assignee" in response.context["assign_form"].errors
    complaint.refresh_from_db()
    assert complaint.assigned_to is None


def test_khidmat_staff_of_another_station_of_the_district_are_not_assignees_of_a_conduct_complaint(
    station_a, district_a, district_officer_a, roles
):
    other = PoliceStationFactory(district=district_a)
    khidmat_other = posted_user(Role.KHIDMAT_STAFF, station=other, username="khidmat_other")
    io_other = posted_user(Role.INVESTIGATING_OFFICER, station=other, username="io_other")
    complaint = filed(station_a, category=category("misconduct-bribery"))
    candidates = set(officers_for_complaint(complaint))
    assert io_other in candidates and district_officer_a in candidates
    assert khidmat_other not in candidates
