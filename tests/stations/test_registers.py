from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casp.models import AuditEvent
from stations.models import DiaryEntry, DiaryKind, RegisterEntry, RegisterEntryVersion
from stations.registers import BY_CODE, REGISTERS
from stations.services import diary_record, register_entry_add, register_entry_correct, register_entry_void
from tests.concurrency import run_concurrently

pytestmark = pytest.mark.django_db
SUSPECTS = BY_CODE["xi"]


def _add(station, user, name="Aslam", reason="loitering at night"):
    return register_entry_add(
        station=station, register=SUSPECTS, acting_user=user, data={"name": name, "reason": reason}
    )


def _correct_name(entry, user, name="Aslam Khan"):
    return register_entry_correct(
        entry=entry,
        register=SUSPECTS,
        acting_user=user,
        data={"name": name, "reason": "loitering at night"},
        reason="surname omitted",
    )


def test_catalogue_declares_25_registers_with_a_source_each():
    assert [r.roman for r in REGISTERS][:3] == ["I", "II", "III"]
    assert len(REGISTERS) == 25
    assert len({r.code for r in REGISTERS}) == 25
    assert all(r.source for r in REGISTERS)
    assert {r.roman for r in REGISTERS if r.confirmed} == {"I", "II", "X"}


def test_entries_are_numbered_per_station_per_register(station_a, station_b, officer_a, officer_b):
    first, second = _add(station_a, officer_a), _add(station_a, officer_a)
    other = _add(station_b, officer_b)
    diary = diary_record(station=station_a, acting_user=officer_a, kind="general", text="Patrol left")
    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert first.year == timezone.localdate().year
    # The diary has its own numbers (its first entry of the day is the custody roll).
    assert diary.number == 2
    assert AuditEvent.objects.filter(action="stations.register_xi.entry_added", target_id=str(first.pk)).exists()


def test_missing_required_column_names_the_column_and_saves_nothing(station_a, officer_a):
    with pytest.raises(ValidationError) as exc:
        register_entry_add(station=station_a, register=SUSPECTS, acting_user=officer_a, data={"name": "Aslam"})
    assert "reason" in exc.value.message_dict
    assert not RegisterEntry.objects.exists()


def test_correction_keeps_the_old_text_and_records_who_and_why(station_a, officer_a):
    entry = _add(station_a, officer_a)
    _correct_name(entry, officer_a)
    entry.refresh_from_db()
    assert entry.version == 2 and entry.data["name"] == "Aslam Khan"
    old, new = RegisterEntryVersion.objects.filter(entry=entry).order_by("version")
    assert old.data["name"] == "Aslam" and new.reason == "surname omitted" and new.created_by == officer_a


def test_correction_without_a_reason_is_refused_and_nothing_changes(station_a, officer_a):
    entry = _add(station_a, officer_a)
    with pytest.raises(ValidationError) as exc:
        register_entry_correct(
            entry=entry, register=SUSPECTS, acting_user=officer_a, data={"name": "X", "reason": "y"}, reason="  "
        )
    assert "reason" in exc.value.message_dict
    entry.refresh_from_db()
    assert entry.version == 1 and entry.data["name"] == "Aslam"
    assert RegisterEntryVersion.objects.filter(entry=entry).count() == 1


def test_only_the_sho_may_void_and_the_entry_stays(station_a, officer_a, colleague_a):
    entry = _add(station_a, officer_a)
    with pytest.raises(ValidationError):
        register_entry_void(entry=entry, acting_user=officer_a, reason="duplicate")
    with pytest.raises(ValidationError):
        register_entry_void(entry=entry, acting_user=colleague_a, reason="")
    register_entry_void(entry=entry, acting_user=colleague_a, reason="duplicate of 1")
    entry.refresh_from_db()
    assert entry.is_void and entry.voided_by == colleague_a
    assert RegisterEntry.objects.filter(pk=entry.pk).exists()


def test_database_refuses_deleting_an_entry_or_rewriting_a_version(station_a, officer_a):
    entry = _add(station_a, officer_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterEntryVersion.objects.filter(entry=entry).update(data={"name": "erased"})
    assert RegisterEntryVersion.objects.get(entry=entry).data["name"] == "Aslam"


def test_database_refuses_new_entry_data_without_its_version_row(station_a, officer_a):
    entry = _add(station_a, officer_a)
    with pytest.raises(IntegrityError, match="data changes only with a new version row"), transaction.atomic():
        RegisterEntry.objects.filter(pk=entry.pk).update(data={"name": "Someone else", "reason": "x"})
    with pytest.raises(IntegrityError, match="data changes only with a new version row"), transaction.atomic():
        # A raised version number without the row to match is refused too.
        RegisterEntry.objects.filter(pk=entry.pk).update(data={"name": "Someone else", "reason": "x"}, version=2)
    with pytest.raises(IntegrityError, match="never change"), transaction.atomic():
        RegisterEntry.objects.filter(pk=entry.pk).update(number=entry.number + 100)
    entry.refresh_from_db()
    assert entry.data["name"] == "Aslam" and entry.version == 1


def test_a_correction_through_the_service_passes_the_version_trigger(station_a, officer_a):
    entry = _correct_name(_add(station_a, officer_a), officer_a)
    entry.refresh_from_db()
    assert entry.version == 2 and entry.data["name"] == "Aslam Khan"
    assert RegisterEntryVersion.objects.get(entry=entry, version=2).data == entry.data


def test_first_diary_entry_of_the_day_lists_persons_in_custody(station_a, officer_a):
    entry = diary_record(
        station=station_a,
        acting_user=officer_a,
        kind=DiaryKind.GENERAL,
        text="Constable left on patrol",
        received_at=timezone.now() - dt.timedelta(minutes=30),
    )
    opening = DiaryEntry.objects.get(station=station_a, number=1)
    assert opening.kind == DiaryKind.CUSTODY and "custody" in opening.text
    assert entry.number == 2 and entry.received_at is not None
    diary_record(station=station_a, acting_user=officer_a, kind=DiaryKind.GENERAL, text="Returned")
    assert DiaryEntry.objects.filter(station=station_a, kind=DiaryKind.CUSTODY).count() == 1


def test_diary_record_with_a_source_is_idempotent(station_a, officer_a, officer_b):
    first = diary_record(
        station=station_a, acting_user=officer_a, kind="complaint_received", text="C-1", source=officer_b
    )
    again = diary_record(
        station=station_a, acting_user=officer_a, kind="complaint_received", text="C-1", source=officer_b
    )
    assert first.pk == again.pk
    assert DiaryEntry.objects.filter(kind="complaint_received").count() == 1


def test_diary_refuses_an_unknown_kind_and_a_future_hour_received(station_a, officer_a):
    with pytest.raises(ValidationError) as exc:
        diary_record(station=station_a, acting_user=officer_a, kind="gossip", text="x")
    assert "kind" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        diary_record(
            station=station_a,
            acting_user=officer_a,
            kind="general",
            text="x",
            received_at=timezone.now() + dt.timedelta(hours=2),
        )
    assert "received_at" in exc.value.message_dict
    assert not DiaryEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_get_every_number_once(station_a, officer_a):
    _results, errors = run_concurrently(8, lambda: [_add(station_a, officer_a) for _ in range(5)])
    assert errors == []
    numbers = sorted(RegisterEntry.objects.filter(register="xi").values_list("number", flat=True))
    assert numbers == list(range(1, 41))


def _diary(station, user, text="Patrol returned", **kw):
    return diary_record(station=station, acting_user=user, kind=DiaryKind.GENERAL, text=text, **kw)


@pytest.mark.django_db(transaction=True)
def test_once_the_days_opening_entry_is_committed_later_entries_skip_its_look_up_and_stay_gap_free(
    station_a, station_b, officer_a, officer_b
):
    first = _diary(station_a, officer_a)  # commits the opening entry (1) and this one (2)
    with CaptureQueriesContext(connection) as first_of_b:
        _diary(station_b, officer_b)
    with CaptureQueriesContext(connection) as later:
        second = _diary(station_a, officer_a, text="Constable left on patrol")
    assert (first.number, second.number) == (2, 3)
    sql = [q["sql"] for q in later.captured_queries]
    assert not any("custody" in q for q in sql), sql  # the opening entry is not looked up again
    assert len(sql) < len(first_of_b.captured_queries) - 2
    # A rolled-back entry gives its number back, and the opening entry stays written once a day.
    with pytest.raises(RuntimeError), transaction.atomic():
        _diary(station_a, officer_a, text="never kept")
        raise RuntimeError
    assert _diary(station_a, officer_a, text="Visitor").number == 4
    assert DiaryEntry.objects.filter(station=station_a, kind=DiaryKind.CUSTODY).count() == 1
    _results, errors = run_concurrently(6, lambda: [_diary(station_a, officer_a) for _ in range(4)])
    assert errors == []
    numbers = sorted(DiaryEntry.objects.filter(station=station_a).values_list("number", flat=True))
    assert numbers == list(range(1, 29))


@pytest.mark.django_db(transaction=True)
def test_an_opening_entry_rolled_back_is_written_again_by_the_next_entry(station_a, officer_a):
    with pytest.raises(RuntimeError), transaction.atomic():
        _diary(station_a, officer_a, text="never kept")
        raise RuntimeError
    entry = _diary(station_a, officer_a)
    assert entry.number == 2
    assert DiaryEntry.objects.get(station=station_a, number=1).kind == DiaryKind.CUSTODY


def test_a_new_day_gets_its_own_opening_entry(station_a, officer_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _diary(station_a, officer_a)
    tomorrow = timezone.now() + dt.timedelta(days=1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "now", lambda: tomorrow)
        entry = _diary(station_a, officer_a)
    assert DiaryEntry.objects.filter(station=station_a, kind=DiaryKind.CUSTODY).count() == 2
    new_year = timezone.localtime(tomorrow).year != timezone.localtime().year  # numbers start again each year
    assert entry.number == (2 if new_year else 4)
    assert DiaryEntry.objects.get(station=station_a, year=entry.year, number=entry.number - 1).kind == "custody"


# --- views ---------------------------------------------------------------------------------


def test_clerk_adds_an_entry_through_the_generic_form(client_a, station_a):
    url = reverse("stations:register_add", args=[station_a.code, "xi"])
    response = client_a.post(url, {"name": "Bashir", "reason": "seen near the bank", "cnic": "35202-1234567-1"})
    assert response.status_code == 302
    entry = RegisterEntry.objects.get(register="xi")
    assert entry.data["cnic"] == "3520212345671"


def test_form_error_names_the_missing_column(client_a, station_a):
    url = reverse("stations:register_add", args=[station_a.code, "xi"])
    response = client_a.post(url, {"name": "Bashir"})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not RegisterEntry.objects.exists()


def test_correction_form_without_reason_is_refused(client_a, station_a, officer_a):
    entry = _add(station_a, officer_a)
    url = reverse("stations:register_entry_correct", args=[station_a.code, "xi", entry.pk])
    response = client_a.post(url, {"name": "Other", "reason": "loitering at night"})
    assert response.status_code == 200
    assert "reason for the correction" in response.context["form"].errors["correction_reason"][0]
    entry.refresh_from_db()
    assert entry.version == 1


def test_clerk_of_other_station_gets_404(client, officer_b, station_a, officer_a):
    entry = _add(station_a, officer_a)
    client.force_login(officer_b)
    for url in (
        reverse("stations:register_list", args=[station_a.code, "xi"]),
        reverse("stations:register_entry", args=[station_a.code, "xi", entry.pk]),
        reverse("stations:register_add", args=[station_a.code, "xi"]),
        reverse("stations:dashboard", args=[station_a.code]),
    ):
        assert client.get(url).status_code == 404


def test_every_generic_register_page_renders(client_a, station_a):
    for register in REGISTERS:
        if not register.is_generic:
            continue
        assert client_a.get(reverse("stations:register_list", args=[station_a.code, register.code])).status_code == 200
        assert client_a.get(reverse("stations:register_add", args=[station_a.code, register.code])).status_code == 200


def test_corrected_entry_page_shows_old_text_struck_through(client_a, station_a, officer_a):
    entry = _add(station_a, officer_a)
    _correct_name(entry, officer_a)
    html = client_a.get(reverse("stations:register_entry", args=[station_a.code, "xi", entry.pk])).content.decode()
    assert 'class="struck">name: <bdi>Aslam</bdi><' in html and "surname omitted" in html


def test_register_list_query_count_does_not_grow_with_rows(client_a, station_a, officer_a):
    url = reverse("stations:register_list", args=[station_a.code, "xi"])
    _add(station_a, officer_a)
    client_a.get(url)
    with CaptureQueriesContext(connection) as one:
        client_a.get(url)
    for i in range(15):
        _add(station_a, officer_a, name=f"N{i}")
    with CaptureQueriesContext(connection) as many:
        response = client_a.get(url)
    assert len(response.context["rows"]) == 16
    assert len(many) == len(one)


def test_register_search_finds_by_name(client_a, station_a, officer_a):
    _add(station_a, officer_a, name="Bashir")
    _add(station_a, officer_a, name="Qadir")
    response = client_a.get(reverse("stations:register_list", args=[station_a.code, "xi"]), {"q": "bash"})
    assert [e.data["name"] for e, _ in response.context["rows"]] == ["Bashir"]


def test_clerk_writes_the_daily_diary_with_the_hour_received(client_a, station_a):
    received = (timezone.localtime() - dt.timedelta(minutes=40)).strftime("%Y-%m-%dT%H:%M")
    url = reverse("stations:register_add", args=[station_a.code, "ii"])
    client_a.post(url, {"kind": "departure", "received_at": received, "text": "ASI Bashir left for patrol"})
    entry = DiaryEntry.objects.get(kind=DiaryKind.DEPARTURE)
    assert entry.number == 2 and entry.received_at is not None  # 1 is the custody roll
    html = client_a.get(reverse("stations:register_list", args=[station_a.code, "ii"])).content.decode()
    assert "ASI Bashir left for patrol" in html and "Departure of officers" in html


def test_diary_form_refuses_a_future_hour_received(client_a, station_a):
    received = (timezone.localtime() + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    url = reverse("stations:register_add", args=[station_a.code, "ii"])
    response = client_a.post(url, {"kind": "general", "received_at": received, "text": "x"})
    assert "cannot be in the future" in response.context["form"].errors["received_at"][0]
    assert not DiaryEntry.objects.exists()


def test_print_view_dates_its_printing_day_month_year(client_a, station_a, officer_a):
    entry = register_entry_add(
        station=station_a, register=BY_CODE["xi"], acting_user=officer_a, data={"name": "Aslam", "reason": "loitering"}
    )
    url = reverse("stations:register_entry", args=[station_a.code, "xi", entry.pk])
    page = client_a.get(url, {"print": 1}).content.decode()
    assert timezone.localdate().strftime("%d-%m-%Y") in page
    assert timezone.localdate().isoformat() not in page
