"""One date format across CASP: day-month-year and 24-hour Pakistan Standard Time, in English and Urdu."""

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from casp import audit
from casp.bidi import LRI, PDI
from casp.formats import date_text, datetime_text
from tests.fir.factories import register

MORNING_UTC = dt.datetime(2026, 11, 30, 9, 5, tzinfo=dt.UTC)  # 14:05 in Pakistan


@pytest.fixture(autouse=True)
def english_afterwards():
    """Requests in Urdu leave Urdu active in this thread (LocaleMiddleware); later tests expect English."""
    yield
    translation.activate("en")


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_dates_read_day_month_year_in_pakistan_time_in_both_languages(lang):
    with translation.override(lang):
        # In Urdu each date is a left-to-right isolate (LRI…PDI), so it is not reordered in Urdu text.
        wrap = (lambda text: f"{LRI}{text}{PDI}") if lang == "ur" else (lambda text: text)
        assert datetime_text(MORNING_UTC) == wrap("30-11-2026 14:05")
        assert date_text(dt.date(2026, 11, 30)) == wrap("30-11-2026")
        # A datetime late in the UTC day is already the next day in Pakistan.
        assert date_text(dt.datetime(2026, 11, 30, 20, 0, tzinfo=dt.UTC)) == wrap("01-12-2026")
        rendered = Template('{{ at }}|{{ at|date:"DATETIME_FORMAT" }}|{{ day|date:"DATE_FORMAT" }}|{{ day }}').render(
            Context({"at": MORNING_UTC, "day": dt.date(2026, 11, 30)})
        )
        assert rendered == "|".join(
            wrap(t) for t in ("30-11-2026 14:05", "30-11-2026 14:05", "30-11-2026", "30-11-2026")
        )


def test_urdu_admin_lists_times_as_left_to_right_isolates(client, django_user_model, officer_a):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x-very-long-password")
    with freeze_time(MORNING_UTC):
        audit.record(actor=officer_a, action="fir.registered")
    client.force_login(admin)
    client.post(reverse("set_language"), {"language": "ur", "next": "/"})
    html = client.get("/admin/casp/auditevent/").content.decode()
    assert f"{LRI}30-11-2026 14:05{PDI}" in html


def test_admin_audit_detail_shows_local_time_in_its_header_and_its_field(client, django_user_model, officer_a):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x-very-long-password")
    with freeze_time(MORNING_UTC):
        event = audit.record(actor=officer_a, action="fir.registered")
    client.force_login(admin)
    html = client.get(f"/admin/casp/auditevent/{event.pk}/change/").content.decode()
    header = re.search(r"<h2>(.*?)</h2>", html, re.S).group(1)
    assert "30-11-2026 14:05" in header
    assert html.count("30-11-2026 14:05") >= 2  # the header and the time field agree
    assert "09:05" not in html and "2026-11-30" not in html


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_fir_page_shows_its_dates_day_month_year_in_both_languages(client_a, station_a, officer_a, lang):
    fir = register(station_a, officer_a)
    client_a.post(reverse("set_language"), {"language": lang, "next": "/"})
    html = client_a.get(reverse("fir:detail", args=[fir.pk])).content.decode()
    assert datetime_text(fir.reported_at) in html
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", html)  # no ISO dates left
