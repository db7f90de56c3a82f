"""Fixture people, always the same three (STYLE.md): an officer of station A,
a colleague at station A, and an officer of station B who must be refused."""

from __future__ import annotations

import os

import pytest

from casp.roles import Role, roles_sync
from tests.factories import DistrictFactory, PoliceStationFactory, posted_user

PASSWORD = "correct-horse-battery"


def pytest_configure(config):
    from django.db.models.signals import post_migrate

    post_migrate.connect(_catalogues_after_flush, dispatch_uid="tests.catalogues_after_flush")


def _catalogues_after_flush(sender, **kwargs) -> None:
    """A transactional test (a browser test's live server, django_db(transaction=True)) ends with Django's
    flush, which empties every table, including the rows data migrations seeded; flush then sends
    post_migrate, so seed them again here (after the last app) for the tests that follow."""
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender.label == with_models[-1].label:
        catalogues_seed()


def pytest_collection_modifyitems(config, items):
    """Skip tests that need Redis when none answers, except under CI, where they must run."""
    if any("redis" in item.keywords for item in items):
        from django.conf import settings

        from casp.runtime import redis_answers

        if not redis_answers(settings.REDIS_URL) and os.environ.get("CI") != "true":
            skip = pytest.mark.skip(reason=f"no Redis answers at {settings.REDIS_URL} (set CI=true to fail instead)")
            for item in items:
                if "redis" in item.keywords:
                    item.add_marker(skip)


def catalogues_seed() -> None:
    """Put back the rows that data migrations seed (sections, crime heads, complaint categories, Khidmat services)."""
    import importlib

    from django.apps import apps

    from fir.catalogue import crime_heads_seed, sections_seed
    from khidmat.catalogue import services_seed

    sections_seed(apps.get_model("fir", "Section"))
    importlib.import_module("fir.migrations.0010_sections_vehicle_theft_and_common").sections_add(apps, None)
    crime_heads_seed(apps.get_model("fir", "CrimeHead"), apps.get_model("fir", "Section"))
    importlib.import_module("complaints.migrations.0002_seed_categories").seed(apps, None)
    services_seed(apps.get_model("khidmat", "ServiceType"), apps.get_model("khidmat", "ServiceDocument"))
    importlib.import_module("khidmat.migrations.0004_registrations_and_vehicle_numbers").seed(apps, None)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start each test with an empty cache: rate limits and lockouts counted by one test (the same client
    address, phone or tracking number) must not refuse another's requests, whatever order they run in."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _custody_days_forgotten():
    """Start each test forgetting which days' opening diary entries were seen committed: the test database
    loses them between tests, which a real one never does (stations.services._custody_written)."""
    from stations import services

    services._custody_written.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Start each test in English: a request in Urdu leaves Urdu active in the test's thread afterwards."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def flaky_outbox(settings):
    """Return (delivered messages, addresses whose first attempt fails) with tests.notifiers.FlakyNotifier."""
    from tests import notifiers

    settings.NOTIFIER = "tests.notifiers.FlakyNotifier"
    notifiers.SENT.clear()
    notifiers.FAIL_ONCE.clear()
    yield notifiers.SENT, notifiers.FAIL_ONCE
    notifiers.SENT.clear()
    notifiers.FAIL_ONCE.clear()


@pytest.fixture
def roles(db):
    return roles_sync()


@pytest.fixture
def district_a(db):
    return DistrictFactory(code="DA", name="District A")


@pytest.fixture
def district_b(db):
    return DistrictFactory(code="DB", name="District B")


@pytest.fixture
def station_a(district_a):
    return PoliceStationFactory(district=district_a, code="PS-A", name="Alpha")


@pytest.fixture
def station_b(district_b):
    return PoliceStationFactory(district=district_b, code="PS-B", name="Bravo")


@pytest.fixture
def officer_a(station_a, roles):
    return posted_user(Role.STATION_CLERK, station=station_a, username="officer_a")


@pytest.fixture
def colleague_a(station_a, roles):
    return posted_user(Role.SHO, station=station_a, username="colleague_a")


@pytest.fixture
def officer_b(station_b, roles):
    return posted_user(Role.STATION_CLERK, station=station_b, username="officer_b")


@pytest.fixture
def client_a(client, officer_a):
    client.force_login(officer_a)
    return client


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium (never a downloaded browser); skip where it is absent, except under CI."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium) so browser tests cannot run")
    # The sync Playwright API runs an event loop in this thread; the ORM calls in
    # browser tests are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def signed_in_page(page, live_server, officer_a):
    """A browser page signed in as officer_a through the real login form."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", officer_a.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page
