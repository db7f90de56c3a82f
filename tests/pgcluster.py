"""Extra PostgreSQL processes for tests: a streaming standby of the embedded primary (pg_basebackup)
and PgBouncer in front of it. The servers themselves live in casp/localcluster.py (the cluster proof,
bench/bench_cluster.py, starts them too); this module adds what only tests need.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from casp.localcluster import (  # noqa: F401 - re-exported for the tests
    OWNER,
    PGBOUNCER,
    Bouncer,
    Standby,
    bouncer_create,
    embedded_bin,
    free_port,
    standby_create,
    standby_destroy,
    wait_until,
)


def require_binaries(*names: str, where: Path | None = None) -> None:
    """Skip (with the reason) when a binary is missing; under CI=true fail instead."""
    for name in names:
        found = (where / name).exists() if where else Path(shutil.which(name) or f"/usr/sbin/{name}").exists()
        if not found:
            reason = f"{name} is not installed ({where or 'PATH'}); these tests need it"
            if os.environ.get("CI") == "true":
                pytest.fail(reason + " and CI=true requires them to run")
            pytest.skip(reason)


def reference_data_seed() -> None:
    """Seed what data migrations seed (complaint categories, FIR sections): transactional tests truncate it."""
    import importlib

    from django.apps import apps

    from fir.catalogue import sections_seed
    from fir.models import Section

    importlib.import_module("complaints.migrations.0002_seed_categories").seed(apps, None)
    sections_seed(Section)
