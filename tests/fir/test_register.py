from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from casp.models import AuditEvent
from fir.models import Accused, CaseNote, Fir
from fir.services import fir_note_add, fir_register
from stations.models import DiaryEntry, DiaryKind
from tests.concurrency import run_concurrently
from tests.fir.factories import fir_data, register

pytestmark = pytest.mark.django_db


def test_registration_numbers_per_station_per_year_and_writes_the_diary(station_a, station_b, officer_a, officer_b):
    first, second = register(station_a, officer_a), register(station_a, officer_a)
    other = register(station_b, officer_b)
    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert first.year == timezone.localdate().year
    assert str(first) == f"FIR No. 1/{first.year}"
    assert sorted(str(s) for s in first.sections.all()) == ["379 PPC", "380 PPC"]
    assert first.accused.get().cnic == "3520276543213"
    assert first.writing_officer == officer_a
    diary = DiaryEntry.objects.get(kind=DiaryKind.FIR_REGISTERED, source_id=str(first.pk))
    assert "FIR No. 1/" in diary.text and diary.received_at == first.reported_at
    assert AuditEvent.objects.filter(action="fir.registered", target_id=str(first.pk)).exists()


def test_double_submitted_form_creates_one_fir(station_a, officer_a):
    data = fir_data()
    first = fir_register(station=station_a, acting_user=officer_a, data=data)
    again = fir_register(station=station_a, acting_user=officer_a, data=data)
    assert first.pk == again.pk
    assert Fir.objects.count() == 1
    assert register(station_a, officer_a).number == 2


@pytest.mark.parametrize(
    ("field", "overrides", "message"),
    [
        ("occurred_from", {"occurred_from": timezone.now() + dt.timedelta(minutes=1)}, "after the report time"),
        ("reported_at", {"reported_at": timezone.now() + dt.timedelta(hours=1)}, "future"),
        ("sections", {"sections": "379 PPC, 999 PPC"}, "Unknown section: 999 PPC"),
        ("complainant_cnic", {"complainant_cnic": "35202-12345"}, "13 digits"),
        ("facts", {"facts": "   "}, "cannot be empty"),
        ("accused-0-cnic", {"accused": [{"name": "X", "cnic": "9999"}]}, "13 digits"),
    ],
    ids=[
        "occurrence_after_report",
        "report_in_future",
        "unknown_section",
        "malformed_cnic",
        "empty_facts",
        "malformed_accused_cnic",
    ],  # fmt: skip
)
def test_bad_input_names_the_field_and_saves_nothing(station_a, officer_a, field, overrides, message):
    with pytest.raises(ValidationError) as exc:
        register(station_a, officer_a, **overrides)
    assert message in " ".join(exc.value.message_dict[field])
    assert not Fir.objects.exists()
    assert not Accused.objects.exists()
    assert not DiaryEntry.objects.exists()
    # The refused registration gave no number away.
    assert register(station_a, officer_a).number == 1


def test_fir_text_cannot_be_edited_or_deleted(station_a, officer_a):
    fir = register(station_a, officer_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Fir.objects.filter(pk=fir.pk).update(facts="rewritten")
    with pytest.raises(IntegrityError), transaction.atomic():
        Fir.objects.filter(pk=fir.pk).update(complainant_name="someone else")
    with pytest.raises(IntegrityError), transaction.atomic():
        Fir.objects.filter(pk=fir.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        fir.sections.clear()
    with pytest.raises(IntegrityError), transaction.atomic():
        Accused.objects.filter(fir=fir).update(name="someone else")
    fir.refresh_from_db()
    assert fir.facts.startswith("My motorcycle") and fir.sections.count() == 2


def test_later_information_goes_into_timestamped_attributed_notes(station_a, officer_a):
    fir = register(station_a, officer_a)
    note = fir_note_add(fir=fir, acting_user=officer_a, kind="supplementary", text="The thief wore a red cap.")
    diary = fir_note_add(fir=fir, acting_user=officer_a, kind="case_diary", text="Visited the spot.")
    assert note.recorded_by == officer_a and note.recorded_at is not None
    assert list(fir.notes.values_list("kind", flat=True)) == ["supplementary", "case_diary"]
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseNote.objects.filter(pk=diary.pk).update(text="changed")
    with pytest.raises(ValidationError) as exc:
        fir_note_add(fir=fir, acting_user=officer_a, kind="supplementary", text=" ")
    assert "text" in exc.value.message_dict


def test_unknown_accused_needs_a_description(station_a, officer_a):
    with pytest.raises(ValidationError) as exc:
        register(station_a, officer_a, accused=[{"is_unknown": True}])
    assert "accused-0-description" in exc.value.message_dict
    fir = register(station_a, officer_a, accused=[{"is_unknown": True, "description": "tall, red cap"}])
    assert fir.accused.get().is_unknown


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_registrations_get_numbers_1_to_n_once(station_a, officer_a):
    _results, errors = run_concurrently(20, lambda: [register(station_a, officer_a) for _ in range(3)])
    assert errors == []
    assert sorted(Fir.objects.values_list("number", flat=True)) == list(range(1, 61))
    assert DiaryEntry.objects.filter(kind=DiaryKind.FIR_REGISTERED).count() == 60


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submission_creates_one_fir(station_a, officer_a):
    data = fir_data()
    results, errors = run_concurrently(5, lambda: fir_register(station=station_a, acting_user=officer_a, data=data).pk)
    assert errors == []
    assert len(set(results)) == 1 and Fir.objects.count() == 1


def test_naive_datetimes_from_other_apps_are_read_as_local_time(station_a, officer_a):
    now = timezone.localtime().replace(tzinfo=None)
    fir = register(station_a, officer_a, reported_at=now, occurred_from=now - dt.timedelta(hours=1))
    assert timezone.localtime(fir.reported_at).replace(tzinfo=None) == now
