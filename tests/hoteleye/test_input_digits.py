"""Hotel staff type CNICs and phones with an Urdu keyboard too (casp.text.normalize_digits)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.casp.test_input_normalisation import SCRIPTS


@pytest.mark.django_db
@SCRIPTS
def test_hotel_guest_search_and_check_in_with_urdu_digits(client, staff_a, script):
    from hoteleye.models import CheckIn
    from tests.hoteleye.conftest import form_body

    client.force_login(staff_a)
    client.post(
        reverse("hoteleye:checkin_new"),
        form_body(cnic="35202-1234567-1".translate(script), phone="0300-1234567".translate(script)),
    )
    checkin = CheckIn.objects.get()
    assert checkin.cnic == "3520212345671" and checkin.phone == "03001234567"
    history = reverse("hoteleye:history")
    for q in ("35202-1234567-1".translate(script), "0300-1234567".translate(script), "0300-1234567"):
        assert "Ali Raza" in client.get(history, {"q": q}).content.decode(), q
