"""Rate limits of the public portal (django-ratelimit on the shared cache: Redis in production).

Filing is limited per client IP and per mobile number; tracking lookups per
IP, so tracking numbers cannot be tried in bulk. Rates are settings
(COMPLAINTS_RATE_FILE_IP, COMPLAINTS_RATE_FILE_PHONE, COMPLAINTS_RATE_TRACK_IP).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

from casp.http import client_ip
from casp.phone import phone_normalise

DEFAULT_RATES = {"file_ip": "10/h", "file_phone": "5/d", "track_ip": "30/h"}


def rate(name: str) -> str:
    return getattr(settings, f"COMPLAINTS_RATE_{name.upper()}", DEFAULT_RATES[name])


def _ip_key(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def _phone_key(group: str, request: HttpRequest) -> str:
    try:
        return phone_normalise(request.POST.get("phone", ""))
    except ValidationError:
        # Not a number we could text: count it against the IP instead.
        return "ip:" + _ip_key(group, request)


def filing_limited(request: HttpRequest) -> bool:
    """Count this submission; return True if its IP or its mobile number has used up its allowance."""
    by_ip = is_ratelimited(
        request, group="complaints.file.ip", key=_ip_key, rate=rate("file_ip"), method="POST", increment=True
    )
    by_phone = is_ratelimited(
        request, group="complaints.file.phone", key=_phone_key, rate=rate("file_phone"), method="POST", increment=True
    )
    return by_ip or by_phone


def tracking_limited(request: HttpRequest) -> bool:
    """Count this lookup; return True if the IP has used up its allowance."""
    return is_ratelimited(
        request, group="complaints.track.ip", key=_ip_key, rate=rate("track_ip"), method="POST", increment=True
    )
