"""Register column kinds as real types: parse and check a value, and show it.

One function checks a register entry's columns (``register_data_clean``); the
entry form and the services both call it, so a malkhana deposit dated next
year, an FIR number "abc" or a lock-up exit before the entry is refused
whichever way the data arrives.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from casp.cnic import CNIC as CNICValue
from casp.dates import CLOCK_SKEW, REGISTER
from casp.text import normalize_digits
from stations.models import PoliceStation
from stations.registers import CHOICE, CNIC, DATE, DATETIME, DECIMAL, FIR_REFERENCE, INTEGER, Column, Register

FIR_REFERENCE_RE = re.compile(r"^\s*(?:FIR\s*(?:No\.?)?\s*)?(\d{1,7})\s*/\s*(\d{4})\s*$", re.IGNORECASE)
DATE_FORMAT, DATETIME_FORMAT = "d-m-Y", "d-m-Y H:i"


def fir_reference_parse(text: str) -> tuple[int, int] | None:
    """Return (number, year) of "12/2026" (also "FIR No. 12 / 2026"), or None if it is not one."""
    match = FIR_REFERENCE_RE.match(normalize_digits(str(text or "")))
    if match is None or int(match.group(1)) < 1:
        return None
    return int(match.group(1)), int(match.group(2))


def fir_exists(station: PoliceStation, number: int, year: int) -> bool:
    """Ask the app that keeps FIRs (``AppConfig.fir_exists``) whether FIR number/year exists at ``station``.

    Stations sit below fir and cannot import it; without such an app only the
    format is checked.
    """
    answers = [
        hook(station, number, year)
        for config in apps.get_app_configs()
        if (hook := getattr(config, "fir_exists", None)) is not None
    ]
    return any(answers) if answers else True


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def _as_datetime(value: Any) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        value = dt.datetime.fromisoformat(str(value).strip())
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def column_python(column: Column, stored: Any) -> Any:
    """Return a stored (JSON) value as Python: a date, an aware datetime, else the value; bad old data as is."""
    if stored in ("", None):
        return None
    try:
        if column.kind == DATE:
            return _as_date(stored)
        if column.kind == DATETIME:
            return timezone.localtime(_as_datetime(stored))
    except (TypeError, ValueError):
        pass
    return stored


def column_display(column: Column, stored: Any) -> str:
    """Return a stored value as a reader sees it: dates as d-m-Y, times as d-m-Y H:i in Asia/Karachi."""
    value = column_python(column, stored)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return dateformat.format(value, DATETIME_FORMAT)
    if isinstance(value, dt.date):
        return dateformat.format(value, DATE_FORMAT)
    return str(value)


def _value(column: Column, value: Any, *, station: PoliceStation, now: dt.datetime) -> Any:
    """Return ``value`` of ``column`` as JSON (ISO dates, "N/YYYY"), or raise ValidationError saying why."""
    label = column.label
    if column.kind == DATE:
        try:
            day = _as_date(value)
        except (TypeError, ValueError):
            raise ValidationError(_("Enter “%(column)s” as a date.") % {"column": label}) from None
        if not column.future_allowed and day > timezone.localdate(now):
            raise ValidationError(_("“%(column)s” cannot be in the future.") % {"column": label})
        REGISTER.check(day, field=label, now=now)  # not before 1947, nothing fixed beyond 20 years ahead
        return day.isoformat()
    if column.kind == DATETIME:
        try:
            moment = _as_datetime(value)
        except (TypeError, ValueError):
            raise ValidationError(_("Enter “%(column)s” as a date and time.") % {"column": label}) from None
        if not column.future_allowed and moment > now + CLOCK_SKEW:
            raise ValidationError(_("“%(column)s” cannot be in the future.") % {"column": label})
        REGISTER.check(moment, field=label, now=now)
        return timezone.localtime(moment).replace(microsecond=0).isoformat()
    if column.kind == FIR_REFERENCE:
        parsed = fir_reference_parse(value)
        if parsed is None:
            raise ValidationError(_("Enter the FIR as number/year, e.g. 12/2026."))
        if not fir_exists(station, *parsed):
            raise ValidationError(
                _("There is no FIR %(number)s/%(year)s at this station.") % {"number": parsed[0], "year": parsed[1]}
            )
        return f"{parsed[0]}/{parsed[1]}"
    if column.kind in (INTEGER, DECIMAL):
        try:
            number = int(value) if column.kind == INTEGER else Decimal(str(value).strip())
        except (TypeError, ValueError, InvalidOperation):
            raise ValidationError(_("Enter “%(column)s” as a number.") % {"column": label}) from None
        if isinstance(number, Decimal) and not number.is_finite():
            raise ValidationError(_("Enter “%(column)s” as a number.") % {"column": label})
        if number < 0:
            raise ValidationError(_("“%(column)s” cannot be negative.") % {"column": label})
        return number if column.kind == INTEGER else str(number)
    if column.kind == CNIC:
        return CNICValue.normalise(value)
    text = str(value).strip()
    if column.kind == CHOICE and text not in {key for key, _label in column.choices}:
        raise ValidationError(_("Choose one of the listed values for “%(column)s”.") % {"column": label})
    if len(text) > column.max_length:
        raise ValidationError(
            _("“%(column)s” is longer than %(max)s characters.") % {"column": label, "max": column.max_length}
        )
    return text


def register_data_clean(
    register: Register, data: dict[str, Any], *, station: PoliceStation, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Return the declared columns of ``data`` as checked JSON values; raise one error naming every bad column.

    Checks each column's kind (dates not in the future, FIR references that
    exist at ``station``, numbers, CNICs, choices, lengths), required columns,
    and the register's ordered pairs (e.g. taken out not before placed in).
    """
    now = now or timezone.now()
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for column in register.columns:
        value = data.get(column.name)
        if value in ("", None) or (isinstance(value, str) and not value.strip()):
            cleaned[column.name] = ""
            if column.required:
                errors[column.name] = [_("Enter the %(column)s; this register requires it.") % {"column": column.label}]
            continue
        try:
            cleaned[column.name] = _value(column, value, station=station, now=now)
        except ValidationError as exc:
            errors[column.name] = exc.messages
    columns = {c.name: c for c in register.columns}
    for earlier, later in register.ordered:
        first = column_python(columns[earlier], cleaned.get(earlier))
        second = column_python(columns[later], cleaned.get(later))
        if later in errors or earlier in errors or first is None or second is None:
            continue
        if second < first:
            errors[later] = [
                _("“%(later)s” cannot be before “%(earlier)s”.")
                % {"later": columns[later].label, "earlier": columns[earlier].label}
            ]
    if errors:
        raise ValidationError(errors)
    return cleaned
