"""The register catalogue shows clerks each register's rule and purpose; where it comes from is for admins."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casp.roles import Role
from tests.factories import posted_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "ur"])
def test_clerk_sees_rule_and_purpose_without_developer_notes(client_a, station_a, language):
    client_a.cookies["django_language"] = language
    body = client_a.get(reverse("stations:registers", args=[station_a.code])).content.decode()
    assert "22.47" in body  # the rule of Register I
    for note in ("http", "DOMAIN.md", "unconfirmed", "blogspot"):
        assert note not in body


def test_clerk_register_page_has_no_unconfirmed_badge(client_a, station_a):
    body = client_a.get(reverse("stations:register_list", args=[station_a.code, "xi"])).content.decode()
    assert "unconfirmed" not in body


def test_admin_still_sees_where_each_register_comes_from(client, station_a, roles):
    admin = posted_user(Role.SYSTEM_ADMIN, username="cat-admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    body = client.get(reverse("stations:registers", args=[station_a.code])).content.decode()
    assert "legalhelp1.blogspot.com" in body
    assert "unconfirmed" in body
