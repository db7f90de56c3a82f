"""Reading CSV imports row by row, where one unreadable row never stops the rest.

The csv module raises ``csv.Error`` for a row it cannot read (a field over
its field-size limit, a NUL byte, a quote left open at the end); the reader
can go on with the next row after it. ``csv_rows`` turns such a row into a
reported problem so that every import reports it, carries on and is audited.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class CsvRow:
    number: int  # the row's position in the file; the header is row 1
    values: dict[str, str] | None  # None when the row could not be read
    problem: str = ""


def csv_header(reader: csv.DictReader) -> list[str]:
    """Return the column names of the first row, stripped; ValidationError if the csv module cannot read it."""
    try:
        return [name.strip() for name in reader.fieldnames or []]
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            message = _("The first row cannot be read: a field is longer than %(limit)d characters.") % {
                "limit": csv.field_size_limit()
            }
        else:
            message = _("The first row cannot be read as CSV (%(error)s).") % {"error": exc}
        raise ValidationError(message) from None


def csv_rows(reader: csv.DictReader) -> Iterator[CsvRow]:
    """Yield every row of ``reader`` in order; a row the csv module refuses comes with ``problem`` and no values."""
    number = 1
    while True:
        number += 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                problem = _("This row cannot be read: a field is longer than %(limit)d characters.") % {
                    "limit": csv.field_size_limit()
                }
            else:
                problem = _("This row cannot be read as CSV (%(error)s).") % {"error": exc}
            yield CsvRow(number=number, values=None, problem=problem)
            continue
        yield CsvRow(number=number, values=values)
