"""Matching check-ins against the CRO with real photos, CNIC and names; alerts to the stations concerned."""

import datetime
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from alerts.matching import MatchResult as Candidate
from alerts.models import Alert
from alerts.services import alerts_raise
from cro import services as cro_services
from cro.faces import face_index_reset
from hoteleye.matching import checkin_match
from hoteleye.models import CheckIn, MatchResult, MatchStatus
from hoteleye.selectors import checkin_alerts
from hoteleye.services import checkin_create
from hoteleye.tasks import sweep_unmatched_task
from tests.factories import cro_record
from tests.hoteleye.conftest import FACES, celery_broker, face_upload, form_body, guest_data

NEW = reverse("hoteleye:checkin_new")


@pytest.fixture(autouse=True)
def _fresh_face_index(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    face_index_reset()
    yield
    face_index_reset()


@pytest.fixture
def obama_record(django_capture_on_commit_callbacks, roles):
    record = cro_record(name="Barack Obama", father_name="Barack Obama Sr", is_wanted=True)
    with django_capture_on_commit_callbacks(execute=True):
        cro_services.photo_add(
            record=record,
            acting_user=None,
            upload=SimpleUploadedFile("obama.jpg", (FACES / "obama.jpg").read_bytes()),
        )
    return record


def _post_checkin(client, capture, **overrides):
    with capture(execute=True):
        response = client.post(NEW, form_body(**overrides), follow=True)  # follow: the saved message is shown
    assert response.redirect_chain, response.context["form"].errors
    return CheckIn.objects.latest("id")


def test_obama2_under_another_name_and_cnic_gives_a_face_alert_at_the_hotels_station(
    staff_client, obama_record, station_a, django_capture_on_commit_callbacks
):
    checkin = _post_checkin(staff_client, django_capture_on_commit_callbacks, photo=face_upload("obama2.jpg"))
    checkin.refresh_from_db()
    assert checkin.match_status == MatchStatus.MATCHED and checkin.matched_at is not None
    alert = Alert.objects.get()
    assert alert.station == station_a and alert.kind == "face" and alert.cro_record_id == obama_record.pk
    assert alert.distance is not None and alert.distance <= 0.6
    assert any("face distance" in r for r in alert.reasons)
    assert MatchResult.objects.filter(checkin=checkin, kind="face", cro_record_id=obama_record.pk).exists()


def test_biden_gives_no_alert_and_the_no_match_result_is_stored(
    staff_client, obama_record, django_capture_on_commit_callbacks
):
    checkin = _post_checkin(staff_client, django_capture_on_commit_callbacks, photo=face_upload("biden.jpg"))
    checkin.refresh_from_db()
    assert checkin.match_status == MatchStatus.NO_MATCH and checkin.matched_at is not None
    assert Alert.objects.count() == 0


def test_cnic_of_a_flagged_record_gives_an_alert_without_a_photo(
    staff_client, station_a, roles, django_capture_on_commit_callbacks
):
    record = cro_record(name="Shakeel Ahmed", cnic="35202-1234567-1", is_wanted=True)
    _post_checkin(staff_client, django_capture_on_commit_callbacks, name="Totally Different")
    alert = Alert.objects.get()
    assert alert.kind == "cnic" and alert.score == 100 and alert.cro_record_id == record.pk
    assert alert.record_name == "Shakeel Ahmed" and alert.record_cnic == "3520212345671"
    assert "Wanted" in alert.record_status


def test_cnic_of_a_record_with_no_status_is_stored_but_raises_no_alert(
    staff_client, roles, django_capture_on_commit_callbacks
):
    cro_record(name="Old Record", cnic="35202-1234567-1")
    checkin = _post_checkin(staff_client, django_capture_on_commit_callbacks)
    assert Alert.objects.count() == 0
    assert MatchResult.objects.filter(checkin=checkin, kind="cnic", above_threshold=False).exists()


def test_the_flagging_station_gets_its_own_alert(
    staff_client, station_a, station_b, officer_a, officer_b, client, roles, django_capture_on_commit_callbacks
):
    cro_record(name="Runaway", cnic="35202-1234567-1", is_wanted=True, wanted_by_station=station_b)
    _post_checkin(staff_client, django_capture_on_commit_callbacks)
    alerts = {a.station.code: a for a in Alert.objects.select_related("station")}
    assert set(alerts) == {"PS-A", "PS-B"}
    assert alerts["PS-B"].is_flagging_station and not alerts["PS-A"].is_flagging_station
    client.force_login(officer_b)
    ids = [a["id"] for a in client.get(reverse("hoteleye_api:alert_list")).json()["results"]]
    assert ids == [alerts["PS-B"].pk]


def test_alert_reaches_the_inbox_endpoint_and_station_b_cannot_see_it(
    staff_client, client, officer_a, officer_b, roles, django_capture_on_commit_callbacks
):
    cro_record(name="Shakeel Ahmed", cnic="35202-1234567-1", is_wanted=True)
    _post_checkin(staff_client, django_capture_on_commit_callbacks)
    alert = Alert.objects.get()
    client.force_login(officer_a)
    poll = client.get(reverse("hoteleye:alert_poll"), {"after": 0})
    assert poll.status_code == 200 and f'data-alert-id="{alert.pk}"' in poll.content.decode()
    client.force_login(officer_b)
    assert client.get(reverse("hoteleye:alert_poll"), {"after": 0}).status_code == 204
    assert client.get(reverse("hoteleye:alert_detail", args=[alert.pk])).status_code == 404
    assert client.get(reverse("hoteleye_api:alert_list")).json()["count"] == 0


def test_alert_page_shows_guest_and_cro_record_side_by_side_and_logs_the_read(
    staff_client, client, officer_a, obama_record, django_capture_on_commit_callbacks
):
    _post_checkin(staff_client, django_capture_on_commit_callbacks, photo=face_upload("obama2.jpg"))
    alert = Alert.objects.get()
    client.force_login(officer_a)
    page = client.get(reverse("hoteleye:alert_detail", args=[alert.pk])).content.decode()
    assert "Ali Raza" in page and "Barack Obama" in page and "face distance" in page
    assert reverse("hoteleye:checkin_photo", args=[alert.source_id]) in page


def test_matching_twice_never_makes_a_second_alert(staff_client, roles, django_capture_on_commit_callbacks):
    cro_record(name="Shakeel Ahmed", cnic="35202-1234567-1", is_wanted=True)
    checkin = _post_checkin(staff_client, django_capture_on_commit_callbacks)
    assert checkin_match(checkin_id=checkin.pk) == "skipped"
    # Even a run that finds the check-in pending again (a retried task after a crash) adds nothing.
    CheckIn.objects.filter(pk=checkin.pk).update(match_status=MatchStatus.PENDING)
    checkin_match(checkin_id=checkin.pk)
    assert Alert.objects.count() == 1 and MatchResult.objects.filter(checkin=checkin).count() == 1


def test_strong_name_father_and_birth_date_match_alerts_but_a_name_alone_does_not(
    hotel_a, roles, django_capture_on_commit_callbacks
):
    record = cro_record(
        name="Muhammad Imran Khan",
        father_name="Abdul Rashid",
        date_of_birth=datetime.date(1985, 3, 14),
        is_proclaimed_offender=True,
    )
    strong = guest_data(cnic="35202-1111111-1", name="Muhammad Imran Khan", father_name="Abdul Rashid")
    weak = guest_data(cnic="35202-2222222-1", name="Muhammad Imran Khan", father_name="")
    other_birth = guest_data(cnic="35202-3333333-1", name="Muhammad Imran Khan", father_name="Abdul Rashid")
    guests = ((strong, datetime.date(1985, 3, 14)), (weak, None), (other_birth, datetime.date(1985, 3, 15)))
    for data, dob in guests:
        data.update(checked_in_at=timezone.now() - timezone.timedelta(hours=1), date_of_birth=dob)
        with django_capture_on_commit_callbacks(execute=True):
            checkin_create(hotel=hotel_a, acting_user=None, data=data)
    strong_in, weak_in, other_in = CheckIn.objects.order_by("id")
    alert = Alert.objects.get()
    assert alert.source == strong_in and alert.kind == "name" and alert.cro_record_id == record.pk
    for guest in (weak_in, other_in):  # no father's name; a different date of birth
        assert guest.match_status == MatchStatus.NO_MATCH
        assert MatchResult.objects.filter(checkin=guest, kind="name", above_threshold=False).exists()


def test_a_companion_is_matched_too(hotel_a, roles, django_capture_on_commit_callbacks):
    cro_record(name="Hidden Companion", cnic="35202-7777777-1", is_wanted=True)
    data = guest_data(checked_in_at=timezone.now() - timezone.timedelta(hours=1), date_of_birth=None)
    companion = {"guest_type": "pakistani", "cnic": "35202-7777777-1", "name": "Someone", "gender": "male"}
    with django_capture_on_commit_callbacks(execute=True):
        checkin_create(hotel=hotel_a, acting_user=None, data=data, companions=[companion])
    alert = Alert.objects.get()
    assert alert.source_type.model == "companion" and alert.source.name == "Someone" and alert.person.name == "Someone"


def test_the_sho_is_notified(staff_client, colleague_a, roles, django_capture_on_commit_callbacks, settings):
    settings.NOTIFIER = "email"
    colleague_a.email = "sho@example.org"
    colleague_a.save(update_fields=["email"])
    cro_record(name="Shakeel Ahmed", cnic="35202-1234567-1", is_wanted=True)
    _post_checkin(staff_client, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["sho@example.org"]]
    assert "Alpha Inn" in mail.outbox[0].body


def test_staff_pages_are_identical_for_obama2_matched_and_biden_unmatched(
    staff_client, obama_record, django_capture_on_commit_callbacks
):
    matched = _post_checkin(
        staff_client,
        django_capture_on_commit_callbacks,
        photo=face_upload("obama2.jpg"),
        cnic="35202-1111111-1",
        name="Guest One",
        room="R-ONE",
    )
    plain = _post_checkin(
        staff_client,
        django_capture_on_commit_callbacks,
        photo=face_upload("biden.jpg"),
        cnic="35202-2222222-1",
        name="Guest Two",
        room="R-TWO",
    )
    assert checkin_alerts(matched).exists() and not checkin_alerts(plain).exists()

    def page(c):
        html = staff_client.get(reverse("hoteleye:checkin_detail", args=[c.pk])).content.decode()
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        for value in (c.name, c.cnic.formatted, c.room, f"/{c.pk}/"):
            html = html.replace(str(value), "X")
        return html

    matched.refresh_from_db()
    plain.refresh_from_db()
    assert page(matched) == page(plain)


# --- no check-in escapes ----------------------------------------------------------------------------------------
def _backdate(checkin, minutes=5):
    CheckIn.objects.filter(pk=checkin.pk).update(received_at=timezone.now() - timezone.timedelta(minutes=minutes))


def test_sweep_recovers_a_check_in_whose_task_was_lost(staff_client, roles, django_capture_on_commit_callbacks):
    cro_record(name="Shakeel Ahmed", cnic="35202-1234567-1", is_wanted=True)
    with django_capture_on_commit_callbacks(execute=False) as lost:  # committed, but the task never ran
        staff_client.post(NEW, form_body())
    assert len(lost) == 1
    checkin = CheckIn.objects.get()
    assert checkin.match_status == MatchStatus.PENDING and Alert.objects.count() == 0
    assert sweep_unmatched_task() == 0  # too recent: its task may still be on the way
    _backdate(checkin)
    assert sweep_unmatched_task() == 1
    checkin.refresh_from_db()
    assert checkin.match_status == MatchStatus.MATCHED and Alert.objects.count() == 1
    assert sweep_unmatched_task() == 0


def test_with_the_broker_down_the_check_in_is_saved_and_the_sweep_recovers_it(
    staff_client, roles, django_capture_on_commit_callbacks
):
    cro_record(name="Shakeel Ahmed", cnic="35202-1234567-1", is_wanted=True)
    with celery_broker("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(NEW, form_body())
    assert response.status_code == 302  # the guest's check-in does not fail with the broker
    checkin = CheckIn.objects.get()
    assert checkin.match_status == MatchStatus.PENDING
    _backdate(checkin)
    assert sweep_unmatched_task() == 1
    checkin.refresh_from_db()
    assert checkin.match_status == MatchStatus.MATCHED and Alert.objects.count() == 1


def test_alerts_raise_is_idempotent(hotel_a, roles):
    record = cro_record(name="Shakeel Ahmed", cnic="35202-1234567-1", is_wanted=True)
    checkin = checkin_create(
        hotel=hotel_a,
        acting_user=None,
        data=guest_data(checked_in_at=timezone.now(), date_of_birth=None),
    )
    hits = [Candidate("cnic", record.pk, 100.0, ["CNIC identical"])]
    raise_ = dict(source=checkin, source_kind="hotel_checkin", matches=hits, stations=[hotel_a.station])
    assert len(alerts_raise(**raise_)) == 1
    assert alerts_raise(**raise_) == []
    assert Alert.objects.count() == 1


def test_alert_shows_the_matched_cro_photo_to_the_station_only_and_logs_it(
    staff_client, client, officer_a, officer_b, obama_record, django_capture_on_commit_callbacks
):
    from casp.models import AuditEvent

    _post_checkin(staff_client, django_capture_on_commit_callbacks, photo=face_upload("obama2.jpg"))
    alert = Alert.objects.get()
    assert alert.record_photo is not None and alert.record_photo.record_id == obama_record.pk
    url = reverse("hoteleye:alert_record_photo", args=[alert.pk])
    client.force_login(officer_a)
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(actor=officer_a, action="cro.photo_fetched", is_read=True).exists()
    client.force_login(officer_b)
    assert client.get(url).status_code == 404
    assert staff_client.get(url).status_code == 404


def test_the_sweep_is_in_the_one_beat_schedule_and_matching_is_audited(
    staff_client, roles, django_capture_on_commit_callbacks
):
    from casp.celery import app
    from casp.models import AuditEvent

    entry = app.conf.beat_schedule["hoteleye-sweep-unmatched"]
    assert entry["task"] == sweep_unmatched_task.name and entry["schedule"] <= 60
    checkin = _post_checkin(staff_client, django_capture_on_commit_callbacks)
    event = AuditEvent.objects.get(action="hoteleye.checkin_matched", target_id=str(checkin.pk))
    assert event.data["outcome"] == "no_match"


def test_matching_locks_only_the_check_in_row_not_its_hotel_or_station(
    staff_client, station_a, roles, django_capture_on_commit_callbacks
):
    """FOR UPDATE on the station row deadlocked with an FIR registered at that station (cluster proof)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cro_record(name="Shakeel Ahmed", cnic="35202-1234567-1", is_wanted=True)
    with CaptureQueriesContext(connection) as queries:
        _post_checkin(staff_client, django_capture_on_commit_callbacks, name="Totally Different")
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"] and "hoteleye_checkin" in q["sql"]]
    assert locks  # the check-in rows alone: no join, so no hotel or station row is locked with them
    assert not any("JOIN" in sql or "stations_policestation" in sql or "hoteleye_hotel" in sql for sql in locks)


@pytest.mark.django_db(transaction=True)
def test_matching_commits_without_waiting_for_the_flush_and_leaves_the_session_as_it_was(hotel_a, roles):
    """The match's transaction sets synchronous_commit off for itself only (SET LOCAL, safe behind a
    transaction-mode PgBouncer); the alert is committed all the same, and the session is back to 'on'."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    record = cro_record(name="Shakeel Ahmed", cnic="35202-1234567-1", is_wanted=True)
    checkin = checkin_create(
        hotel=hotel_a,
        acting_user=None,
        data=guest_data(checked_in_at=timezone.now(), date_of_birth=None),
        queue_match=False,
    )
    with CaptureQueriesContext(connection) as ctx:
        assert checkin_match(checkin_id=checkin.pk) == "matched"
    assert "SET LOCAL synchronous_commit = off" in [q["sql"] for q in ctx.captured_queries]
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
    assert Alert.objects.get().cro_record_id == record.pk


def test_an_alerting_match_without_a_photo_takes_a_fixed_small_number_of_queries(
    hotel_a, roles, django_capture_on_commit_callbacks
):
    """Every round trip costs the check-in-to-alert latency: the alert is inserted without a look-up before it
    (its unique constraint answers a retry), its diary entry skips the look-up for an older entry naming it and,
    once the day's opening entry is committed, takes its number in one statement. Only the check-in's id and
    attempts are locked. Counted so that a new query here is a decision."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cro_record(name="Shakeel Ahmed", cnic="35202-1234567-1", is_wanted=True)

    def stay() -> CheckIn:
        data = guest_data(checked_in_at=timezone.now(), date_of_birth=None)
        return checkin_create(hotel=hotel_a, acting_user=None, data=data, queue_match=False)

    first = stay()
    with django_capture_on_commit_callbacks(execute=True):
        assert checkin_match(checkin_id=first.pk) == "matched"  # writes the day's opening diary entry too
    CheckIn.objects.filter(pk=first.pk).update(checked_out_at=timezone.now())
    again = stay()
    with CaptureQueriesContext(connection) as ctx:
        assert checkin_match(checkin_id=again.pk) == "matched"
    statements = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    store = statements[statements.index("SET LOCAL synchronous_commit = off") :]
    # SET LOCAL, the lock, the candidates, the alert and its audit, the diary entry (number, entry, version,
    # audit), the check-in's audit and outcome: 11 (17, 14, then 12 before). The CRO record is the one the CNIC
    # match read, with its flagging station: not read again.
    assert len(store) == 11, store
    assert not any(q.startswith('SELECT "cro_criminalrecord"') for q in store)
    assert not any("custody" in q for q in store)  # the day's opening entry is known to be written
    assert not any(q.startswith('SELECT "alerts_alert"') for q in store)  # no look-up before the insert
    assert not any("FOR UPDATE" in q and "registercounter" in q for q in store)  # counter in one statement
    assert not any('"stations_registerentry"."source_id"' in q and q.startswith("SELECT") for q in store)
    assert Alert.objects.filter(source_id=again.pk).count() == 1
