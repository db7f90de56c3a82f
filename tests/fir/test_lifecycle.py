from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casp.roles import Role
from fir.models import Arrest, FirStatus, StatusChange
from fir.services import arrest_custody_end, arrest_record, fir_assign_io, fir_status_change
from stations.models import DiaryEntry, DiaryKind
from stations.services import diary_record
from tests.factories import posted_user
from tests.fir.factories import register

pytestmark = pytest.mark.django_db


def _move(fir, user, *steps):
    for step in steps:
        to, kw = (step, {}) if isinstance(step, str) else step
        fir = fir_status_change(fir=fir, acting_user=user, to_status=to, **kw)
    return fir


COMPLETE = (FirStatus.CHALLAN_SUBMITTED, {"challan_kind": "complete"})


@pytest.mark.parametrize(
    "steps",
    [
        [FirStatus.UNDER_INVESTIGATION],
        [FirStatus.UNDER_INVESTIGATION, COMPLETE],
        [FirStatus.UNDER_INVESTIGATION, (FirStatus.CHALLAN_SUBMITTED, {"challan_kind": "interim"}), COMPLETE],
        [FirStatus.UNDER_INVESTIGATION, (FirStatus.CHALLAN_SUBMITTED, {"challan_kind": "incomplete"})],
        [
            FirStatus.UNDER_INVESTIGATION,
            (FirStatus.CANCELLED, {"reason": "false report", "order_reference": "JM-12/26"}),
        ],
        [FirStatus.UNDER_INVESTIGATION, FirStatus.UNTRACED],
        [FirStatus.UNDER_INVESTIGATION, FirStatus.UNTRACED, FirStatus.UNDER_INVESTIGATION],
        [FirStatus.UNDER_INVESTIGATION, COMPLETE, (FirStatus.CONVICTED, {"order_reference": "Sessions 4/26"})],
        [FirStatus.UNDER_INVESTIGATION, COMPLETE, (FirStatus.ACQUITTED, {"order_reference": "Sessions 5/26"})],
    ],
    ids=[
        "investigate",
        "challan",
        "interim_then_complete",
        "incomplete",
        "cancel",
        "untraced",
        "reopen",
        "convicted",
        "acquitted",
    ],  # fmt: skip
)
def test_each_allowed_transition_is_recorded(station_a, officer_a, steps):
    fir = _move(register(station_a, officer_a), officer_a, *steps)
    last = steps[-1] if isinstance(steps[-1], str) else steps[-1][0]
    fir.refresh_from_db()
    assert fir.status == last
    assert StatusChange.objects.filter(fir=fir).count() == len(steps)
    assert StatusChange.objects.filter(fir=fir).last().changed_by == officer_a


@pytest.mark.parametrize(
    ("steps", "bad", "field"),
    [
        ([], (FirStatus.CHALLAN_SUBMITTED, {"challan_kind": "complete"}), "to_status"),
        ([], (FirStatus.CONVICTED, {"order_reference": "x"}), "to_status"),
        ([FirStatus.UNDER_INVESTIGATION], (FirStatus.REGISTERED, {}), "to_status"),
        ([FirStatus.UNDER_INVESTIGATION], (FirStatus.CHALLAN_SUBMITTED, {}), "challan_kind"),
        ([FirStatus.UNDER_INVESTIGATION], (FirStatus.CANCELLED, {"order_reference": "JM-1"}), "reason"),
        ([FirStatus.UNDER_INVESTIGATION], (FirStatus.CANCELLED, {"reason": "civil dispute"}), "order_reference"),
        ([FirStatus.UNDER_INVESTIGATION, COMPLETE], COMPLETE, "challan_kind"),
        (
            [FirStatus.UNDER_INVESTIGATION, FirStatus.UNTRACED],
            (FirStatus.CONVICTED, {"order_reference": "x"}),
            "to_status",
        ),
        (
            [FirStatus.UNDER_INVESTIGATION, (FirStatus.CANCELLED, {"reason": "r", "order_reference": "o"})],
            (FirStatus.UNDER_INVESTIGATION, {}),
            "to_status",
        ),  # fmt: skip
    ],
    ids=[
        "challan_before_investigation",
        "convicted_from_registered",
        "back_to_registered",
        "challan_without_kind",
        "cancel_without_reason",
        "cancel_without_order",
        "second_complete_challan",
        "convict_untraced",
        "reopen_cancelled",
    ],  # fmt: skip
)
def test_transition_not_allowed_is_refused_and_nothing_changes(station_a, officer_a, steps, bad, field):
    fir = _move(register(station_a, officer_a), officer_a, *steps)
    before = (fir.status, StatusChange.objects.filter(fir=fir).count())
    with pytest.raises(ValidationError) as exc:
        fir_status_change(fir=fir, acting_user=officer_a, to_status=bad[0], **bad[1])
    assert field in exc.value.message_dict
    fir.refresh_from_db()
    assert (fir.status, StatusChange.objects.filter(fir=fir).count()) == before


def test_investigating_officer_may_change_only_assigned_cases(station_a, officer_a, colleague_a):
    io = posted_user(Role.INVESTIGATING_OFFICER, station=station_a, username="io_a")
    fir = register(station_a, officer_a)
    with pytest.raises(ValidationError):
        fir_status_change(fir=fir, acting_user=io, to_status=FirStatus.UNDER_INVESTIGATION)
    with pytest.raises(ValidationError):
        fir_assign_io(fir=fir, acting_user=officer_a, officer=io)  # a clerk does not assign
    fir_assign_io(fir=fir, acting_user=colleague_a, officer=io)
    fir = fir_status_change(fir=fir, acting_user=io, to_status=FirStatus.UNDER_INVESTIGATION)
    assert fir.status == FirStatus.UNDER_INVESTIGATION


def test_arrest_is_recorded_in_the_daily_diary_and_the_custody_roll(station_a, officer_a):
    fir = register(station_a, officer_a)
    accused = fir.accused.get()
    at = timezone.now() - dt.timedelta(minutes=20)
    arrest = arrest_record(fir=fir, accused=accused, acting_user=officer_a, arrested_at=at, place="Bus stand")
    entry = DiaryEntry.objects.get(kind=DiaryKind.ARREST)
    assert arrest.diary_entry_id == entry.pk and entry.received_at == at
    assert "Bashir Ahmad arrested in FIR No. 1/" in entry.text
    # Tomorrow's opening entry lists him; after custody ends it no longer does.
    DiaryEntry.objects.filter(kind=DiaryKind.CUSTODY).update(created_at=timezone.now() - dt.timedelta(days=1))
    diary_record(station=station_a, acting_user=officer_a, kind="general", text="morning")
    roll = DiaryEntry.objects.filter(kind=DiaryKind.CUSTODY).order_by("-number").first()
    assert "Bashir Ahmad, FIR No. 1/" in roll.text and "379 PPC" in roll.text
    arrest_custody_end(arrest=arrest, acting_user=officer_a, reason="remanded to judicial lock-up")
    from stations.services import _persons_in_custody

    assert _persons_in_custody(station_a) == []


def test_arrest_bad_input_is_refused(station_a, officer_a):
    fir = register(station_a, officer_a)
    accused = fir.accused.get()
    with pytest.raises(ValidationError) as exc:
        arrest_record(
            fir=fir,
            accused=accused,
            acting_user=officer_a,
            arrested_at=timezone.now() + dt.timedelta(hours=1),
            place="x",
        )
    assert "arrested_at" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        arrest_record(fir=fir, accused=accused, acting_user=officer_a, arrested_at=timezone.now(), place=" ")
    assert "place" in exc.value.message_dict
    assert not Arrest.objects.exists()
