"""Plausible ranges of dates and times: one rule per kind of date, used by forms, the API, services and the database.

A value far outside its range is not only wrong, it can be harmful: PostgreSQL
stores ``0001-01-01T00:00+05:00`` (a time before year 1 in UTC), after which
psycopg cannot read the row back and every page listing it fails. So each rule
is enforced twice (docs/security.md, "Dates and times"):

- by forms, the API and services, with the rule's relative limits (not in the
  future, within a day of now) and a message naming the field
  (``DateRangesMixin``, ``DateRule.check``);
- by a named CHECK constraint on the column (``range_check``), which can only
  hold fixed bounds because a CHECK must not depend on the clock: the rule's
  ``floor`` and the common ``CEILING``.

``bad_rows_repair`` is the data migration that meets rows stored before the
constraints existed: it nulls an optional value, replaces a value by a stated
column, or refuses with the table, ids and column to correct.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casp.formats import date_text, datetime_text

# Bounds of datetimes are read in Pakistan Standard Time, the time the forms are filled in.
PKT = dt.timezone(dt.timedelta(hours=5))
# The fixed upper bound of every column: "not in the future" cannot be written in a CHECK.
CEILING = dt.date(2200, 1, 1)
# Clock skew allowed between a client's idea of "now" and the server's.
CLOCK_SKEW = dt.timedelta(minutes=10)


def ltr(text: str) -> str:
    """Return ``text`` isolated left-to-right, so a date keeps its order inside Urdu text.

    Dates formatted in Urdu come isolated already (casp/formats/ur): they are not wrapped twice."""
    if text.startswith("\u2066") and text.endswith("\u2069"):
        return text
    return f"\u2066{text}\u2069"


@dataclass(frozen=True)
class DateRule:
    """The plausible range of one kind of date or time.

    ``floor`` is the earliest day (inclusive) and holds in the database too;
    ``ahead`` is how far after now a form or the API accepts a value (None: up
    to ``CEILING``); ``behind`` is how far before now (None: back to ``floor``).
    """

    key: str
    floor: dt.date
    ahead: dt.timedelta | None = CLOCK_SKEW
    behind: dt.timedelta | None = None
    behind_message: Any = None

    def bounds(self, *, date: bool) -> tuple[Any, Any]:
        """Return the fixed (floor inclusive, ceiling exclusive) bounds used by the CHECK constraint."""
        if date:
            return self.floor, CEILING
        return (
            dt.datetime.combine(self.floor, dt.time.min, tzinfo=PKT),
            dt.datetime.combine(CEILING, dt.time.min, tzinfo=PKT),
        )

    def check(self, value: dt.date | dt.datetime | None, *, field: Any, now: dt.datetime | None = None) -> None:
        """Raise ValidationError naming ``field`` if ``value`` is outside this rule; None passes."""
        if value is None:
            return
        now = now or timezone.now()
        label = capfirst(str(field))
        if isinstance(value, dt.datetime):
            if timezone.is_naive(value):
                value = timezone.make_aware(value)
            floor, ceiling = self.bounds(date=False)
            latest = now + self.ahead if self.ahead is not None else None
            earliest = now - self.behind if self.behind is not None else None
            shown: Callable[[Any], str] = _shown_datetime
        else:
            floor, ceiling = self.bounds(date=True)
            latest = timezone.localdate(now + self.ahead) if self.ahead is not None else None
            earliest = timezone.localdate(now - self.behind) if self.behind is not None else None
            shown = _shown_date
        if value < floor:
            message = gettext("%(field)s cannot be before %(floor)s.") % {
                "field": label,
                "floor": ltr(date_text(self.floor)),
            }
        elif earliest is not None and value < earliest:
            message = str(self.behind_message or gettext("%(field)s cannot be before %(earliest)s.")) % {
                "field": label,
                "earliest": shown(earliest),
            }
        elif latest is not None and value > latest:
            if self.ahead is not None and self.ahead <= CLOCK_SKEW:
                message = gettext("%(field)s cannot be in the future.") % {"field": label}
            else:
                message = gettext("%(field)s cannot be after %(latest)s.") % {"field": label, "latest": shown(latest)}
        elif value >= ceiling:
            message = gettext("%(field)s must be before %(ceiling)s.") % {
                "field": label,
                "ceiling": ltr(date_text(CEILING)),
            }
        else:
            return
        raise ValidationError(message, code="date_range")

    def validator(self, field: Any) -> Callable[[Any], None]:
        """Return a form-field validator applying this rule, naming ``field`` in its message."""

        def validate(value: Any) -> None:
            self.check(value, field=field)

        return validate


def _shown_datetime(value: dt.datetime) -> str:
    return ltr(datetime_text(value))  # day-month-year in Pakistan time, as every page shows dates


def _shown_date(value: dt.date) -> str:
    return ltr(date_text(value))


# The rules (the table in docs/security.md lists which column follows which).
OFFENCE = DateRule("offence", dt.date(1947, 1, 1))  # occurrence, report, arrest, complaint incident
LEGAL_EVENT = DateRule("legal_event", dt.date(1947, 1, 1))  # CRO: wanted, proclaimed, convicted, released, card taken
BIRTH = DateRule("birth", dt.date(1900, 1, 1), ahead=dt.timedelta(0))  # checked as a day: not after today
CHECK_IN = DateRule(
    "check_in",
    dt.date(2000, 1, 1),
    behind=dt.timedelta(days=1),
    behind_message=_("%(field)s must be within a day of now: not before %(earliest)s."),
)
CHECK_OUT = DateRule("check_out", dt.date(2000, 1, 1))  # and not before the check-in (the service and a CHECK)
REGISTER = DateRule("register", dt.date(1947, 1, 1), ahead=dt.timedelta(days=366 * 20))  # dates fixed ahead allowed
POSTING = DateRule("posting", dt.date(1947, 1, 1), ahead=None)
SYSTEM = DateRule("system", dt.date(2000, 1, 1), ahead=None)  # stamped by the server: created, due, decided
# Fixed by the server ahead of now (a promised date, a document's expiry): nothing more than 20 years ahead.
SCHEDULED = DateRule("scheduled", dt.date(2000, 1, 1), ahead=dt.timedelta(days=366 * 20))
SEARCH = DateRule("search", dt.date(1900, 1, 1), ahead=None)  # filters of list pages: never stored


class DateRangesMixin:
    """Give a form's date and time fields their rules: ``date_ranges = {"field": RULE}``.

    The validator is added to the field (a ModelForm's generated field too), so
    the error is shown on the field and names it; an absent field is skipped.
    """

    date_ranges: Mapping[str, DateRule] = {}
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, rule in self.date_ranges.items():
            field = self.fields.get(name)
            if field is not None:
                field.validators = [*field.validators, rule.validator(field.label or name)]


def _message(field: str, floor: Any) -> Any:
    return lazy(
        lambda: (
            gettext("%(field)s is outside its plausible range: from %(floor)s, before %(ceiling)s.")
            % {"field": field, "floor": floor, "ceiling": CEILING}
        ),
        str,
    )()


def range_check(
    table: str, field: str, rule: DateRule, *, date: bool = False, null: bool = False
) -> models.CheckConstraint:
    """Return the CHECK constraint ``<table>_<field>_range`` holding ``field`` within ``rule``'s fixed bounds."""
    low, high = rule.bounds(date=date)
    condition = Q(**{f"{field}__gte": low, f"{field}__lt": high})
    if null:
        condition = Q(**{f"{field}__isnull": True}) | condition
    return models.CheckConstraint(
        condition=condition,
        name=f"{table}_{field}_range",
        violation_error_message=_message(field, rule.floor),
    )


def range_checks(
    table: str, rule: DateRule, *fields: str, date: bool = False, null: bool = False
) -> list[models.CheckConstraint]:
    """Return ``range_check`` for each of ``fields`` (all dates or all datetimes, all nullable or not)."""
    return [range_check(table, field, rule, date=date, null=null) for field in fields]


# --- data migration ---------------------------------------------------------------------------------------------
NULL = "null"  # set an optional value to NULL
REFUSE = "refuse"  # stop the migration, naming the rows to correct by hand


class OutOfRangeRows(RuntimeError):
    """Stored rows hold a date outside its range and cannot be repaired automatically."""


@dataclass(frozen=True)
class Repair:
    """What the data migration does with ``table.column`` outside [low, high): NULL, REFUSE or another column."""

    table: str
    column: str
    low: str  # a day, e.g. "1947-01-01"; midnight PKT for a datetime column
    high: str = "2200-01-01"
    action: str = REFUSE  # NULL, REFUSE, or the name of a column of the same row to copy
    date: bool = False
    hint: str = ""

    def limits(self) -> list[str]:
        return [self.low, self.high] if self.date else [f"{self.low}T00:00:00+05:00", f"{self.high}T00:00:00+05:00"]


def bad_rows_repair(repairs: Sequence[Repair]) -> Callable[[Any, Any], None]:
    """Return a RunPython function applying ``repairs``; raise OutOfRangeRows listing every refused row.

    Plain SQL on ids only: a row holding a year-0 timestamp cannot be read through the ORM.
    """

    def run(apps: Any, schema_editor: Any) -> None:
        refused: list[str] = []
        quote = schema_editor.connection.ops.quote_name
        with schema_editor.connection.cursor() as cursor:
            for r in repairs:
                # Identifiers come from the migration's own list, never from input; values are parameters.
                table, column = quote(r.table), quote(r.column)
                outside = f"{column} < %s OR {column} >= %s"
                if r.action == REFUSE:
                    cursor.execute(f"SELECT id FROM {table} WHERE {outside} ORDER BY id", r.limits())  # noqa: S608
                    ids = [str(row[0]) for row in cursor.fetchall()]
                    if ids:
                        refused.append(
                            f"{r.table}.{r.column} outside {r.low} .. {r.high} in rows id {', '.join(ids)}"
                            + (f" ({r.hint})" if r.hint else "")
                        )
                    continue
                value = "NULL" if r.action == NULL else quote(r.action)
                cursor.execute(f"UPDATE {table} SET {column} = {value} WHERE {outside}", r.limits())  # noqa: S608
        if refused:
            raise OutOfRangeRows(
                "Cannot add the date range constraints; correct these rows first, then migrate again: "
                + "; ".join(refused)
            )

    return run
