import datetime as dt

import pytest
from django.utils import timezone

from fir.catalogue import sections_seed
from fir.models import Fir, Section
from stations.models import DiaryEntry, DiaryKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_registers_an_fir_in_the_browser_and_sees_it_in_the_diary(signed_in_page, live_server, station_a):
    sections_seed(Section)
    page = signed_in_page
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/fir/new/{station_a.code}/")
    occurred = (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    page.fill("#id_occurred_from", occurred)
    page.fill("#id_place", "Sabzi mandi")
    page.fill("#id_complainant_name", "Razia Bibi")
    page.fill("#id_sections", "392 PPC")
    page.fill("#id_facts", "میرا پرس چھین لیا گیا۔")
    page.fill("#id_accused-0-name", "Kaloo")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/fir/*/")
    fir = Fir.objects.get()
    assert f"{fir.number}/{fir.year}" in page.inner_text("h1")
    assert DiaryEntry.objects.filter(kind=DiaryKind.FIR_REGISTERED).exists()
    page.goto(f"{live_server.url}/stations/{station_a.code}/dashboard/")
    assert "FIR No. 1/" in page.inner_text("#today-diary")
    assert errors == []  # no CSP violations or script errors
