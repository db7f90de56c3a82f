import pytest
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory

from casp import audit
from casp.models import AuditEvent


def test_audit_event_is_written_with_actor_target_station_and_ip(officer_a, station_a):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    event = audit.record(actor=officer_a, action="stations.viewed", target=station_a, request=request, data={"q": 1})
    event.refresh_from_db()
    assert event.actor == officer_a
    assert event.target_type == "stations.policestation"
    assert event.target_id == str(station_a.pk)
    assert event.ip_address == "10.1.2.3"
    assert event.data == {"q": 1}


def test_audit_event_is_rolled_back_with_the_change_it_describes(officer_a, station_a):
    with pytest.raises(RuntimeError), transaction.atomic():
        station_a.name = "Renamed"
        station_a.save(update_fields=["name"])
        audit.record(actor=officer_a, action="stations.renamed", target=station_a)
        raise RuntimeError("the change fails after the audit call")
    station_a.refresh_from_db()
    assert station_a.name == "Alpha"
    assert not AuditEvent.objects.filter(action="stations.renamed").exists()


def test_secrets_in_audit_data_are_masked(officer_a):
    event = audit.record(
        actor=officer_a,
        action="casp.test",
        data={"password": "hunter2", "nested": {"api_token": "abc", "name": "Ali"}, "items": [{"secret": 1}]},
    )
    assert event.data == {
        "password": "***",
        "nested": {"api_token": "***", "name": "Ali"},
        "items": [{"secret": "***"}],
    }


def test_audit_events_cannot_be_changed_or_deleted_through_the_orm(officer_a):
    event = audit.record(actor=officer_a, action="casp.test")
    event.action = "casp.rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_the_database_refuses_update_and_delete_of_audit_rows(officer_a):
    event = audit.record(actor=officer_a, action="casp.test")
    for statement in (
        "UPDATE casp_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM casp_auditevent WHERE id = %s",
    ):
        with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement, [event.pk])
        assert "append-only" in str(excinfo.value)
    assert AuditEvent.objects.filter(pk=event.pk, action="casp.test").exists()
    # A queryset bulk update is refused as well.
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="x")


def test_admin_lists_audit_events_but_offers_no_change_or_delete(client, django_user_model, officer_a):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x-very-long-password")
    event = audit.record(actor=officer_a, action="fir.registered")
    client.force_login(admin)
    listing = client.get("/admin/casp/auditevent/?action=fir.registered")
    assert listing.status_code == 200
    assert b"fir.registered" in listing.content
    assert client.get("/admin/casp/auditevent/add/").status_code == 403
    delete = client.post(f"/admin/casp/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    change = client.post(f"/admin/casp/auditevent/{event.pk}/change/", {"action": "rewritten"})
    assert change.status_code in (200, 403)  # read-only view at most
    event.refresh_from_db()
    assert event.action == "fir.registered"
    assert AuditEvent.objects.filter(pk=event.pk).exists()
