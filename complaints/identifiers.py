"""Tracking numbers and Pakistani mobile numbers: generation and normalisation."""

from __future__ import annotations

import re
import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casp.bidi import ltr_text

# Crockford's base 32: no I, L, O or U, so a number read over the phone is not misheard.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
GROUPS = 3
GROUP_LEN = 4  # 12 symbols = 60 random bits: guessing one live number among millions is hopeless.
PHONE_EXAMPLE = "0300-1234567"
PHONE_EXAMPLE_INTERNATIONAL = "+92 300 1234567"


def tracking_number_new() -> str:
    """Return a fresh random tracking number like ``K7QH-M2XD-9RTA`` (never derived from a sequence)."""
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LEN))
    return "-".join(symbols[i : i + GROUP_LEN] for i in range(0, len(symbols), GROUP_LEN))


def tracking_number_normalise(value: str) -> str:
    """Return ``value`` in the stored form (upper case, dashes), or "" when it cannot be a tracking number."""
    text = re.sub(r"[\s\-]", "", str(value or "")).upper().translate(_CONFUSABLE)
    if len(text) != GROUPS * GROUP_LEN or any(ch not in ALPHABET for ch in text):
        return ""
    return "-".join(text[i : i + GROUP_LEN] for i in range(0, len(text), GROUP_LEN))


def phone_normalise(value: str) -> str:
    """Return a Pakistani mobile number as 11 digits ``03XXXXXXXXX``; raise ValidationError if it is not one."""
    text = str(value or "").strip()
    if not text:
        raise ValidationError(_("Enter your mobile number."), code="required")
    digits = re.sub(r"[\s\-()]", "", text)
    if digits.startswith("+92"):
        digits = "0" + digits[3:]
    elif digits.startswith("0092"):
        digits = "0" + digits[4:]
    elif digits.startswith("92") and len(digits) == 12:
        digits = "0" + digits[2:]
    if not re.fullmatch(r"03\d{9}", digits):
        raise ValidationError(
            _("Enter a mobile number of 11 digits starting with 03, e.g. %(example)s or %(international)s."),
            code="phone",
            params={"example": ltr_text(PHONE_EXAMPLE), "international": ltr_text(PHONE_EXAMPLE_INTERNATIONAL)},
        )
    return digits
