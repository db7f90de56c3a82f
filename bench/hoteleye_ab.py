"""A/B of Hotel Eye's check-in -> alert latency without a photo: two checkouts, alternating, same database.

This machine's speed drifts by a third within the hour, so a change is judged by running the code before
and after it in turns, in the same hour, on the same benchmark database (seeded by ``bench_hoteleye``),
through a real worker. For each checkout and round it prints the latency as ``bench_hoteleye`` measures
it (the check-in committed to its alert visible through the inbox query, polled every 5 ms), and its parts:
the intake (the check-in's commit and publish), the queue (publish to the task's start), the task (Celery's
``task_prerun`` to ``task_postrun``), and the rest (the task's end to the inbox seeing the alert)::

    git worktree add /tmp/before <commit>
    .venv/bin/python -m bench.hoteleye_ab /tmp/before . [--rounds 2] [--checkins 60]

Each measuring run imports the checkout's own code (its services, selectors and benchmark helpers); the
poll loop and the timing are this file's, so both sides are measured alike. Not part of ``make bench``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

_TRACER = """
import os, time
from casp.celery import app  # noqa: F401
from celery.signals import task_postrun, task_prerun
_out = open(os.environ["AB_TRACE"], "a", buffering=1)
_started = {}
@task_prerun.connect
def _pre(task_id=None, **kw):
    _started[task_id] = time.time()
@task_postrun.connect
def _post(task_id=None, kwargs=None, **kw):
    if kwargs and "checkin_id" in kwargs:
        _out.write(f"{kwargs['checkin_id']} {_started.pop(task_id)} {time.time()}\\n")
"""


def _summary(name: str, values: list[float]) -> str:
    ordered = sorted(v * 1000 for v in values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"{name}: p50 {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms"


def measure(checkins: int) -> None:
    """Run in a checkout (cwd): a worker, then ``checkins`` check-ins of a wanted CNIC, one at a time."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casp.settings_bench")
    import django

    django.setup()
    from django.conf import settings
    from django.db import transaction

    import bench.bench_hoteleye as bh
    from bench.db import ensure_bench_database
    from casp.runtime import startup_objects_freeze
    from hoteleye.selectors import alerts_inbox_state, checkin_alerts

    ensure_bench_database()
    with transaction.atomic():
        hotel, officer = bh._seed_hotel()
    wanted, _face = bh._targets()
    startup_objects_freeze()
    import redis

    redis.Redis.from_url(bh._redis_url()).flushdb()
    bh._checkout_all(hotel)
    bh._use_broker(bh._redis_url())
    work = Path(tempfile.mkdtemp(prefix="hoteleye-ab-"))
    (work / "hoteleye_ab_tracer.py").write_text(_TRACER)
    trace = work / "trace.txt"
    trace.touch()
    db = settings.DATABASES["default"]
    url = f"postgresql://{db['USER']}@{quote(db['HOST'], safe='')}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "casp.settings_bench", "DATABASE_URL": url, "DB_CONN_MAX_AGE": "60",
        "REDIS_URL": bh._redis_url(), "CELERY_TASK_ALWAYS_EAGER": "false", "NOTIFIER": "console",
        "LOG_LEVEL": "WARNING", "AB_TRACE": str(trace), "PYTHONPATH": f"{work}{os.pathsep}{os.getcwd()}",
    }  # fmt: skip
    worker = subprocess.Popen(
        [os.path.join(os.path.dirname(sys.executable), "celery"), "-A", "hoteleye_ab_tracer", "worker",
         "--pool=solo", "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        env=env, stdout=open(work / "worker.log", "w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    rows = []
    try:
        time.sleep(4)
        for i in range(checkins + 5):  # the first five warm the worker and are left out
            t0 = time.time()
            checkin = bh._checkin(hotel, i, cnic=str(wanted.cnic))
            t1 = time.time()
            seen, deadline = 0, time.monotonic() + 60
            while time.monotonic() < deadline:
                latest = alerts_inbox_state(officer)[0]
                if latest > seen:
                    alert_id = checkin_alerts(checkin).values_list("id", flat=True).first()
                    if alert_id is not None and latest >= alert_id:
                        break
                    seen = latest
                time.sleep(0.005)
            else:
                raise RuntimeError(f"no alert for check-in {checkin.pk}")
            rows.append((checkin.pk, t0, t1, time.time()))
            bh._checkout_all(hotel)
        time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    tasks = {int(k): (float(a), float(b)) for k, a, b in (line.split() for line in trace.read_text().splitlines())}
    rows = rows[5:]
    print(_summary("check-in to alert", [r[3] - r[1] for r in rows]))
    print(_summary("  intake", [r[2] - r[1] for r in rows]))
    print(_summary("  queue", [tasks[r[0]][0] - r[2] for r in rows]))
    print(_summary("  task", [tasks[r[0]][1] - tasks[r[0]][0] for r in rows]))
    print(_summary("  task end to inbox", [r[3] - tasks[r[0]][1] for r in rows]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("checkouts", nargs="*", help="the checkouts to compare, measured in turns")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--checkins", type=int, default=60)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.checkins)
        return 0
    from django.conf import settings

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casp.settings_bench")
    import django

    django.setup()
    db = settings.DATABASES["default"]
    # Every checkout measures on this checkout's benchmark database (one seeded database, one server).
    url = f"postgresql://{db['USER']}@{quote(db['HOST'], safe='')}:{db['PORT']}/{db['NAME']}"
    for round_number in range(1, args.rounds + 1):
        for checkout in args.checkouts:
            root = Path(checkout).resolve()
            print(f"== round {round_number}, {root} (uptime load {os.getloadavg()[0]:.2f})", flush=True)
            subprocess.run(
                [sys.executable, str(Path(__file__).resolve()), "--measure", "--checkins", str(args.checkins)],
                cwd=root, env={**os.environ, "DATABASE_URL": url, "CASP_DB_ROLE": "owner", "PYTHONPATH": str(root)},
                check=True,
            )  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
