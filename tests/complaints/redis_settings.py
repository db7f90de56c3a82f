"""Test settings whose cache is the real Redis, DB 11 (the complaints helper's own), for the rate-limit test."""

from urllib.parse import urlsplit, urlunsplit

from casp.settings_test import *  # noqa: F403
from casp.settings_test import REDIS_URL

_parts = urlsplit(REDIS_URL)
REDIS_CACHE_URL = urlunsplit((_parts.scheme, _parts.netloc, "/11", "", ""))
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_CACHE_URL}}
COMPLAINTS_RATE_FILE_IP = "2/h"
