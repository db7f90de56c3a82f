"""The applicant's SMS is owed until sent: a broker down at the counter delays it, the sweep sends it once."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from khidmat.models import Application, Outcome, Status
from khidmat.services import application_decide, verification_complete
from khidmat.tasks import application_notify_task, sms_sweep_owed_task
from tests.hoteleye.conftest import celery_broker
from tests.khidmat.conftest import apply_character_certificate, form_body, service

pytestmark = pytest.mark.django_db

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1: queuing fails as with Redis down


def _age(application, minutes=5):
    """Make the owed SMS look ``minutes`` old (the sweep leaves a fresh one to its own task)."""
    Application.objects.filter(pk=application.pk).update(
        sms_owed_since=application.sms_owed_since - datetime.timedelta(minutes=minutes)
    )


def _texts(sent, application):
    return [m for m in sent if m.to == application.applicant_phone and application.tracking_number in m.subject]


def test_with_the_broker_down_at_the_counter_the_sweep_sends_the_tracking_sms_exactly_once(
    clerk_client, centre, station_a, flaky_outbox, django_capture_on_commit_callbacks
):
    sent, _fail_once = flaky_outbox
    svc = service("character-certificate")
    body = form_body(svc, station_present=station_a, station_permanent=station_a)
    with celery_broker(DEAD_BROKER), django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(reverse("khidmat:new", args=[centre.code, svc.code]), body)
    assert response.status_code == 302  # the counter is not told: the application is taken once
    a = Application.objects.get()
    assert sent == [] and a.sms_owed_since is not None  # nothing sent, and the debt is on record
    assert sms_sweep_owed_task() == 0  # too recent: its own task may still be on the way
    _age(a)
    assert sms_sweep_owed_task() == 1
    texts = _texts(sent, a)
    assert len(texts) == 1 and a.tracking_number in texts[0].body and texts[0].channel == "sms"
    a.refresh_from_db()
    assert a.sms_owed_since is None
    # Beat runs the sweep again; the counter's lost task turns up after all: neither sends a second SMS.
    assert sms_sweep_owed_task(older_than_seconds=0) == 0
    assert application_notify_task.delay(application_id=a.pk).get() is False
    assert len(_texts(sent, a)) == 1


def test_with_the_broker_up_the_counter_sends_the_sms_and_the_sweep_has_nothing_to_do(
    clerk_client, centre, station_a, flaky_outbox, django_capture_on_commit_callbacks
):
    sent, _fail_once = flaky_outbox
    a = apply_character_certificate(clerk_client, centre, station_a, station_a, django_capture_on_commit_callbacks)
    assert len(_texts(sent, a)) == 1 and a.sms_owed_since is None
    assert sms_sweep_owed_task(older_than_seconds=0) == 0
    assert len(_texts(sent, a)) == 1


def test_a_gateway_error_leaves_the_sms_owed_and_the_next_run_sends_it_once(
    clerk_client, centre, station_a, flaky_outbox, django_capture_on_commit_callbacks
):
    sent, fail_once = flaky_outbox
    fail_once.add("03001234567")  # the gateway times out on the first attempt
    a = apply_character_certificate(clerk_client, centre, station_a, station_a, django_capture_on_commit_callbacks)
    a.refresh_from_db()
    assert not fail_once and sent == [] and a.sms_owed_since is not None  # the failed send cleared nothing
    _age(a)
    assert sms_sweep_owed_task() == 1
    assert sms_sweep_owed_task() == 0
    assert len(_texts(sent, a)) == 1


def test_a_decision_whose_sms_was_lost_is_texted_once_by_the_sweep(
    clerk_client, centre, station_a, officer_a, incharge, flaky_outbox, django_capture_on_commit_callbacks
):
    sent, _fail_once = flaky_outbox
    a = apply_character_certificate(clerk_client, centre, station_a, station_a, django_capture_on_commit_callbacks)
    verification_complete(task=a.verifications.get(), acting_user=officer_a, outcome=Outcome.NO_RECORD)
    sent.clear()
    with celery_broker(DEAD_BROKER), django_capture_on_commit_callbacks(execute=True):
        application_decide(application=a, acting_user=incharge, issue=False, reason="Affidavit not attested.")
    a.refresh_from_db()
    assert a.status == Status.REFUSED and a.sms_owed_since is not None and sent == []
    _age(a)
    assert sms_sweep_owed_task() == 1
    assert sms_sweep_owed_task() == 0
    texts = _texts(sent, a)
    assert len(texts) == 1 and "Affidavit not attested." in texts[0].body


def test_beat_runs_the_sms_sweep_on_the_sweeps_queue():
    from casp.celery import TASK_ROUTES, app

    entry = app.conf.beat_schedule["khidmat-sweep-owed-sms"]
    assert entry["task"] == "khidmat.tasks.sms_sweep_owed" and entry["schedule"] <= 60
    assert TASK_ROUTES["khidmat.tasks.sms_sweep_owed"] == "sweeps"
