"""station_get_for_user(user, code=..., write=...): the one place deciding "visible but not writable"."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from casp.roles import Role
from stations.selectors import station_get_for_user
from tests.factories import posted_user


@pytest.fixture
def dpo_a(district_a, roles):
    return posted_user(Role.DISTRICT_OFFICER, district=district_a, username="dpo_a")


def test_posted_officer_reads_and_writes_their_station(officer_a, station_a):
    assert station_get_for_user(officer_a, code="PS-A") == station_a
    assert station_get_for_user(officer_a, code="PS-A", write=True) == station_a


def test_district_officer_reads_a_station_of_the_district_but_may_not_write_it(dpo_a, station_a):
    assert station_get_for_user(dpo_a, code="PS-A") == station_a
    with pytest.raises(PermissionDenied):
        station_get_for_user(dpo_a, code="PS-A", write=True)


@pytest.mark.parametrize("write", [False, True])
def test_station_outside_jurisdiction_or_unknown_is_404_whether_reading_or_writing(officer_b, station_a, write):
    for code in ("PS-A", "PS-NOWHERE"):
        with pytest.raises(Http404):
            station_get_for_user(officer_b, code=code, write=write)


def test_views_answer_alike_403_for_visible_but_not_writable(client, dpo_a, station_a, colleague_a, roles):
    """Before: the register form answered 403 and the FIR form 404 for the same situation."""
    sho_elsewhere = posted_user(Role.SHO, district=station_a.district, username="sho_district")  # sees, not posted
    client.force_login(sho_elsewhere)
    assert client.get(reverse("fir:register", args=["PS-A"])).status_code == 403
    assert client.get(reverse("stations:register_add", args=["PS-A", "ii"])).status_code == 403
    client.force_login(colleague_a)
    assert client.get(reverse("fir:register", args=["PS-A"])).status_code == 200


def test_fir_form_ignores_query_string_prefill(client, colleague_a):
    """The unused PREFILL path is gone: a link cannot plant text in an FIR form."""
    client.force_login(colleague_a)
    response = client.get(reverse("fir:register", args=["PS-A"]), {"complainant_name": "Planted Name"})
    assert response.status_code == 200
    assert "Planted Name" not in response.content.decode()
