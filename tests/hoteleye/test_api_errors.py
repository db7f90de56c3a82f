"""Every answer of the JSON API is JSON, also when the request body cannot be parsed: a missing multipart
boundary, a body over DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields, too many files (casp.middleware)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hoteleye.models import CheckIn
from hoteleye.services import token_rotate

CREATE = reverse("hoteleye_api:checkin_create")


@pytest.fixture
def auth(hotel_a):
    return {"HTTP_AUTHORIZATION": f"Token {token_rotate(acting_user=None, hotel=hotel_a)}"}


def _no_boundary(client, auth):
    return client.generic("POST", CREATE, b"name=Ali", content_type="multipart/form-data", **auth)


def _oversized(client, auth, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    return client.generic(
        "POST", CREATE, "name=" + "x" * 5000, content_type="application/x-www-form-urlencoded", **auth
    )


def _too_many_fields(client, auth, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = "&".join(f"f{i}=1" for i in range(50))
    return client.generic("POST", CREATE, body, content_type="application/x-www-form-urlencoded", **auth)


CASES = [
    ("no_boundary", 400, "multipart"),
    ("oversized", 413, "too large"),
    ("too_many_fields", 400, "too many fields"),
]


def _send(case, client, auth, settings):
    if case == "no_boundary":
        return _no_boundary(client, auth)
    if case == "oversized":
        return _oversized(client, auth, settings)
    return _too_many_fields(client, auth, settings)


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
@pytest.mark.parametrize(("case", "status", "text"), CASES, ids=[c[0] for c in CASES])
def test_unparseable_api_requests_answer_json_with_the_right_status(client, auth, settings, case, status, text, debug):
    settings.DEBUG = debug
    client.raise_request_exception = False
    response = _send(case, client, auth, settings)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert text in response.json()["detail"].lower()
    assert CheckIn.objects.count() == 0


def test_pages_outside_the_api_keep_their_html_error(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client.raise_request_exception = False
    body = "&".join(f"f{i}=1" for i in range(50))
    response = client.generic("POST", "/complaints/new/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
