from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casp.models import AuditEvent
from cro import services
from cro.models import CriminalRecord, RecordAlias
from tests.factories import cro_record

pytestmark = pytest.mark.django_db


def test_record_create_stores_search_keys_and_audits(cro_officer):
    record = services.record_create(
        acting_user=cro_officer,
        data={"name": "Mohd. Yousaf Choudhary", "father_name": "Ghulam Rasool", "cnic": "35202-1234567-1"},
        aliases=["Chhota"],
    )
    record.refresh_from_db()
    assert record.cnic == "3520212345671"
    assert "muhammad yusuf chaudhry" in record.search_text
    assert "chhota" in record.search_text
    assert "ASF" in record.name_codes  # yusuf
    event = AuditEvent.objects.get(action="cro.record_created", target_id=str(record.pk))
    assert event.actor == cro_officer


def test_record_without_cnic_can_be_created_twice(cro_officer):
    cro_record(name="Unknown Man")
    cro_record(name="Unknown Man 2")
    assert CriminalRecord.objects.filter(cnic__isnull=True).count() == 2


def test_height_out_of_range_is_refused_and_nothing_saved(cro_officer):
    with pytest.raises(ValidationError) as exc:
        services.record_create(acting_user=cro_officer, data={"name": "X", "height_cm": 900})
    assert "height_cm" in exc.value.message_dict
    assert not CriminalRecord.objects.exists()


def test_create_view_with_existing_cnic_leads_to_existing_record(cro_client):
    existing = cro_record(name="Asif Ali", cnic="35202-1234567-1")
    response = cro_client.post(reverse("cro:create"), {"name": "Another", "cnic": "3520212345671", "gender": "male"})
    assert response.status_code == 302
    assert response.url == existing.get_absolute_url()
    assert CriminalRecord.objects.count() == 1


def test_create_view_shows_possible_duplicates_first(cro_client):
    existing = cro_record(name="Muhammad Yousaf", father_name="Abdul Rehman", date_of_birth=datetime.date(1990, 1, 1))
    data = {"name": "Mohd Yusuf", "father_name": "Abdul Rahman", "date_of_birth": "1990-01-01", "gender": "male"}
    response = cro_client.post(reverse("cro:create"), data)
    assert response.status_code == 200
    assert "Possible duplicates" in response.content.decode()
    assert existing.get_absolute_url() in response.content.decode()
    assert CriminalRecord.objects.count() == 1
    response = cro_client.post(reverse("cro:create"), {**data, "confirm_new": "on"})
    assert response.status_code == 302
    assert CriminalRecord.objects.count() == 2


def test_create_view_malformed_cnic_names_the_field(cro_client):
    response = cro_client.post(reverse("cro:create"), {"name": "X", "cnic": "12345", "gender": "male"})
    assert response.status_code == 200
    assert "A CNIC has 13 digits" in response.content.decode()
    assert not CriminalRecord.objects.exists()


def test_create_view_wanted_without_station_or_fir_is_refused(cro_client):
    response = cro_client.post(reverse("cro:create"), {"name": "X", "gender": "male", "is_wanted": "on"})
    assert response.status_code == 200
    assert "Say which station wants the person" in response.content.decode()
    assert not CriminalRecord.objects.exists()


def test_edit_view_updates_aliases_and_search_keys(cro_client, station_a):
    record = cro_record(name="Imran Khan", gender="male")
    data = {
        "name": "Imran Khan", "gender": "male", "aliases": "Immi\nKaka", "is_wanted": "on",
        "wanted_by_station": station_a.pk, "wanted_since": "2026-01-02",
    }  # fmt: skip
    response = cro_client.post(reverse("cro:edit", args=[record.pk]), data)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.is_wanted and record.wanted_by_station == station_a
    assert set(RecordAlias.objects.filter(record=record).values_list("name", flat=True)) == {"Immi", "Kaka"}
    assert "kaka" in record.search_text
    event = AuditEvent.objects.get(action="cro.record_updated", target_id=str(record.pk))
    assert "aliases" in event.data["changes"] and "is_wanted" in event.data["changes"]


def test_merge_keeps_both_histories_and_is_audited(cro_client, cro_officer):
    keep = cro_record(name="Tariq Mehmood")
    dup = cro_record(name="Tarik Mahmood", cnic="35202-7654321-3", aliases=["Tara"])
    response = cro_client.post(reverse("cro:merge", args=[keep.pk]), {"duplicate": dup.pk, "confirm": "on"})
    assert response.status_code == 302
    keep.refresh_from_db()
    dup.refresh_from_db()
    assert dup.merged_into == keep
    assert keep.cnic == "3520276543213"  # moved from the duplicate, which had the only CNIC
    assert {"Tarik Mahmood", "Tara"} <= set(keep.aliases.values_list("name", flat=True))
    assert AuditEvent.objects.filter(action="cro.record_merged", target_id=str(keep.pk)).exists()
    assert AuditEvent.objects.filter(action="cro.record_merged_away", target_id=str(dup.pk)).exists()
    # the duplicate's page still opens and points at the survivor
    page = cro_client.get(reverse("cro:detail", args=[dup.pk]))
    assert keep.get_absolute_url() in page.content.decode()


def test_a_record_merged_into_a_duplicate_follows_it_to_the_survivor(cro_officer, station_b):
    """A -> B, then B -> C: A leads to C in one step (a CNIC match or a link never lands on a merged record),
    and the change to A is audited."""
    from cro.matching import match_cnics

    first = cro_record(name="Tariq Mehmood", cnic="35202-7654321-3")
    middle = cro_record(name="Tarik Mahmood", cnic="35202-7654321-5")
    survivor = cro_record(name="Tariq Mahmood", cnic="35202-7654321-7", is_wanted=True, wanted_by_station=station_b)
    services.records_merge(keep=middle, duplicate=first, acting_user=cro_officer)
    services.records_merge(keep=survivor, duplicate=middle, acting_user=cro_officer)
    first.refresh_from_db()
    assert first.merged_into == survivor
    assert match_cnics(["3520276543213"]) == {"3520276543213": survivor}
    assert AuditEvent.objects.filter(
        action="cro.record_merged_away", target_id=str(first.pk), data__through=middle.pk
    ).exists()


def test_the_migration_leads_links_merged_before_the_fix_to_the_survivor_in_one_step(db):
    """Rows merged before records_merge re-pointed them (A -> B -> C -> D) are led to D by migration 0004."""
    import importlib

    from django.db import connection

    chain = [cro_record(name=f"Person {i}") for i in range(4)]
    for record, into in zip(chain, chain[1:], strict=False):
        CriminalRecord.objects.filter(pk=record.pk).update(merged_into=into)
    migration = importlib.import_module("cro.migrations.0004_merge_links_one_step")
    with connection.cursor() as cursor:
        cursor.execute(migration.FLATTEN)
    links = dict(CriminalRecord.objects.filter(pk__in=[r.pk for r in chain]).values_list("pk", "merged_into_id"))
    assert links == {chain[0].pk: chain[3].pk, chain[1].pk: chain[3].pk, chain[2].pk: chain[3].pk, chain[3].pk: None}


def test_merge_into_itself_is_refused(cro_officer):
    record = cro_record(name="A")
    with pytest.raises(ValidationError):
        services.records_merge(keep=record, duplicate=record, acting_user=cro_officer)


def test_urdu_record_page_calls_it_a_record_not_the_verb_record(cro_client, roles):
    from tests.factories import cro_record

    record = cro_record(name="Aslam", father_name="Bashir")
    cro_client.cookies["django_language"] = "ur"
    page = cro_client.get(record.get_absolute_url()).content.decode()
    assert "درج کریں" not in page
    assert "ریکارڈ" in page
