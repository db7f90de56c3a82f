"""The CNIC (Computerised National Identity Card number) as a value type.

13 digits written 5-7-1 (``35202-1234567-1``). The first digit names the
province, the last is odd for men and even for women; there is no checksum.
Input is accepted with or without the dashes (or with spaces between the
groups), in ASCII, Urdu or Arabic-Indic digits; 13 ASCII digits are stored.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from casp.bidi import ltr_format_lazy, ltr_text
from casp.text import normalize_digits

PROVINCES = {
    "1": _("Khyber Pakhtunkhwa"),
    "2": _("Former FATA"),
    "3": _("Punjab"),
    "4": _("Sindh"),
    "5": _("Balochistan"),
    "6": _("Islamabad"),
    "7": _("Gilgit-Baltistan"),
}

# Groups separated by a dash, spaces, or both; [0-9] not \d, which would let other scripts' digits through.
_DASHED = re.compile(r"^([0-9]{5})(?:\s*-\s*|\s+)([0-9]{7})(?:\s*-\s*|\s+)([0-9])$")
_PLAIN = re.compile(r"^[0-9]{13}$")
EXAMPLE = "35202-1234567-1"


class CNIC(str):
    """A valid CNIC; the string value is its 13 digits."""

    __slots__ = ()

    def __new__(cls, value: str | CNIC) -> CNIC:
        return super().__new__(cls, cls.normalise(value))

    @staticmethod
    def normalise(value: Any) -> str:
        """Return the 13 digits of ``value`` or raise ValidationError saying what is wrong."""
        if isinstance(value, CNIC):
            return str.__str__(value)
        text = normalize_digits(str(value if value is not None else "")).strip()
        if not text:
            raise ValidationError(_("Enter a CNIC."), code="required")
        match = _DASHED.match(text)
        if match:
            digits = "".join(match.groups())
        elif _PLAIN.match(text):
            digits = text
        else:
            digit_count = sum(ch in "0123456789" for ch in text)
            if re.fullmatch(r"[0-9\-\s]+", text) and digit_count != 13:
                raise ValidationError(
                    _("A CNIC has 13 digits; %(count)s were entered. Write it as %(example)s or as 13 digits."),
                    code="length",
                    params={"count": ltr_text(digit_count), "example": ltr_text(EXAMPLE)},
                )
            raise ValidationError(
                _("Write the CNIC as 13 digits, either %(example)s (5-7-1 with dashes) or without dashes."),
                code="format",
                params={"example": ltr_text(EXAMPLE)},
            )
        if digits[0] not in PROVINCES:
            raise ValidationError(
                _("A CNIC begins with a province digit from 1 to 7; this one begins with %(digit)s."),
                code="province",
                params={"digit": ltr_text(digits[0])},
            )
        return digits

    @property
    def formatted(self) -> str:
        return f"{self[:5]}-{self[5:12]}-{self[12]}"

    @property
    def province(self) -> str:
        return str(PROVINCES[self[0]])

    @property
    def gender(self) -> str:
        """Return ``"male"`` for an odd last digit and ``"female"`` for an even one."""
        return "male" if int(self[12]) % 2 else "female"

    def __repr__(self) -> str:
        return f"CNIC({self.formatted!r})"


def validate_cnic(value: Any) -> None:
    CNIC.normalise(value)


class CNICField(models.CharField):
    """A model field holding a CNIC as 13 digits; lookups accept any accepted format."""

    description = _("CNIC (13 digits)")
    default_validators = [validate_cnic]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["max_length"] = 13
        kwargs.setdefault("verbose_name", _("CNIC"))
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[Any, ...]:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> CNIC | None:
        if value is None or value == "":
            return None
        try:
            return CNIC(value)
        except ValidationError:
            return value  # legacy row that predates validation: show it as stored

    def to_python(self, value: Any) -> CNIC | None:
        if value is None or value == "":
            return None
        return CNIC(value)

    def get_prep_value(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        try:
            return CNIC.normalise(value)
        except ValidationError:
            return str(value)  # lookups with a malformed CNIC simply match nothing

    def formfield(self, **kwargs: Any) -> forms.Field:
        return super().formfield(**{"form_class": CNICFormField, **kwargs})


class CNICFormField(forms.CharField):
    """A form field for a CNIC that accepts it with or without dashes and cleans to a CNIC."""

    widget = forms.TextInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("max_length", None)
        kwargs.setdefault("label", _("CNIC"))
        # Kept lazy: form classes are built at import time, before any request's language.
        kwargs.setdefault("help_text", ltr_format_lazy(_("13 digits, e.g. %(example)s"), example=EXAMPLE))
        # 20, not 15: room for spaces around the dashes ("35202 - 1234567 - 1").
        super().__init__(*args, max_length=20, **kwargs)
        self.widget.attrs.update({"placeholder": "XXXXX-XXXXXXX-X", "inputmode": "numeric", "autocomplete": "off"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, CNIC):
            return value.formatted
        return value

    def to_python(self, value: Any) -> CNIC | None:
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return CNIC(value)
