"""The demo data: idempotent, and the district officer of Islamabad sees figures."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from analytics.demo import seed_analytics
from analytics.models import DailyAggregate
from casp.roles import roles_sync
from complaints.models import Complaint
from fir.models import Fir
from stations.demo import seed_organisation


def test_demo_seed_is_idempotent_and_fills_the_dpo_dashboard(client, db):
    roles_sync()
    seed_organisation()
    seed_analytics(days=60)
    firs, complaints = Fir.objects.count(), Complaint.objects.count()
    assert firs > 100 and complaints > 20
    assert DailyAggregate.objects.filter(firs__gt=0).exists()
    seed_analytics(days=60)
    assert (Fir.objects.count(), Complaint.objects.count()) == (firs, complaints)
    from casp.models import User

    client.force_login(User.objects.get(username="dpo.islamabad"))
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("analytics:compstat", args=["district", "ISB"])
    body = response.content.decode()
    assert "Kohsar" in body and "ranking-detection" in body


def test_demo_hotel_alerts_show_in_islamabad_compstat(db):
    from alerts.models import Alert
    from analytics.periods import compstat_periods
    from analytics.selectors import area_get_for_user, compstat_report
    from casp.models import User
    from cro.demo import seed_records
    from hoteleye.demo import seed_hotels

    roles_sync()
    seed_organisation()
    seed_records()
    seed_hotels()
    seed_analytics(days=14)
    alerts = Alert.objects.filter(station__district__code="ISB").count()
    assert alerts >= 2 and Alert.objects.filter(outcome="arrested").exists()
    seed_analytics(days=14)
    assert Alert.objects.filter(station__district__code="ISB").count() == alerts
    area = area_get_for_user(User.objects.get(username="dpo.islamabad"), level="district", code="ISB")
    today = timezone.localdate()
    summary = {
        r["measure"]: r["figures"] for r in compstat_report(area, compstat_periods(today, week=today))["summary"]
    }
    assert summary["alerts"]["28d"].current == alerts
    assert summary["alerts_arrest"]["28d"].current >= 1
