"""System-made diary entries are stored as facts and read in the reader's language."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from stations.diary import CUSTODY_NONE, fact_make, fact_render
from stations.models import DiaryEntry, DiaryKind
from stations.registers import DIARY
from stations.services import diary_record, register_entry_correct

pytestmark = pytest.mark.django_db


def _opening(station):
    return DiaryEntry.objects.get(station=station, kind=DiaryKind.CUSTODY)


def test_opening_entry_is_a_fact_told_in_english_and_urdu(station_a, officer_a):
    diary_record(station=station_a, acting_user=officer_a, kind=DiaryKind.GENERAL, text="Patrol left")
    opening = _opening(station_a)
    assert opening.fact == {"template": CUSTODY_NONE, "params": {}}
    assert opening.data["text"] == "Opening entry of the day: no person was in custody when the day began."
    with translation.override("ur"):
        urdu = opening.text
    assert urdu != opening.data["text"]
    assert "Opening entry" not in urdu
    with translation.override("en"):
        assert opening.text == "Opening entry of the day: no person was in custody when the day began."


def test_a_typed_entry_reads_as_typed_in_both_languages(station_a, officer_a):
    entry = diary_record(station=station_a, acting_user=officer_a, kind=DiaryKind.GENERAL, text="Patrol left")
    with translation.override("ur"):
        assert entry.text == "Patrol left"


@pytest.mark.parametrize(
    ("language", "expected", "absent"), [("en", "Opening entry", "ابتدائی"), ("ur", "حراست", "Opening entry")]
)
def test_diary_register_page_shows_system_entries_in_the_readers_language(
    client_a, station_a, officer_a, language, expected, absent
):
    diary_record(station=station_a, acting_user=officer_a, kind=DiaryKind.GENERAL, text="Patrol left")
    client_a.cookies["django_language"] = language
    for url in (
        reverse("stations:register_list", args=[station_a.code, "ii"]),
        reverse("stations:dashboard", args=[station_a.code]),
        reverse("stations:register_entry", args=[station_a.code, "ii", _opening(station_a).pk]),
    ):
        body = client_a.get(url).content.decode()
        assert expected in body, url
        assert absent not in body, url


def test_urdu_search_finds_a_system_entry(station_a, officer_a):
    diary_record(station=station_a, acting_user=officer_a, kind=DiaryKind.GENERAL, text="Patrol left")
    with translation.override("ur"):
        urdu = _opening(station_a).text
    word = urdu.split()[1]
    assert DiaryEntry.objects.filter(station=station_a, search_text__contains=word.lower()).exists()


def test_a_correction_replaces_the_systems_wording(station_a, officer_a):
    diary_record(station=station_a, acting_user=officer_a, kind=DiaryKind.GENERAL, text="Patrol left")
    opening = _opening(station_a)
    register_entry_correct(
        entry=opening, register=DIARY, acting_user=officer_a, data={"text": "Opening entry, corrected"}, reason="typo"
    )
    opening.refresh_from_db()
    assert opening.fact == {}
    with translation.override("ur"):
        assert opening.text == "Opening entry, corrected"


def test_an_unknown_template_is_refused_and_an_unknown_stored_one_falls_back():
    with pytest.raises(ValueError):
        fact_make("nobody.declared_this")
    assert fact_render({"template": "gone.away", "params": {}}) is None


def test_fir_entry_names_the_fir_in_urdu_words(station_a, officer_a):
    fact = fact_make("fir.registered", number=2, year=2026, sections=["302 PPC", "34 PPC"], name="Ali")
    assert fact_render(fact, "en") == "FIR No. 2/2026 registered under sections 302 PPC, 34 PPC on the report of Ali."
    urdu = fact_render(fact, "ur")
    assert "registered" not in urdu
    assert "\u2066302 PPC\u2069، \u206634 PPC\u2069" in urdu
    assert "2/2026" in urdu


def test_the_migration_turns_old_english_texts_into_facts_and_keeps_the_rest():
    migration = importlib.import_module("stations.migrations.0006_diary_facts_from_old_text")
    assert migration.parse("custody", "Opening entry. No person is in custody.") == {
        "template": CUSTODY_NONE,
        "params": {},
    }
    fir = migration.parse(
        "fir_registered", "FIR No. 2/2026 registered under sections 302 PPC, 34 PPC on the report of Ali Khan."
    )
    assert fir == {
        "template": "fir.registered",
        "params": {"number": "2", "year": "2026", "sections": ["302 PPC", "34 PPC"], "name": "Ali Khan"},
    }
    custody = migration.parse("custody", "Opening entry. Persons in custody: 1.\nAslam, FIR No. 1/2026 u/s 302 PPC")
    assert custody["params"]["people"] == "Aslam, FIR No. 1/2026 u/s 302 PPC"
    assert migration.parse("fir_registered", "ایف آئی آر درج ہوئی") is None
    assert migration.parse("general", "Opening entry. No person is in custody.") is None


def test_the_migration_rewrites_old_rows_in_the_database_and_leaves_typed_ones(station_a, officer_a):
    from django.apps import apps

    migration = importlib.import_module("stations.migrations.0006_diary_facts_from_old_text")
    typed = diary_record(station=station_a, acting_user=officer_a, kind=DiaryKind.GENERAL, text="Patrol left")
    opening = _opening(station_a)
    # An entry written before facts, in English only. The migration runs before the versioning trigger
    # (stations 0008) exists, so the old row is made as it was then: with that trigger off.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending deferred checks, so ALTER TABLE may run
        cursor.execute("ALTER TABLE stations_registerentry DISABLE TRIGGER stations_registerentry_versioned")
        old = {"text": "Opening entry. No person is in custody."}
        DiaryEntry.objects.filter(pk=opening.pk).update(fact={}, data=old)
        cursor.execute("ALTER TABLE stations_registerentry ENABLE TRIGGER stations_registerentry_versioned")
    migration.forwards(apps, None)
    opening.refresh_from_db()
    typed.refresh_from_db()
    assert opening.fact == {"template": CUSTODY_NONE, "params": {}}
    assert typed.fact == {}
    with translation.override("ur"):
        assert "حراست" in opening.text


def test_opening_entry_lists_persons_in_custody_in_each_language(station_a, officer_a):
    from fir.catalogue import sections_seed
    from fir.models import Section
    from fir.services import arrest_record
    from tests.fir.factories import register

    sections_seed(Section)
    fir = register(station_a, officer_a)
    arrest_record(
        fir=fir,
        accused=fir.accused.first(),
        acting_user=officer_a,
        arrested_at=fir.occurred_from + dt.timedelta(hours=1),
        place="Main chowk",
    )
    DiaryEntry.objects.filter(station=station_a).update(created_at=timezone.now() - dt.timedelta(days=1))
    diary_record(station=station_a, acting_user=officer_a, kind=DiaryKind.GENERAL, text="Next day")
    opening = DiaryEntry.objects.filter(station=station_a, kind=DiaryKind.CUSTODY).order_by("-created_at").first()
    with translation.override("en"):
        assert "Bashir Ahmad, FIR No. 1/" in opening.text
    with translation.override("ur"):
        urdu = opening.text
    assert "Bashir Ahmad، ایف آئی آر نمبر 1/" in urdu
    assert "FIR No." not in urdu
    assert "زیر دفعات \u2066379 PPC, 380 PPC\u2069" in urdu  # section codes read left to right
    assert "\u2066" not in opening.data["text"]  # the English text has no isolates


def test_opening_entry_names_at_most_sixty_people_and_counts_the_rest():
    from stations.services import CUSTODY_LINES_MAX, _custody_lines

    people = [f"Person {n}, FIR No. {n}/2026" for n in range(75)]
    lines = _custody_lines(people)
    assert lines[:CUSTODY_LINES_MAX] == people[:CUSTODY_LINES_MAX]
    assert lines[-1] == "… and 15 more (see the arrests of each FIR)."
    assert sum(len(line) + 1 for line in lines) < 10_000
    assert _custody_lines(people[:3]) == people[:3]


def test_section_codes_in_an_urdu_entry_read_left_to_right_and_numbers_stay_plain(station_a, officer_a):
    """ "381-A PPC" inside Urdu text was drawn "-381 … A PPC"; a code is isolated, a plain number is not
    (isolating 1 and 2026 apart would draw 2026/1)."""
    fact = fact_make("fir.registered", number=160, year=2026, sections=["381-A PPC", "34 PPC"], name="Ali")
    urdu = fact_render(fact, "ur")
    assert "\u2066381-A PPC\u2069، \u206634 PPC\u2069" in urdu
    assert "160/2026" in urdu
    assert "\u2066" not in fact_render(fact, "en")
    assert "\u2066" not in fact_render(fact_make("fir.registered", number=1, year=2026, sections=[], name="علی"), "ur")
    entry = diary_record(station=station_a, acting_user=officer_a, kind=DiaryKind.GENERAL, text="x", fact=fact)
    assert "زیر دفعات 381-a ppc، 34 ppc درج" in entry.search_text and "\u2066" not in entry.search_text
