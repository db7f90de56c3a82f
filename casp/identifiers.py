"""Tracking numbers of the public intakes (complaints, registrations): generation and normalisation."""

from __future__ import annotations

import re
import secrets

from casp.text import normalize_digits

# Crockford's base 32: no I, L, O or U, so a number read over the phone is not misheard.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
GROUPS = 3
GROUP_LEN = 4  # 12 symbols = 60 random bits: guessing one live number among millions is hopeless.


def tracking_number_new() -> str:
    """Return a fresh random tracking number like ``K7QH-M2XD-9RTA`` (never derived from a sequence)."""
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LEN))
    return "-".join(symbols[i : i + GROUP_LEN] for i in range(0, len(symbols), GROUP_LEN))


def tracking_number_normalise(value: str) -> str:
    """Return ``value`` in the stored form (upper case, dashes), or "" when it cannot be a tracking number."""
    text = re.sub(r"[\s\-]", "", normalize_digits(str(value or ""))).upper().translate(_CONFUSABLE)
    if len(text) != GROUPS * GROUP_LEN or any(ch not in ALPHABET for ch in text):
        return ""
    return "-".join(text[i : i + GROUP_LEN] for i in range(0, len(text), GROUP_LEN))
