"""Without DATABASE_REPLICA_URL every read and write uses the primary, and no cookie is set."""

from __future__ import annotations

import pytest
from django.db import connections

from casp.replica import REPLICA, WROTE_COOKIE, ReplicaRouter, replica_configured, replica_usable, using_replica
from cro.models import CriminalRecord

pytestmark = pytest.mark.django_db


def test_without_a_replica_the_router_returns_default():
    assert REPLICA not in connections.settings and not replica_configured()
    router = ReplicaRouter()
    with using_replica() as on_replica:
        assert on_replica is False and not replica_usable()
        assert router.db_for_read(CriminalRecord) == "default"
    assert router.db_for_write(CriminalRecord) == "default"


def test_without_a_replica_writes_set_no_pin_cookie(client, officer_a):
    client.force_login(officer_a)
    response = client.post("/complaints/new/", {})
    assert WROTE_COOKIE not in response.cookies
    assert client.get("/complaints/").status_code == 200


def test_a_replica_url_that_is_not_postgresql_is_refused(monkeypatch):
    import subprocess
    import sys

    from django.conf import settings

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "casp.settings_test",
            "DATABASE_URL": "postgresql://u@127.0.0.1:1/x",
            "DATABASE_REPLICA_URL": "mysql://u@replica/x",
            "CASP_VAR_DIR": str(settings.VAR_DIR),
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL must be a postgresql:// URL" in result.stderr
