"""Write audit events. Call ``record`` inside the transaction that makes the change."""

from __future__ import annotations

import re
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.http import HttpRequest

from casp.http import client_ip
from casp.models import AuditEvent, User

_SECRET_KEY = re.compile(r"pass(word)?|secret|token|api[_-]?key|otp|pin$|authorization|cookie", re.IGNORECASE)
MASK = "***"

# The request being served, so that every event written during it (by a service
# that was not handed the request) still records the client's IP address.
# casp.middleware.AuditRequestMiddleware sets it.
current_request: ContextVar[HttpRequest | None] = ContextVar("casp_audit_request", default=None)


def mask_secrets(value: Any) -> Any:
    """Return ``value`` with the values of secret-looking keys replaced by ``***`` (recursively)."""
    if isinstance(value, dict):
        return {k: (MASK if _SECRET_KEY.search(str(k)) else mask_secrets(v)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_secrets(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    station_id: int | None = None,
    request: HttpRequest | None = None,
    data: dict[str, Any] | None = None,
    is_read: bool = False,
) -> AuditEvent:
    """Append an audit event for ``action`` on ``target`` by ``actor``.

    Without ``request`` the IP address is taken from the request being served,
    if any (a Celery task has none).
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    target_type = target_id = target_repr = ""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = str(target.pk)
        target_repr = str(target)[:200]
        if station_id is None:
            station_id = getattr(target, "station_id", None)
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr,
        station_id=station_id,
        ip_address=client_ip(request or current_request.get()),
        data=mask_secrets(data or {}),
        is_read=is_read,
    )


def record_read(
    *, actor: User, action: str, target: models.Model | None = None, request: HttpRequest | None = None, **kw: Any
) -> AuditEvent:
    """Append a read event (a view, search or download of sensitive data)."""
    return record(actor=actor, action=action, target=target, request=request, is_read=True, **kw)
