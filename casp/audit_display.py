"""Tell audit events to people: action labels, details as label/value pairs, station names, CSV.

Apps declare the words for their own events on their AppConfig:
``audit_actions`` maps an action code (``*`` matches any part, as in
``stations.register_*.entry_added``) to a translatable label, and
``audit_data_labels`` maps a key of ``AuditEvent.data`` to one. A key nobody
declared is named by the target model's field of that name, else shown as is.
Station names come from ``AppConfig.audit_station_names(ids) -> {id: name}``
(the kernel keeps station ids as plain integers and never imports stations).
"""

from __future__ import annotations

import csv
import fnmatch
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casp.hooks import declared
from casp.models import AuditEvent

# Keys that several apps write; an app adds its own in AppConfig.audit_data_labels.
COMMON_DATA_LABELS = {
    "from": gettext_lazy("from"),
    "to": gettext_lazy("to"),
    "note": gettext_lazy("note"),
    "reason": gettext_lazy("reason"),
    "kind": gettext_lazy("kind"),
    "number": gettext_lazy("number"),
    "year": gettext_lazy("year"),
    "source": gettext_lazy("source"),
    "change": gettext_lazy("change"),
    "changes": gettext_lazy("changes"),
    "size": gettext_lazy("size (bytes)"),
    "lang": gettext_lazy("language"),
    "user": gettext_lazy("user"),
    "version": gettext_lazy("version"),
}


@cache
def _action_labels() -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    labels = declared("audit_actions")
    exact = {code: label for code, label in labels.items() if "*" not in code}
    patterns = [(code, label) for code, label in labels.items() if "*" in code]
    return exact, patterns


@cache
def _data_labels() -> dict[str, Any]:
    return {**COMMON_DATA_LABELS, **declared("audit_data_labels")}


def action_label(code: str) -> str:
    """Return the label of an action code in the active language; the code itself if nobody declared it."""
    exact, patterns = _action_labels()
    if code in exact:
        return str(exact[code])
    for pattern, label in patterns:
        if fnmatch.fnmatchcase(code, pattern):
            return str(label)
    return code


def action_choices() -> list[tuple[str, str]]:
    """Return (code, label) of every declared exact action, sorted by label (the log's filter)."""
    exact, _patterns = _action_labels()
    return sorted(((code, str(label)) for code, label in exact.items()), key=lambda c: c[1])


def _model_field(target_type: str, key: str) -> models.Field | None:
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        return None
    name = "status" if key in ("from", "to") else key
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _key_label(key: str, field: models.Field | None) -> str:
    label = _data_labels().get(key)
    if label is not None:
        return str(label)
    if field is not None and key not in ("from", "to"):
        return str(field.verbose_name)
    return key.replace("_", " ")


def _value_text(value: Any, field: models.Field | None = None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field is not None and field.choices and isinstance(value, str):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list):
        parts = [f"({_value_text(v, field)})" if isinstance(v, list) else _value_text(v, field) for v in value]
        return ", ".join(parts) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_value_text(v)}" for k, v in value.items())
    return str(value)


def event_details(event: AuditEvent) -> list[tuple[str, str]]:
    """Return the event's data as (label, value) pairs in the active language."""
    pairs = []
    for key, value in (event.data or {}).items():
        if key == "changes" and isinstance(value, dict):
            for name, change in value.items():
                field = _model_field(event.target_type, name)
                if isinstance(change, list) and len(change) == 2:
                    text = f"{_value_text(change[0], field)} → {_value_text(change[1], field)}"
                else:
                    text = _value_text(change, field)
                pairs.append((_key_label(name, field), text))
            continue
        field = _model_field(event.target_type, key)
        pairs.append((_key_label(key, field), _value_text(value, field)))
    return pairs


def station_names(ids: Iterable[int]) -> dict[int, str]:
    """Return {station id: name in the active language} from the apps that know stations."""
    wanted = {i for i in ids if i is not None}
    names: dict[int, str] = {}
    if not wanted:
        return names
    for config in apps.get_app_configs():
        hook = getattr(config, "audit_station_names", None)
        if hook is not None:
            names.update(hook(wanted))
    return names


@dataclass(frozen=True)
class EventRow:
    """One audit event as a person reads it."""

    event: AuditEvent
    action: str
    station: str
    details: list[tuple[str, str]]


def event_rows(events: Iterable[AuditEvent]) -> list[EventRow]:
    """Return the events told in the active language; one call for all their station names."""
    events = list(events)
    names = station_names(e.station_id for e in events)
    return [
        EventRow(
            event=e,
            action=action_label(e.action),
            station=names.get(e.station_id, str(e.station_id)) if e.station_id else "",
            details=event_details(e),
        )
        for e in events
    ]


CSV_CHUNK = 2000


def events_csv_lines(events: models.QuerySet[AuditEvent]) -> Iterator[str]:
    """Yield the events as CSV lines (header first), in the active language, a chunk at a time."""

    class _Line:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(  # the BOM lets spreadsheet programs read the Urdu as UTF-8
        [
            _("Time"),
            _("User"),
            _("Action"),
            _("Action code"),
            _("Concerning"),
            _("Station"),
            _("IP address"),
            _("Read or change"),
            _("Details"),
        ]
    )
    chunk: list[AuditEvent] = []
    for event in events.iterator(chunk_size=CSV_CHUNK):
        chunk.append(event)
        if len(chunk) == CSV_CHUNK:
            yield from _csv_rows(writer, chunk)
            chunk = []
    yield from _csv_rows(writer, chunk)


def _csv_rows(writer: Any, events: list[AuditEvent]) -> Iterator[str]:
    for row in event_rows(events):
        e = row.event
        yield writer.writerow(
            [
                timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                e.actor.username if e.actor else "",
                row.action,
                e.action,
                e.target_repr,
                row.station,
                e.ip_address or "",
                _("read") if e.is_read else _("change"),
                "; ".join(f"{label}: {value}" for label, value in row.details),
            ]
        )
