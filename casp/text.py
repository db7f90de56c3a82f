"""Normalisation of typed text that every input shares.

People in Pakistan type numbers with an Urdu keyboard (Extended Arabic-Indic
digits ۰-۹), an Arabic one (Arabic-Indic ٠-٩) or a phone keyboard that gives
full-width digits (０-９). A CNIC, phone, tracking or FIR number typed that way
is the same number: ``normalize_digits`` turns the digits into ASCII before
any field checks them, and the form fields below apply it at the edge.
"""

from __future__ import annotations

from typing import Any

from django import forms

_DIGITS = {
    **{0x06F0 + i: str(i) for i in range(10)},  # Extended Arabic-Indic (Urdu, Persian)
    **{0x0660 + i: str(i) for i in range(10)},  # Arabic-Indic
    **{0xFF10 + i: str(i) for i in range(10)},  # full-width
    0x2010: "-",  # hyphen
    0x2011: "-",  # non-breaking hyphen
    0x2012: "-",  # figure dash
    0x2013: "-",  # en dash
    0x2212: "-",  # minus sign
    0xFF0D: "-",  # full-width hyphen-minus
    0x06D4: ".",  # Urdu full stop
    0x066B: ".",  # Arabic decimal separator
    # Bidirectional marks an Urdu keyboard or a copied RTL text slips around numbers.
    0x200E: None,
    0x200F: None,
    0x061C: None,
    0x202A: None,
    0x202B: None,
    0x202C: None,
    0x202D: None,
    0x202E: None,
    0x2066: None,
    0x2067: None,
    0x2068: None,
    0x2069: None,
}


def normalize_digits(value: Any) -> Any:
    """Return ``value`` with Urdu, Arabic-Indic and full-width digits (and dashes) as ASCII; non-strings as they are.

    Bidirectional control marks are dropped: they are invisible and never part of a number.
    """
    if not isinstance(value, str):
        return value
    return value.translate(_DIGITS)


class DigitsCharField(forms.CharField):
    """A CharField whose input has its digits normalised (search boxes, tracking numbers)."""

    def to_python(self, value: Any) -> Any:
        return super().to_python(normalize_digits(value))


class DigitsIntegerField(forms.IntegerField):
    """A whole number typed in any digits (an FIR number, a year).

    Browsers drop Urdu and Arabic-Indic digits typed into ``<input type="number">`` (Chromium strips
    every digit that is not ASCII or of the browser's own locale, leaving the box empty), so the box is
    a text input with a numeric keypad, read left to right, and the server normalises what arrives.
    """

    widget = forms.TextInput

    def to_python(self, value: Any) -> Any:
        return super().to_python(normalize_digits(value))

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}
