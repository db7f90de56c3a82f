"""Locust load for the cluster proof (written for Locust 2.47): clerks and hotel software on every web instance.

bench/bench_cluster.py runs it as ``locust -f bench/locustfile.py --headless -u N -r N -t 60s --csv ...``
with ``CLUSTER_PLAN`` naming the plan it wrote (users, tokens, hosts); the people's steps are in
bench/cluster_load.py, shared with the built-in driver used when Locust is not installed. Each simulated
user talks to host ``i % len(hosts)`` of ``CLUSTER_HOSTS`` (absolute URLs; ``--host`` is only Locust's default).
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, events, task

from bench import cluster_load

PLAN = cluster_load.plan_load()
HOSTS = os.environ["CLUSTER_HOSTS"].split(",")
_clerks = itertools.count()
_hotels = itertools.count()
# Every request's time by name, for bench_cluster's percentiles over all pages (Locust's CSV has them by name).
RESULT: dict = {"times": {}, "failures": {}, "errors": []}


@events.request.add_listener
def _record(name: str, response_time: float, exception: object = None, **kwargs: object) -> None:
    RESULT["times"].setdefault(name, []).append(response_time)
    if exception is not None:
        RESULT["failures"][name] = RESULT["failures"].get(name, 0) + 1
        if len(RESULT["errors"]) < 20:
            RESULT["errors"].append(f"{name}: {exception!r}")


@events.quitting.add_listener
def _write(**kwargs: object) -> None:
    Path(os.environ["CLUSTER_TIMES"]).write_text(json.dumps(RESULT))


class Clerk(HttpUser):
    weight = len(PLAN["clerks"])
    wait_time = between(*PLAN["clerk_wait"])
    host = HOSTS[0]

    def on_start(self) -> None:
        n = next(_clerks)
        self.base = HOSTS[n % len(HOSTS)]
        self.me = PLAN["clerks"][n % len(PLAN["clerks"])]
        self.rng = random.Random(n)
        cluster_load.clerk_login(self.client, self.base, self.me["username"], PLAN["password"])

    @task
    def work(self) -> None:
        if self.rng.random() < PLAN["fir_share"]:
            cluster_load.fir_register(self.client, self.base, self.me["station"], self.rng)
        else:
            cluster_load.clerk_browse(self.client, self.base, self.rng)


class HotelSoftware(HttpUser):
    weight = len(PLAN["hotels"])
    wait_time = between(*PLAN["hotel_wait"])
    host = HOSTS[0]

    def on_start(self) -> None:
        n = next(_hotels)
        self.base = HOSTS[n % len(HOSTS)]
        mine = PLAN["hotels"][n % len(PLAN["hotels"])]
        self.hotel = cluster_load.Hotel(mine["token"], mine["wanted"], PLAN["photos"], random.Random(1000 + n))

    @task
    def post(self) -> None:
        cluster_load.hotel_checkin(self.client, self.base, self.hotel)
