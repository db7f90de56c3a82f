from django.test import RequestFactory

from casp.models import AuditEvent
from casp.views import error_500


def test_a_change_made_in_the_admin_is_audited(client, django_user_model, station_a):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x-very-long-password")
    client.force_login(admin)
    url = f"/admin/stations/policestation/{station_a.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update({"name": "Alpha Renamed", "district": station_a.district_id, "is_active": "on"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    event = AuditEvent.objects.get(action="stations.policestation.admin_changed")
    assert event.actor == admin
    assert event.target_id == str(station_a.pk)
    assert "Name" in event.data["change"]


def test_a_deletion_in_the_admin_is_audited(client, django_user_model, district_b):
    from stations.models import PoliceStation

    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x-very-long-password")
    client.force_login(admin)
    doomed = PoliceStation.objects.create(district=district_b, code="PS-DEL", name="Doomed")
    response = client.post(f"/admin/stations/policestation/{doomed.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not PoliceStation.objects.filter(code="PS-DEL").exists()
    assert AuditEvent.objects.filter(action="stations.policestation.admin_deleted", target_id=str(doomed.pk)).exists()


def test_the_500_page_renders_without_touching_the_database(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        response = error_500(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content


def test_the_admin_audit_list_names_actions_and_stations(client, django_user_model, station_a):
    from casp import audit

    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x-very-long-password")
    audit.record(actor=admin, action="fir.registered", station_id=station_a.pk)
    client.force_login(admin)
    page = client.get("/admin/casp/auditevent/").content.decode()
    assert "FIR registered" in page
    assert "PS Alpha" in page
