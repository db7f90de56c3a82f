"""Issue 11, low 8: alerts are records, closed by officers and never deleted, not even in the admin."""

import pytest
from django.urls import reverse

from alerts.models import Alert
from tests.hoteleye.conftest import make_alert, make_checkin


@pytest.fixture
def admin_client(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x-very-long-password")
    client.force_login(root)
    return client


@pytest.fixture
def alert_a(hotel_a, station_a):
    return make_alert(station_a, make_checkin(hotel_a))


def test_admin_cannot_delete_an_alert(admin_client, alert_a):
    url = reverse("admin:alerts_alert_delete", args=[alert_a.pk])
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Alert.objects.filter(pk=alert_a.pk).exists()


def test_admin_list_offers_no_bulk_delete(admin_client, alert_a):
    url = reverse("admin:alerts_alert_changelist")
    page = admin_client.get(url)
    assert page.status_code == 200 and "delete_selected" not in page.content.decode()
    admin_client.post(url, {"action": "delete_selected", "_selected_action": [alert_a.pk], "post": "yes"})
    assert Alert.objects.filter(pk=alert_a.pk).exists()


def test_admin_may_look_an_alert_up_but_not_change_it(admin_client, alert_a):
    url = reverse("admin:alerts_alert_change", args=[alert_a.pk])
    assert admin_client.get(url).status_code == 200
    admin_client.post(url, {"status": "closed", "score": "1"})
    alert_a.refresh_from_db()
    assert alert_a.status == "new" and alert_a.score == 100.0


def test_admin_cannot_delete_or_change_the_check_in_an_alert_stands_on(admin_client, alert_a):
    """Deleting the guest's check-in in the admin used to leave the alert without the identity it flagged."""
    from hoteleye.models import CheckIn

    checkin = CheckIn.objects.get()
    delete = reverse("admin:hoteleye_checkin_delete", args=[checkin.pk])
    assert admin_client.get(delete).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:hoteleye_checkin_changelist")
    assert "delete_selected" not in admin_client.get(changelist).content.decode()
    admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [checkin.pk], "post": "yes"})
    admin_client.post(reverse("admin:hoteleye_checkin_change", args=[checkin.pk]), {"name": "Someone Else"})
    checkin.refresh_from_db()
    assert checkin.name != "Someone Else"
    assert Alert.objects.get(pk=alert_a.pk).source == checkin
