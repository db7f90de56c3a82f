"""Rate limits and the honeypot of public forms (no login): the complaint portal's, shared with other intakes.

Limits use django-ratelimit on the shared cache (Redis in production), keyed by client IP.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

from casp.http import client_ip


def ip_key(group: str, request: HttpRequest) -> str:
    """Return the rate-limit key of ``request``: its client IP."""
    return client_ip(request) or "unknown"


def ip_limited(request: HttpRequest, *, group: str, rate: str) -> bool:
    """Count this POST against its IP in ``group``; return True if the IP has used up ``rate``."""
    return is_ratelimited(request, group=group, key=ip_key, rate=rate, method="POST", increment=True)


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS) and robots fill: ``website``."""

    website = forms.CharField(label=_("Leave this empty"), required=False)

    @property
    def is_honeypot_filled(self) -> bool:
        return bool(self.data.get("website"))
