"""Rate limits of the public portal (django-ratelimit on the shared cache: Redis in production).

Filing is limited per client IP (every attempt counts) and per mobile number;
the mobile number's allowance is used only by complaints actually filed, so
nobody can use up someone else's number with invalid posts. Tracking lookups
are limited per IP, so tracking numbers cannot be tried in bulk; adding
information to a complaint per IP and per complaint. Rates are settings
(COMPLAINTS_RATE_FILE_IP, COMPLAINTS_RATE_FILE_PHONE, COMPLAINTS_RATE_TRACK_IP,
COMPLAINTS_RATE_INFO_IP, COMPLAINTS_RATE_INFO_COMPLAINT).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django_ratelimit import ALL
from django_ratelimit.core import get_usage, is_ratelimited

from casp.phone import phone_normalise
from casp.throttle import ip_key as _ip_key

DEFAULT_RATES = {
    "file_ip": "10/h",
    "file_phone": "5/d",
    "track_ip": "30/h",
    "info_ip": "20/h",
    "info_complaint": "10/d",
}


def rate(name: str) -> str:
    return getattr(settings, f"COMPLAINTS_RATE_{name.upper()}", DEFAULT_RATES[name])


def _phone_usage(request: HttpRequest, phone: str, *, increment: bool) -> dict | None:
    return get_usage(
        request,
        group="complaints.file.phone",
        key=lambda _group, _request: phone,
        rate=rate("file_phone"),
        method=ALL,
        increment=increment,
    )


def filing_limited(request: HttpRequest) -> bool:
    """Count this submission against its IP; return True if the IP or the mobile number has used up its allowance.

    The mobile number is only looked at here, not counted: ``filing_counted`` counts it once a complaint is filed.
    """
    by_ip = is_ratelimited(
        request, group="complaints.file.ip", key=_ip_key, rate=rate("file_ip"), method="POST", increment=True
    )
    try:
        phone = phone_normalise(request.POST.get("phone", ""))
    except ValidationError:
        return by_ip  # not a number anything could be filed under; the form will say so
    usage = _phone_usage(request, phone, increment=False)
    # Only looked at: the count is of complaints already filed, so reaching the limit is enough.
    return by_ip or (usage is not None and usage["count"] >= usage["limit"])


def filing_counted(request: HttpRequest, phone: str) -> None:
    """Count a complaint filed under ``phone`` (its stored 11 digits) against the number's allowance."""
    _phone_usage(request, phone, increment=True)


def tracking_limited(request: HttpRequest) -> bool:
    """Count this lookup; return True if the IP has used up its allowance."""
    return is_ratelimited(
        request, group="complaints.track.ip", key=_ip_key, rate=rate("track_ip"), method="POST", increment=True
    )


def info_limited(request: HttpRequest, complaint_id: int) -> bool:
    """Count this "add information" post; return True if its IP or the complaint has used up its allowance."""
    by_ip = is_ratelimited(
        request, group="complaints.info.ip", key=_ip_key, rate=rate("info_ip"), method="POST", increment=True
    )
    by_complaint = is_ratelimited(
        request,
        group="complaints.info.complaint",
        key=lambda _group, _request: str(complaint_id),
        rate=rate("info_complaint"),
        method="POST",
        increment=True,
    )
    return by_ip or by_complaint
