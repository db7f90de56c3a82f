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
