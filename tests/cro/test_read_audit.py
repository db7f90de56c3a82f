"""Issue 11, finding 5: the record edit form and the list of latest records are reads, and are logged."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casp.models import AuditEvent
from cro.selectors import record_access_log
from tests.factories import cro_record

pytestmark = pytest.mark.django_db


def test_opening_the_edit_form_logs_a_view_of_the_record(cro_client, cro_officer):
    record = cro_record(name="Asif Edit")
    response = cro_client.get(reverse("cro:edit", args=[record.pk]), REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 200 and "Asif Edit" in response.content.decode()
    event = AuditEvent.objects.get(action="cro.record_viewed", target_id=str(record.pk))
    assert event.actor == cro_officer and event.is_read and event.ip_address == "10.9.8.7"
    assert event.data == {"form": "edit"}
    assert event in record_access_log(cro_officer, record=record)


def test_saving_the_edit_form_is_a_change_not_a_second_view(cro_client):
    record = cro_record(name="Asif Edit")
    cro_client.post(reverse("cro:edit", args=[record.pk]), {"name": "Asif Edited", "father_name": "Test Father"})
    assert not AuditEvent.objects.filter(action="cro.record_viewed", target_id=str(record.pk)).exists()


def test_edit_form_of_a_record_refused_writes_no_event(client, sho_b):
    record = cro_record(name="Asif Edit")
    client.force_login(sho_b)
    assert client.get(reverse("cro:edit", args=[record.pk])).status_code == 403
    assert not AuditEvent.objects.filter(action="cro.record_viewed").exists()


def test_list_of_latest_records_logs_which_records_it_showed(cro_client, cro_officer):
    older, newer = cro_record(name="Older One"), cro_record(name="Newer One")
    page = cro_client.get(reverse("cro:search")).content.decode()
    assert "Older One" in page and "Newer One" in page
    event = AuditEvent.objects.get(action="cro.search_latest")
    assert event.actor == cro_officer and event.is_read
    assert event.data == {"page": 1, "results": [newer.pk, older.pk]}


def test_list_of_latest_records_appears_in_the_search_log(cro_client):
    cro_record(name="Older One")
    cro_client.get(reverse("cro:search"))
    assert "cro.search_latest" in cro_client.get(reverse("cro:search_log")).content.decode()
