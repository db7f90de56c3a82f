"""What the maps, near-repeat and trend pages declare to the rest of CASP (no model imports: apps.py can take them).

``AnalyticsConfig`` merges these in: ``nav_items = (..., SPATIAL_NAV_ITEM)``
and ``audit_actions = {..., **SPATIAL_AUDIT_ACTIONS}``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from casp.context_processors import NavItem
from casp.roles import Role

SPATIAL_READERS = (Role.SHO, Role.STATION_CLERK, Role.INVESTIGATING_OFFICER, Role.DISTRICT_OFFICER)

SPATIAL_NAV_ITEM = NavItem(_("Maps and trends"), "hotspots:index", frozenset(r.value for r in SPATIAL_READERS))

SPATIAL_AUDIT_ACTIONS = {
    "analytics.hotspot_map_viewed": _("Hotspot map viewed"),
    "analytics.near_repeat_run": _("Near-repeat analysis run"),
    "analytics.trends_viewed": _("Crime trends viewed"),
}
