"""Left-to-right isolation of numbers, CNICs, phone numbers, dates and codes inside right-to-left (Urdu)
text. The one helper for it: templates use the ``ltr`` filter (a builtin, see settings.TEMPLATES), help
texts ``ltr_format_lazy``, and messages that are plain text (errors, SMS, diary text) ``ltr_text``.

Without isolation the Unicode bidi algorithm reorders a value's parts in an Urdu sentence, so the CNIC
example 35202-1234567-1 reads "1-1234567-35202" and "+92 300 1234567" reads "1234567 300 92+".
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.utils.functional import lazy
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi

LRI = "\u2066"  # LEFT-TO-RIGHT ISOLATE
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE


def ltr(value: Any) -> SafeString:
    """Return ``value`` HTML-escaped inside ``<bdi dir="ltr">``: it reads left to right on any page."""
    return format_html('<bdi dir="ltr" class="ltr">{}</bdi>', value)


def text_direction(value: Any) -> str:
    """Return "rtl" or "ltr" by the first strongly directional character of ``value`` (as dir="auto")."""
    for char in str(value):
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def isolate(value: Any) -> SafeString:
    """Return ``value`` HTML-escaped in a ``<bdi>`` whose direction is that of its own text.

    For free text (names, places) that may be Urdu or English; like ``<bdi>`` with dir="auto", but
    decided here because WeasyPrint, which prints the FIR copy, ignores dir="auto"."""
    return format_html('<bdi dir="{}">{}</bdi>', text_direction(value), value)


def ltr_text(value: Any) -> str:
    """Return ``value`` between the isolates LRI and PDI when the active language is right-to-left.

    For plain text that is escaped before display or is never HTML (validation errors, SMS, diary text);
    left-to-right languages get the value unchanged."""
    text = str(value)
    return f"{LRI}{text}{PDI}" if get_language_bidi() else text


def ltr_format(message: Any, **values: Any) -> SafeString:
    """Return the translated ``message`` (a ``%(name)s`` template) escaped, each value set in ``ltr()``."""
    return mark_safe(conditional_escape(str(message)) % {name: ltr(value) for name, value in values.items()})  # noqa: S308


# For help texts of form classes, built at import time before any request's language is known.
ltr_format_lazy = lazy(ltr_format, SafeString)
