"""The criminal history timeline: FIRs naming the record's CNIC as accused, arrests, challans, outcomes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cro.selectors import record_history
from cro.services import records_merge
from fir.models import FirStatus
from fir.services import arrest_record, fir_status_change
from tests.factories import cro_record
from tests.fir.factories import register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sections(db):
    from fir.catalogue import sections_seed
    from fir.models import Section

    sections_seed(Section)


def test_timeline_lists_fir_arrest_challan_and_conviction(station_a, officer_a, cro_client):
    record = cro_record(
        name="Bashir Ahmad", cnic="35202-7654321-3", is_convicted=True, convicted_on=dt.date(2026, 1, 2)
    )
    fir = register(station_a, officer_a)  # names 35202-7654321-3 as accused
    other = register(station_a, officer_a, accused=[{"name": "Someone Else", "cnic": "35202-1111111-1"}])
    accused = fir.accused.get()
    arrest_record(
        fir=fir,
        accused=accused,
        acting_user=officer_a,
        arrested_at=timezone.now() - dt.timedelta(minutes=5),
        place="Bus stand",
    )
    fir = fir_status_change(fir=fir, acting_user=officer_a, to_status=FirStatus.UNDER_INVESTIGATION)
    fir = fir_status_change(
        fir=fir, acting_user=officer_a, to_status=FirStatus.CHALLAN_SUBMITTED, challan_kind="complete"
    )
    events = record_history(record=record)
    kinds = [e.kind for e in events]
    assert {"fir", "arrest", "challan", "status"} <= set(kinds)
    assert all(other.get_absolute_url() != e.url for e in events)
    assert [e.when for e in events] == sorted((e.when for e in events), reverse=True)
    page = cro_client.get(reverse("cro:detail", args=[record.pk])).content.decode()
    assert "Criminal history" in page and f"Accused in {fir.label}" in page and "Bus stand" in page


def test_timeline_includes_firs_of_merged_duplicates(station_a, officer_a, cro_officer):
    keep = cro_record(name="Bashir Ahmad", cnic="35202-9999999-1")
    dup = cro_record(name="Basheer Ahmed", cnic="35202-7654321-3")
    fir = register(station_a, officer_a)
    records_merge(keep=keep, duplicate=dup, acting_user=cro_officer)
    assert [e.url for e in record_history(record=keep) if e.kind == "fir"] == [fir.get_absolute_url()]


def test_record_without_cnic_has_only_its_own_statuses(station_a, officer_a):
    record = cro_record(
        name="Bashir Ahmad", is_wanted=True, wanted_since=dt.date(2026, 1, 1), wanted_fir_number="1/2026"
    )
    register(station_a, officer_a)
    assert [e.kind for e in record_history(record=record)] == ["status"]
