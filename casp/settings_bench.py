"""Settings for `make bench`: production settings on a database of its own (casp_bench)."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("REQUIRE_BROKER", "false")
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# The benchmarks create and migrate their own database, so they connect as the owner (docs/security.md),
# and read no development .env.
os.environ.setdefault("CASP_DB_ROLE", "owner")
os.environ["CASP_ENV_FILE"] = os.devnull

from casp.settings import *  # noqa: E402,F403
from casp.settings import DATABASES  # noqa: E402

DATABASES["default"]["NAME"] = os.environ.get("BENCH_DATABASE_NAME", "casp_bench")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A benchmark's worker takes its tasks from a queue of its own: the shared Redis may carry other runs' tasks.
if os.environ.get("BENCH_CELERY_QUEUE"):
    CELERY_TASK_DEFAULT_QUEUE = os.environ["BENCH_CELERY_QUEUE"]
