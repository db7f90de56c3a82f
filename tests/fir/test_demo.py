import pytest
from django.core.management import call_command

from fir.demo import DEMO_KEY
from fir.models import Fir, FirStatus
from stations.models import DiaryEntry, DiaryKind

pytestmark = pytest.mark.django_db


def test_demo_seed_registers_one_fir_through_the_services_and_is_idempotent(roles):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # analytics' demo adds FIRs in bulk at the same station; this one is registered through the service.
    fir = Fir.objects.get(station__code="ISB-KOH", submission_key=DEMO_KEY)
    assert Fir.objects.filter(submission_key=DEMO_KEY).count() == 1
    assert fir.status == FirStatus.UNDER_INVESTIGATION and fir.arrests.count() == 1
    assert DiaryEntry.objects.filter(station=fir.station, kind=DiaryKind.ARREST).count() == 1
