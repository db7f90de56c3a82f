"""Every task has a named queue, each queue belongs to one worker group, and the deploy files run each group."""

import yaml
from django.conf import settings

from casp.celery import QUEUES, WORKER_GROUPS, app


def _declared_tasks() -> list[str]:
    app.loader.import_default_modules()  # autodiscovery: every app's tasks module
    return sorted(name for name in app.tasks if not name.startswith("celery."))


def test_every_task_declared_in_the_code_is_routed_to_a_named_queue():
    names = _declared_tasks()
    assert "hoteleye.tasks.checkin_match" in names and "cro.tasks.encode_photo" in names
    unrouted = {}
    for name in names:
        route = app.amqp.router.route({}, name)
        queue = route["queue"].name
        routed = any(queue_route for queue_route in app.amqp.router.routes if queue_route(name, (), {}, {}))
        if queue not in QUEUES or not routed:
            unrouted[name] = queue
    assert not unrouted, f"tasks without a route in casp.celery.TASK_ROUTES: {unrouted}"


def test_the_named_kinds_of_work_go_to_their_queues():
    queue = {name: app.amqp.router.route({}, name)["queue"].name for name in _declared_tasks()}
    assert queue["hoteleye.tasks.checkin_match"] == "matching"
    assert queue["casp.tasks.notify_send"] == "notifications"
    assert queue["cro.tasks.encode_photo"] == "faces"
    assert queue["hoteleye.tasks.sweep_unmatched"] == "sweeps"
    assert app.amqp.router.route({}, "analytics.tasks.refresh")["queue"].name == "analytics"


def test_each_queue_has_exactly_one_worker_group_and_late_acknowledgement_is_on():
    grouped = [queue for queues in WORKER_GROUPS.values() for queue in queues]
    assert sorted(grouped) == sorted(QUEUES)
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.worker_prefetch_multiplier == 1
    # Longer than the longest retry countdown (600 s), or a waiting retry would be handed out twice.
    assert app.conf.broker_transport_options["visibility_timeout"] > 600
    assert {queue.name for queue in app.conf.task_queues} == set(QUEUES)


def test_the_development_worker_consumes_every_queue_and_compose_runs_one_worker_per_group():
    procfile = (settings.BASE_DIR / "Procfile").read_text()
    worker = next(line for line in procfile.splitlines() if line.startswith("worker:"))
    assert " -Q " not in worker  # without -Q a worker consumes every queue of task_queues
    services = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())["services"]
    for group, queues in WORKER_GROUPS.items():
        command = services[f"worker-{group}"]["command"]
        assert command[command.index("-Q") + 1] == ",".join(queues), group
