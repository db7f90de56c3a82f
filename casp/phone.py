"""Phone numbers: one normalisation and one form field for every phone input.

Pakistani mobiles are stored as 11 digits ``03XXXXXXXXX``; landlines as
``0`` + area code + number (10 or 11 digits); foreign numbers as ``+`` and
8 to 15 digits. Input may carry spaces, dashes, brackets, ``+92``/``0092``,
and Urdu or Arabic-Indic digits (casp.text.normalize_digits).
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casp.bidi import ltr_text
from casp.text import normalize_digits

PHONE_EXAMPLE = "0300-1234567"
PHONE_EXAMPLE_INTERNATIONAL = "+92 300 1234567"
LANDLINE_EXAMPLE = "051-1234567"
_MOBILE = re.compile(r"03[0-9]{9}")
_LANDLINE = re.compile(r"0[1-24-9][0-9]{8,9}")
_FOREIGN = re.compile(r"\+[1-9][0-9]{7,14}")


def _compact(value: Any) -> str:
    text = re.sub(r"[\s\-().]", "", normalize_digits(str(value or "")).strip())
    if text.startswith("0092"):
        text = "+92" + text[4:]
    elif text.startswith("00"):
        text = "+" + text[2:]
    elif text.startswith("92") and len(text) == 12:
        text = "+" + text
    if text.startswith("+92"):
        text = "0" + text[3:]
    return text


def phone_normalise(value: Any, *, mobile_only: bool = True) -> str:
    """Return the stored form of a phone number; raise ValidationError saying what is expected.

    With ``mobile_only`` (the default: an SMS must reach it) only a Pakistani
    mobile is accepted; otherwise a landline or a foreign number too.
    """
    if not str(value or "").strip():
        raise ValidationError(_("Enter your mobile number."), code="required")
    text = _compact(value)
    if _MOBILE.fullmatch(text):
        return text
    if not mobile_only and (_LANDLINE.fullmatch(text) or _FOREIGN.fullmatch(text)):
        return text
    if mobile_only:
        raise ValidationError(
            _("Enter a mobile number of 11 digits starting with 03, e.g. %(example)s or %(international)s."),
            code="phone",
            params={"example": ltr_text(PHONE_EXAMPLE), "international": ltr_text(PHONE_EXAMPLE_INTERNATIONAL)},
        )
    raise ValidationError(
        _(
            "Enter a phone number in digits: a mobile like %(mobile)s, a landline with its area code "
            "like %(landline)s, or a foreign number starting with +."
        ),
        code="phone",
        params={"mobile": ltr_text(PHONE_EXAMPLE), "landline": ltr_text(LANDLINE_EXAMPLE)},
    )


class PhoneFormField(forms.CharField):
    """A phone input that cleans to the stored form (see ``phone_normalise``); empty stays ""."""

    def __init__(self, *, mobile_only: bool = True, **kwargs: Any) -> None:
        self.mobile_only = mobile_only
        kwargs.pop("max_length", None)
        kwargs.setdefault("label", _("Mobile number") if mobile_only else _("phone"))
        super().__init__(max_length=30, **kwargs)
        self.widget.attrs.update(
            {"inputmode": "tel", "autocomplete": "tel", "placeholder": "03XX-XXXXXXX", "dir": "ltr"}
        )

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return phone_normalise(value, mobile_only=self.mobile_only) if value else value
