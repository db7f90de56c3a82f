"""Raising an alert: audited, a daily diary entry at the station, the SHO notified; never twice."""

from django.core import mail
from django.urls import reverse

from alerts.models import Alert
from casp.models import AuditEvent
from cro.models import CriminalRecord
from hoteleye.services import alert_create
from stations.models import DiaryEntry
from tests.factories import cro_record
from tests.hoteleye.conftest import make_checkin

SNAPSHOT = {"record_name": "Wanted Person", "record_cnic": "3520212345671", "record_status": "Wanted"}


def _raise(station, checkin):
    record = CriminalRecord.objects.filter(name="Wanted Person").first() or cro_record(name="Wanted Person")
    return alert_create(
        station=station,
        checkin=checkin,
        companion=None,
        cro_record_id=record.pk,
        snapshot=SNAPSHOT,
        kind="cnic",
        score=100.0,
        distance=None,
        reasons=["CNIC: CNIC identical"],
    )


def test_a_new_alert_is_audited_entered_in_the_diary_and_sent_to_the_sho(
    hotel_a, station_a, colleague_a, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFIER = "email"
    colleague_a.email = "sho@example.org"
    colleague_a.save(update_fields=["email"])
    checkin = make_checkin(hotel_a)
    with django_capture_on_commit_callbacks(execute=True):
        alert, created = _raise(station_a, checkin)
    assert created and not alert.is_flagging_station
    assert AuditEvent.objects.filter(action="hoteleye.alert_raised", target_id=str(alert.pk)).exists()
    entry = DiaryEntry.objects.get(station=station_a, kind="hotel_alert")
    assert f"Hotel Eye alert {alert.pk}" in entry.text and "Alpha Inn" in entry.text and "Wanted Person" in entry.text
    assert [m.to for m in mail.outbox] == [["sho@example.org"]]
    assert "Alpha Inn" in mail.outbox[0].body and "room 101" in mail.outbox[0].body


def test_raising_the_same_alert_again_changes_nothing(
    hotel_a, station_a, colleague_a, django_capture_on_commit_callbacks
):
    checkin = make_checkin(hotel_a)
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = _raise(station_a, checkin)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again, created = _raise(station_a, checkin)
    assert again == first and not created and callbacks == []
    assert Alert.objects.count() == 1 and DiaryEntry.objects.filter(kind="hotel_alert").count() == 1


def test_another_station_gets_its_own_alert_marked_as_flagging(hotel_a, station_b):
    alert, created = _raise(station_b, make_checkin(hotel_a))
    assert created and alert.is_flagging_station


def test_station_dashboard_shows_the_hotel_eye_panel(client, colleague_a, hotel_a, station_a):
    alert, _ = _raise(station_a, make_checkin(hotel_a))
    client.force_login(colleague_a)
    page = client.get(reverse("stations:dashboard", args=[station_a.code])).content.decode()
    assert 'id="hoteleye-panel"' in page and reverse("hoteleye:alert_detail", args=[alert.pk]) in page


def test_station_dashboard_warns_when_matching_is_behind(client, colleague_a, hotel_a, station_a):
    from django.utils import timezone

    from hoteleye.models import CheckIn, MatchStatus

    checkin = make_checkin(hotel_a)
    CheckIn.objects.filter(pk=checkin.pk).update(match_status=MatchStatus.PENDING)
    client.force_login(colleague_a)
    url = reverse("stations:dashboard", args=[station_a.code])
    assert 'id="hoteleye-matching-behind"' not in client.get(url).content.decode()  # a fresh check-in waits
    CheckIn.objects.filter(pk=checkin.pk).update(received_at=timezone.now() - timezone.timedelta(minutes=12))
    page = client.get(url).content.decode()
    assert 'id="hoteleye-matching-behind"' in page
    assert 'waited <bdi dir="ltr">12</bdi> minutes' in page
    CheckIn.objects.filter(pk=checkin.pk).update(match_status=MatchStatus.MATCHED)
    assert 'id="hoteleye-matching-behind"' not in client.get(url).content.decode()


def test_an_smtp_error_after_commit_is_retried_and_the_sho_still_gets_the_alert(
    hotel_a,
    station_a,
    colleague_a,
    flaky_outbox,
    django_capture_on_commit_callbacks,
):
    sent, fail_once = flaky_outbox
    colleague_a.email = "sho@example.org"
    colleague_a.save(update_fields=["email"])
    fail_once.add("sho@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        alert, created = _raise(station_a, make_checkin(hotel_a))
    assert created and Alert.objects.filter(pk=alert.pk).exists()
    assert [m.to for m in sent] == ["sho@example.org"] and f"hotel alert {alert.pk}" in sent[0].subject
    assert not fail_once  # the first attempt failed; the task's retry delivered it


def test_a_deactivated_sho_is_not_sent_the_alert(hotel_a, station_a, colleague_a, flaky_outbox, roles):
    """The SHOs told are officers_at_station's: active users with an active SHO posting there, each once."""
    from casp.roles import Role
    from stations.models import Posting
    from tests.factories import posted_user

    sent, _fail_once = flaky_outbox
    colleague_a.email = "sho@example.org"
    colleague_a.save(update_fields=["email"])
    Posting.objects.create(user=colleague_a, station=station_a, role=Role.SHO)  # posted twice: told once
    gone = posted_user(Role.SHO, station=station_a, username="sho_gone", email="gone@example.org")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    alert, _created = _raise(station_a, make_checkin(hotel_a))
    from alerts.services import alert_notify_sho

    sent.clear()
    assert alert_notify_sho(alert_id=alert.pk) == 1
    assert [m.to for m in sent] == ["sho@example.org"]
