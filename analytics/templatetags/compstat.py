"""Filters of the CompStat tables: signed changes and percentages, left-to-right inside Urdu."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from casp.bidi import ltr

register = template.Library()


@register.filter(is_safe=True)
def signed(value: int | float | None) -> SafeString:
    """Return ``+3`` / ``-2`` / ``0`` in a left-to-right isolate."""
    if value is None:
        return ltr("—")
    return ltr(f"{value:+}" if value else "0")


@register.filter(is_safe=True)
def pct(value: float | None) -> SafeString:
    """Return ``+12.5%`` in a left-to-right isolate, or "n/a" when there is no base to compare with."""
    if value is None:
        return ltr(_("n/a"))
    return ltr(f"{value:+.1f}%")


@register.filter(is_safe=True)
def rate(value: float | None) -> SafeString:
    """Return ``45.0%`` (a share, unsigned) or "n/a"."""
    return ltr(_("n/a") if value is None else f"{value:.1f}%")


@register.filter(is_safe=True)
def num(value: object) -> SafeString:
    return ltr("—" if value is None else value)


@register.filter
def get(mapping: dict, key: str) -> object:
    return mapping.get(key)
