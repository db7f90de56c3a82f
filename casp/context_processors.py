from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from casp.roles import user_roles


@dataclass(frozen=True)
class NavItem:
    """An entry of the top navigation; an app lists its own in ``AppConfig.nav_items``."""

    label: Any
    url_name: str
    roles: frozenset[str]  # empty: every signed-in user


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Return the navigation entries the signed-in user's roles allow."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    roles = user_roles(user)
    items = []
    for config in apps.get_app_configs():
        for item in getattr(config, "nav_items", ()):
            if item.roles and not (item.roles & roles):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            items.append({"label": item.label, "url": url, "active": request.path.startswith(url) and url != "/"})
    return {"nav_items": items, "user_roles": roles}
