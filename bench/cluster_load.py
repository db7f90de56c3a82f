"""What the cluster proof's simulated people do, for Locust (bench/locustfile.py) and the built-in driver.

Two kinds of people, spread over every web instance in ``CLUSTER_HOSTS`` (user ``i`` talks to host
``i % len(hosts)``):

* a clerk logs in, browses the FIR register, the complaints and alerts inboxes and the CRO search, and
  now and then registers an FIR through the same form a person fills in;
* a hotel's software posts check-ins to the JSON API with its token: most with a random guest, some
  with a photograph from tests/data/faces, some with the CNIC of a wanted or proclaimed offender
  (checked out again at once, so the next one is not refused as a second open stay).

The run's parameters come from the JSON file named by ``CLUSTER_PLAN`` (bench/bench_cluster.py writes
it). ``client`` is a requests.Session-like object whose ``get``/``post`` take ``name=`` (Locust's
HttpSession, or ``TimedSession`` below); a request counts as failed when its status is 400 or more.
"""

from __future__ import annotations

import json
import os
import random
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Karachi has no daylight saving: local time is UTC+5 all year (the forms take local time).
PKT = timedelta(hours=5)
# What a clerk opens (path, name in the figures): the FIR register twice as often as the rest.
PAGES = [
    ("/fir/", "page /fir/"),
    ("/fir/", "page /fir/"),
    ("/fir/?complainant=Khan", "page /fir/ search"),
    ("/complaints/", "page /complaints/"),
    ("/alerts/", "page /alerts/"),
]


def plan_load() -> dict[str, Any]:
    return json.loads(Path(os.environ["CLUSTER_PLAN"]).read_text())


def _local(minutes_ago: float = 0) -> str:
    return (datetime.utcnow() + PKT - timedelta(minutes=minutes_ago)).strftime("%Y-%m-%dT%H:%M")  # noqa: DTZ003


def random_cnic(rng: random.Random) -> str:
    return f"{rng.randint(1, 7)}{rng.randint(0, 9999):04d}-{rng.randint(0, 9999999):07d}-{rng.randint(1, 9)}"


def clerk_login(client: Any, host: str, username: str, password: str) -> None:
    page = client.get(f"{host}/accounts/login/", name="login form")
    match = CSRF_INPUT.search(page.text)
    client.post(
        f"{host}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": match.group(1) if match else ""},
        headers={"Referer": f"{host}/accounts/login/"},
        name="login",
    )


def clerk_browse(client: Any, host: str, rng: random.Random) -> None:
    path, name = rng.choice(PAGES)
    client.get(f"{host}{path}", name=name)


def fir_register(client: Any, host: str, station: str, rng: random.Random) -> None:
    url = f"{host}/fir/new/{station}/"
    form = client.get(url, name="page /fir/new/")
    match = CSRF_INPUT.search(form.text)
    data = {
        "csrfmiddlewaretoken": match.group(1) if match else "",
        "submission_key": str(uuid.uuid4()),
        "reported_at": _local(5),
        "occurred_from": _local(120),
        "place": "Sabzi mandi",
        "complainant_name": f"Complainant {rng.randint(1, 10**6)}",
        "sections": "392 PPC",
        "facts": "Two men on a motorcycle snatched my purse at gunpoint.",
        "accused-TOTAL_FORMS": "1",
        "accused-INITIAL_FORMS": "0",
        "accused-MIN_NUM_FORMS": "0",
        "accused-MAX_NUM_FORMS": "50",
        "accused-0-is_unknown": "on",
        "accused-0-description": "young man, black helmet",
    }
    client.post(url, data=data, headers={"Referer": url}, name="register FIR")


@dataclass
class Hotel:
    token: str
    wanted: list[str]
    photos: list[str]
    rng: random.Random = field(default_factory=random.Random)
    posted: int = 0


def hotel_checkin(client: Any, host: str, hotel: Hotel) -> None:
    """Post one check-in: 1 in 8 with a wanted CNIC (then checked out), 1 in 8 with a photograph."""
    rng = hotel.rng
    hotel.posted += 1
    roll = rng.random()
    wanted = roll < 0.125 and hotel.wanted
    data = {
        "guest_type": "pakistani",
        "cnic": rng.choice(hotel.wanted) if wanted else random_cnic(rng),
        "name": f"Guest {rng.randint(1, 10**6)}",
        "father_name": "Someone",
        "gender": "male",
        "room": str(rng.randint(1, 500)),
        "checked_in_at": _local(1),
    }
    auth = {"Authorization": f"Token {hotel.token}"}
    files = None
    if 0.125 <= roll < 0.25 and hotel.photos:
        path = Path(rng.choice(hotel.photos))
        files = {"photo": (path.name, path.read_bytes())}
    name = "check-in wanted" if wanted else ("check-in photo" if files else "check-in")
    response = client.post(f"{host}/api/v1/hoteleye/checkins/", data=data, files=files, headers=auth, name=name)
    if response.status_code == 201:
        checkout = {"checked_out_at": _local(0)}
        checkin_id = response.json()["id"]
        client.post(
            f"{host}/api/v1/hoteleye/checkins/{checkin_id}/checkout/", data=checkout, headers=auth, name="check-out"
        )


# --- the built-in driver (when Locust is not installed) -----------------------------------------------------------
@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def add(self, name: str, ms: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.times.setdefault(name, []).append(ms)
            if not ok:
                self.failures[name] = self.failures.get(name, 0) + 1
                if len(self.errors) < 20:
                    self.errors.append(f"{name}: {detail}")


class TimedSession:
    """A requests.Session that records each request's time under ``name`` (what Locust's HttpSession does)."""

    def __init__(self, stats: Stats) -> None:
        import requests

        self.session = requests.Session()
        self.stats = stats

    def request(self, method: str, url: str, *, name: str, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            response = self.session.request(method, url, timeout=30, **kwargs)
        except Exception as exc:  # noqa: BLE001 - a refused or cut connection is a failed request
            self.stats.add(name, (time.perf_counter() - started) * 1000, False, repr(exc))
            raise
        ok = response.status_code < 400
        self.stats.add(name, (time.perf_counter() - started) * 1000, ok, f"{response.status_code} {url}")
        return response

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Any:
        return self.request("POST", url, **kwargs)


def _loop(until: float, wait: tuple[float, float], rng: random.Random, step: Callable[[], None]) -> None:
    while time.monotonic() < until:
        try:
            step()
        except Exception:  # noqa: BLE001, S110 - already counted as a failure by TimedSession
            pass
        time.sleep(rng.uniform(*wait))


def drive(plan: dict[str, Any], hosts: list[str], seconds: float, stats: Stats) -> None:
    """Run ``plan["clerks"]`` clerks and ``plan["hotels"]`` hotel clients for ``seconds`` on threads."""
    until = time.monotonic() + seconds
    threads = []
    for i, clerk in enumerate(plan["clerks"]):
        host, rng, client = hosts[i % len(hosts)], random.Random(i), TimedSession(stats)

        def clerk_run(client: TimedSession = client, host: str = host, rng: random.Random = rng, c=clerk) -> None:  # noqa: ANN001
            clerk_login(client, host, c["username"], plan["password"])

            def step() -> None:
                if rng.random() < plan["fir_share"]:
                    fir_register(client, host, c["station"], rng)
                else:
                    clerk_browse(client, host, rng)

            _loop(until, tuple(plan["clerk_wait"]), rng, step)

        threads.append(threading.Thread(target=clerk_run, daemon=True))
    for i, hotel_plan in enumerate(plan["hotels"]):
        host, client = hosts[i % len(hosts)], TimedSession(stats)
        hotel = Hotel(hotel_plan["token"], hotel_plan["wanted"], plan["photos"], random.Random(1000 + i))
        threads.append(
            threading.Thread(
                target=_loop,
                args=(
                    until,
                    tuple(plan["hotel_wait"]),
                    hotel.rng,
                    lambda c=client, h=host, o=hotel: hotel_checkin(c, h, o),
                ),
                daemon=True,
            )
        )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
