"""The kernel's date ranges (casp.dates): the rules, the CHECK on every column, the repair migration, the 500 page."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test import RequestFactory
from django.utils import timezone, translation

from casp.dates import (
    BIRTH,
    CHECK_IN,
    NULL,
    OFFENCE,
    POSTING,
    REGISTER,
    SYSTEM,
    OutOfRangeRows,
    Repair,
    bad_rows_repair,
)
from casp.views import error_500

PLUS5 = dt.timezone(dt.timedelta(hours=5))
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
# Every project app (the layers of pyproject.toml), so an app added later cannot be left out.
APPS = ("casp", "stations", "fir", "cro", "alerts", "complaints", "hoteleye", "registrations", "khidmat", "analytics")


def _refused(rule, value, *, field="time of the incident") -> str:
    with pytest.raises(ValidationError) as exc:
        rule.check(value, field=field, now=NOW)
    return exc.value.messages[0]


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(1, 1, 1, 0, 0),  # naive, read as Asia/Karachi
        dt.datetime(1, 1, 1, 0, 0, tzinfo=PLUS5),  # before year 1 in UTC
        dt.datetime(1900, 6, 1, 10, 0, tzinfo=PLUS5),
        dt.datetime(1946, 12, 31, 23, 59, tzinfo=PLUS5),
    ],
    ids=["year_1_naive", "year_1_plus_5", "year_1900", "eve_of_1947"],
)
def test_an_offence_before_1947_is_refused_naming_the_field(value):
    message = _refused(OFFENCE, value)
    assert message.startswith("Time of the incident cannot be before") and "01-01-1947" in message


def test_an_offence_in_the_future_is_refused_but_clock_skew_is_not():
    assert "cannot be in the future" in _refused(OFFENCE, NOW + dt.timedelta(hours=1))
    assert "cannot be in the future" in _refused(OFFENCE, dt.datetime(9999, 1, 1, tzinfo=PLUS5))
    OFFENCE.check(NOW + dt.timedelta(minutes=3), field="x", now=NOW)
    OFFENCE.check(dt.datetime(1947, 1, 1, 0, 0, tzinfo=PLUS5), field="x", now=NOW)


def test_a_check_in_must_be_within_a_day_of_now():
    assert "within a day of now" in _refused(CHECK_IN, NOW - dt.timedelta(days=1, minutes=1), field="check-in time")
    assert "in the future" in _refused(CHECK_IN, NOW + dt.timedelta(hours=1), field="check-in time")
    CHECK_IN.check(NOW - dt.timedelta(hours=23), field="x", now=NOW)


def test_a_date_of_birth_is_between_1900_and_today():
    assert "cannot be before" in _refused(BIRTH, dt.date(1899, 12, 31), field="date of birth")
    assert "cannot be in the future" in _refused(BIRTH, dt.date(2026, 6, 2), field="date of birth")
    BIRTH.check(dt.date(1900, 1, 1), field="x", now=NOW)
    BIRTH.check(dt.date(2026, 6, 1), field="x", now=NOW)


def test_dates_in_messages_read_left_to_right_inside_urdu():
    assert "\u206601-01-1947\u2069" in _refused(OFFENCE, dt.datetime(1, 1, 1))


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_dates_in_messages_are_day_month_year_isolated_once(lang):
    """One date format: the bounds in messages read as every page shows dates, isolated once in Urdu too."""
    with translation.override(lang):
        floor = _refused(BIRTH, dt.date(1899, 12, 31), field="date of birth")
        latest = _refused(REGISTER, dt.datetime(2080, 1, 1, tzinfo=PLUS5), field="valid until")
        ceiling = _refused(POSTING, dt.date(2250, 1, 1), field="posted on")
    assert "\u206601-01-1900\u2069" in floor
    assert re.search("\u2066\\d\\d-\\d\\d-20\\d\\d \\d\\d:\\d\\d\u2069", latest), latest
    assert re.search("\u2066\\d\\d-\\d\\d-\\d{4}\u2069", ceiling), ceiling
    for message in (floor, latest, ceiling):
        assert "\u2066\u2066" not in message and not re.search(r"\d{4}-\d\d-\d\d", message), message


def _date_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, models.DateField) and f.model is model]


def test_every_date_and_time_column_has_its_named_range_check_in_the_database(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname FROM pg_constraint WHERE contype = 'c'")
        in_database = {row[0] for row in cursor.fetchall()}
    expected = []
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            if model._meta.proxy:
                continue
            names = {c.name for c in model._meta.constraints}
            for field in _date_fields(model):
                name = f"{model._meta.db_table}_{field.column}_range"
                expected.append(name)
                assert name in names, f"{model.__name__}.{field.name} has no {name}"
    assert len(expected) >= 50
    assert set(expected) <= in_database


@pytest.fixture
def probe(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE dates_probe (id serial PRIMARY KEY, at timestamptz, day date, fallback timestamptz)"
        )
        cursor.execute(
            "INSERT INTO dates_probe (at, day, fallback) VALUES "
            "('0001-01-01T00:00:00+05:00', '0001-01-01', now()), "
            "('1899-06-01T00:00:00+05:00', '1899-06-01', now()), "
            "('2026-01-01T10:00:00+05:00', '1990-01-01', now())"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE dates_probe")


def _probe(column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} IS NULL FROM dates_probe ORDER BY id")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


EDITOR = SimpleNamespace(connection=connection)


def test_the_repair_migration_nulls_optional_values_including_year_0(probe):
    bad_rows_repair([Repair("dates_probe", "at", "2000-01-01", action=NULL)])(None, EDITOR)
    bad_rows_repair([Repair("dates_probe", "day", "1900-01-01", date=True, action=NULL)])(None, EDITOR)
    assert _probe("at") == [True, True, False]
    assert _probe("day") == [True, True, False]


def test_the_repair_migration_copies_the_stated_column(probe):
    bad_rows_repair([Repair("dates_probe", "at", "2000-01-01", action="fallback")])(None, EDITOR)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM dates_probe WHERE at = fallback")
        assert cursor.fetchone()[0] == 2


def test_the_repair_migration_refuses_naming_table_column_and_ids(probe):
    with pytest.raises(OutOfRangeRows) as exc:
        bad_rows_repair([Repair("dates_probe", "at", "1947-01-01", hint="immutable")])(None, EDITOR)
    assert "dates_probe.at outside 1947-01-01 .. 2200-01-01 in rows id 1, 2 (immutable)" in str(exc.value)
    assert _probe("at") == [False, False, False]


def test_a_constraint_message_names_the_column():
    constraint = next(
        c for c in apps.get_model("fir", "Fir")._meta.constraints if c.name == "fir_fir_reported_at_range"
    )
    assert "reported_at" in str(constraint.violation_error_message)
    assert SYSTEM.bounds(date=True) == (dt.date(2000, 1, 1), dt.date(2200, 1, 1))


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_500_page_does_not_claim_that_nothing_was_saved(language):
    with translation.override(language):
        html = error_500(RequestFactory().get("/")).content.decode()
    assert "Nothing you were entering was saved" not in html
    if language == "en":
        assert "If you were saving something, it may or may not have been saved" in html
        assert 'dir="ltr"' in html
    else:
        assert "محفوظ" in html and "If you were saving" not in html
        assert 'dir="rtl"' in html and "bootstrap.rtl.min.css" in html


def test_time_zone_is_the_one_the_bounds_assume(settings):
    assert settings.TIME_ZONE == "Asia/Karachi"
    assert timezone.localtime(dt.datetime(2026, 1, 1, tzinfo=dt.UTC)).utcoffset() == dt.timedelta(hours=5)
