"""Settings for the test suite: production settings with test-only values.

Tests run with DEBUG off, as production does, on their own database on the
same PostgreSQL server (embedded unless DATABASE_URL is set).
"""

import os

# A developer's .env must not change the tests: read none.
os.environ["CASP_ENV_FILE"] = os.devnull
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("REQUIRE_BROKER", "false")
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Service tests run tasks eagerly (STYLE.md); the worker tests start a real worker.
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
# The suite creates its database and migrates it, so it connects as the owner; tests that need the
# application's restricted role connect as DATABASE_APP_ROLE themselves (tests/casp/test_db_roles.py).
os.environ.setdefault("CASP_DB_ROLE", "owner")

from casp.settings import *  # noqa: E402,F403
from casp.settings import VAR_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = VAR_DIR / "test-media"
# Each test gets a clean cache (tests/conftest.py); rate limits and lockouts must not leak between tests.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Serve static files from the source folders (no collectstatic before tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
