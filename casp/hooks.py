"""Read what apps declare on their AppConfig (the way lower apps learn about higher ones without importing them)."""

from __future__ import annotations

from typing import Any

from django.apps import apps


def declared(attribute: str) -> dict[str, Any]:
    """Return every app's ``AppConfig.<attribute>`` dict merged, in INSTALLED_APPS order (later apps win)."""
    merged: dict[str, Any] = {}
    for config in apps.get_app_configs():
        merged.update(getattr(config, attribute, {}))
    return merged
