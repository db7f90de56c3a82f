"""A check-in, its companions and its match results are kept: the database refuses to delete them."""

import pytest
from django.db import connection, transaction
from django.db.utils import IntegrityError
from django.utils import timezone

from alerts.models import Alert
from hoteleye.models import CheckIn, Companion, MatchResult
from hoteleye.services import checkin_create
from tests.factories import cro_record
from tests.hoteleye.conftest import guest_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def matched_checkin(hotel_a, roles, django_capture_on_commit_callbacks):
    """A check-in whose companion matched a wanted record: companion, match result and alert all hang off it."""
    cro_record(name="Hidden Companion", cnic="35202-7777777-1", is_wanted=True)
    data = guest_data(checked_in_at=timezone.now() - timezone.timedelta(hours=1), date_of_birth=None)
    companion = {"guest_type": "pakistani", "cnic": "35202-7777777-1", "name": "Someone", "gender": "male"}
    with django_capture_on_commit_callbacks(execute=True):
        checkin = checkin_create(hotel=hotel_a, acting_user=None, data=data, companions=[companion])
    assert Companion.objects.filter(checkin=checkin).exists()
    assert MatchResult.objects.filter(checkin=checkin).exists()
    assert Alert.objects.exists()
    return checkin


def _refused(statement, params=()):
    with pytest.raises(IntegrityError, match="never deleted"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_deleting_a_check_in_through_the_orm_is_refused_and_nothing_goes(matched_checkin):
    with pytest.raises(IntegrityError, match="never deleted"), transaction.atomic():
        CheckIn.objects.filter(pk=matched_checkin.pk).delete()  # Django's cascade deletes the children first
    assert CheckIn.objects.filter(pk=matched_checkin.pk).exists()
    assert Companion.objects.filter(checkin=matched_checkin).count() == 1
    assert MatchResult.objects.filter(checkin=matched_checkin).exists()


def test_deleting_a_single_check_in_instance_is_refused(hotel_a, roles):
    from tests.hoteleye.conftest import make_checkin

    checkin = make_checkin(hotel_a)
    with pytest.raises(IntegrityError, match="hoteleye_checkin rows are kept, never deleted"), transaction.atomic():
        checkin.delete()
    assert CheckIn.objects.filter(pk=checkin.pk).exists()


def test_deleting_check_ins_companions_or_match_results_in_sql_is_refused(matched_checkin):
    _refused("DELETE FROM hoteleye_matchresult WHERE checkin_id = %s", [matched_checkin.pk])
    _refused("DELETE FROM hoteleye_companion WHERE checkin_id = %s", [matched_checkin.pk])
    _refused("DELETE FROM hoteleye_checkin")
    assert MatchResult.objects.filter(checkin=matched_checkin).exists()
    assert Companion.objects.filter(checkin=matched_checkin).exists()


def test_a_check_in_may_still_be_checked_out(matched_checkin):
    """The triggers refuse DELETE only: check-out (and matching) update the row."""
    from hoteleye.services import checkin_checkout

    checkin_checkout(checkin=matched_checkin, acting_user=None)
    matched_checkin.refresh_from_db()
    assert matched_checkin.checked_out_at is not None
