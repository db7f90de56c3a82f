"""The demo data: idempotent, and the district officer of Islamabad sees figures."""

from __future__ import annotations

from django.urls import reverse

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
