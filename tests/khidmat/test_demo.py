import pytest
from django.core.management import call_command

from khidmat.models import Application, CentreStaff, Status

pytestmark = pytest.mark.django_db


def test_demo_seed_makes_a_centre_at_kohsar_with_staff_and_applications_and_is_idempotent(
    roles, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    staff = {s.user.username: s.is_incharge for s in CentreStaff.objects.select_related("user")}
    assert staff == {"khidmat.kohsar": False, "khidmat.incharge": True}
    statuses = sorted(Application.objects.values_list("status", flat=True))
    assert statuses == sorted([Status.ISSUED, Status.CHECKS])
    character = Application.objects.get(status=Status.CHECKS)
    assert {t.station.code for t in character.verifications.all()} == {"ISB-KOH", "ISB-MAR"}
