"""Client IP address, aware of the configured number of trusted proxies."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str | None:
    """Return the client's IP: REMOTE_ADDR, or the address our own proxies appended to X-Forwarded-For.

    Only the last ``TRUSTED_PROXY_COUNT`` hops are ours; anything to their left
    was written by the client and cannot be trusted.
    """
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= count:
            remote = hops[-count]
    try:
        return str(ipaddress.ip_address(remote)) if remote else None
    except ValueError:
        return None


def axes_client_ip(request: HttpRequest) -> str:
    return client_ip(request) or "0.0.0.0"  # noqa: S104 - a key for lockout counting, not a bind address
