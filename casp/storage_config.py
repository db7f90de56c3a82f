"""Where private files live: ``STORAGE_URL`` read into Django's ``STORAGES["default"]`` entry.

Unset, files go to the filesystem under ``MEDIA_ROOT`` (``var/media``), the embedded default. Set to
``s3://BUCKET?endpoint_url=...&region=...`` they go to S3-compatible object storage (MinIO, Ceph, AWS)
through django-storages and boto3. Every object is written with the ``private`` ACL; nothing is ever
served from the bucket directly: the permission-checking views stream it (casp.files), and signed URLs,
if a view issues one, expire after ``signed_url_seconds`` (60 by default). Credentials come from
``STORAGE_ACCESS_KEY`` / ``STORAGE_SECRET_KEY`` (or their ``_FILE`` forms), else boto3's own chain
(``AWS_ACCESS_KEY_ID``, instance roles). See docs/configuration.md and docs/scaling.md.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

from django.core.exceptions import ImproperlyConfigured

from casp.env import env_str

FILESYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"
S3_BACKEND = "storages.backends.s3.S3Storage"
# Query parameters of an s3:// STORAGE_URL and what each must look like.
S3_OPTIONS = {
    "endpoint_url": "an http:// or https:// URL",
    "region": "a region name such as us-east-1",
    "addressing_style": "path, virtual or auto",
    "location": "a key prefix inside the bucket",
    "signed_url_seconds": "a whole number of seconds between 1 and 3600",
    "connect_timeout": "a number of seconds between 0.1 and 60",
    "serve": "stream or redirect",
}
# How a private file reaches the browser once a view has checked permission (private_file_serving).
SERVE_STREAM = "stream"
SERVE_REDIRECT = "redirect"


def _error(problem: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"STORAGE_URL {problem}. Expected s3://BUCKET?endpoint_url=http://host:9000&region=...")


def storage_settings(url: str) -> dict[str, Any]:
    """Return Django's ``STORAGES["default"]`` entry for ``url`` (empty: the filesystem)."""
    if not url:
        return {"BACKEND": FILESYSTEM_BACKEND}
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise _error(f"must start with s3:// (got {parts.scheme or 'no'} scheme)")
    if not parts.hostname or parts.path not in ("", "/"):
        raise _error("must name one bucket and nothing after it")
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    unknown = sorted(set(query) - set(S3_OPTIONS))
    if unknown:
        raise _error(f"has unknown options {', '.join(unknown)}; known: {', '.join(S3_OPTIONS)}")
    endpoint = query.get("endpoint_url") or None
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise _error(f"endpoint_url must be {S3_OPTIONS['endpoint_url']}, got {endpoint!r}")
    style = query.get("addressing_style", "path")
    if style not in ("path", "virtual", "auto"):
        raise _error(f"addressing_style must be {S3_OPTIONS['addressing_style']}, got {style!r}")
    if query.get("serve", SERVE_STREAM) not in (SERVE_STREAM, SERVE_REDIRECT):
        raise _error(f"serve must be {S3_OPTIONS['serve']}, got {query['serve']!r}")
    expire = _number(query, "signed_url_seconds", 60, int, 1, 3600)
    timeout = _number(query, "connect_timeout", 3.0, float, 0.1, 60)
    from botocore.config import Config

    return {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": parts.hostname,
            "endpoint_url": endpoint,
            "region_name": query.get("region") or None,
            "location": query.get("location", "").strip("/"),
            "access_key": env_str("STORAGE_ACCESS_KEY", None),
            "secret_key": env_str("STORAGE_SECRET_KEY", None),
            # Private objects, never overwritten (names are random), URLs signed and short-lived.
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": expire,
            # A store that does not answer refuses the upload in seconds instead of hanging the request.
            "client_config": Config(
                connect_timeout=timeout,
                read_timeout=30,
                retries={"max_attempts": 2, "mode": "standard"},
                s3={"addressing_style": style},
                signature_version="s3v4",
            ),
        },
    }


def private_file_serving(url: str) -> tuple[str, str]:
    """Return how private files are served for ``url`` and the origin browsers fetch them from.

    ``stream`` (the default, and always on the filesystem): the application reads the object and
    streams it. ``redirect`` (``serve=redirect``, object storage only): after the permission check the
    view answers 302 to a signed URL valid for ``signed_url_seconds``, so file bytes never pass through
    a web process; the storage endpoint must then be reachable by browsers, and its origin is returned
    for the Content-Security-Policy's ``img-src``.
    """
    if not url:
        return SERVE_STREAM, ""
    query = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    if query.get("serve", SERVE_STREAM) != SERVE_REDIRECT:
        return SERVE_STREAM, ""
    endpoint = urlsplit(query.get("endpoint_url", ""))
    origin = f"{endpoint.scheme}://{endpoint.netloc}" if endpoint.netloc else "https://*.amazonaws.com"
    return SERVE_REDIRECT, origin


def _number(query: dict[str, str], name: str, default: float, kind: type, low: float, high: float) -> Any:
    raw = query.get(name)
    if raw is None:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise _error(f"{name} must be {S3_OPTIONS[name]}, got {raw!r}") from None
    if not low <= value <= high:
        raise _error(f"{name} must be {S3_OPTIONS[name]}, got {raw!r}")
    return value
