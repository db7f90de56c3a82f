"""The roles of CASP, held as auth groups with permissions.

A role says what a user may do; a posting (stations.Posting) says where.
Permissions are named "app_label.codename"; a role's permissions on models
that do not exist yet (apps still to be built) are skipped until they do.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    DISTRICT_OFFICER = "district_officer", _("District officer (DPO/SDPO)")
    SHO = "sho", _("Station House Officer (SHO)")
    STATION_CLERK = "station_clerk", _("Station clerk (moharrir)")
    INVESTIGATING_OFFICER = "investigating_officer", _("Investigating officer")
    CRO_OFFICER = "cro_officer", _("CRO officer")
    KHIDMAT_STAFF = "khidmat_staff", _("Khidmat Markaz staff")
    KHIDMAT_INCHARGE = "khidmat_incharge", _("Khidmat Markaz in-charge")
    HOTEL_STAFF = "hotel_staff", _("Hotel staff")


# Roles whose posting is to a district rather than a single station.
DISTRICT_ROLES = frozenset({Role.DISTRICT_OFFICER, Role.CRO_OFFICER})
# Roles posted to a station.
STATION_ROLES = frozenset({Role.SHO, Role.STATION_CLERK, Role.INVESTIGATING_OFFICER, Role.KHIDMAT_STAFF})
# Police officers: the roles whose posting gives jurisdiction over a station's police records (alerts, guests,
# complaints). Khidmat Markaz staff are posted at a station too but are civilians at a counter: not police.
POLICE_ROLES = (Role.SHO, Role.STATION_CLERK, Role.INVESTIGATING_OFFICER, Role.DISTRICT_OFFICER, Role.CRO_OFFICER)

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.SYSTEM_ADMIN: ["*"],
    Role.DISTRICT_OFFICER: [
        "stations.view_policestation",
        "stations.view_posting",
        "stations.add_posting",
    ],
    Role.SHO: ["stations.view_policestation", "stations.view_posting"],
    Role.STATION_CLERK: ["stations.view_policestation"],
    Role.INVESTIGATING_OFFICER: ["stations.view_policestation"],
    Role.CRO_OFFICER: ["stations.view_policestation"],
    Role.KHIDMAT_STAFF: ["stations.view_policestation"],
    Role.KHIDMAT_INCHARGE: ["stations.view_policestation"],
    Role.HOTEL_STAFF: [],
}


def roles_sync() -> list:
    """Create or update one group per role with its permissions; return the groups."""
    from django.contrib.auth.models import Group, Permission

    groups = []
    all_perms = {
        f"{p.content_type.app_label}.{p.codename}": p for p in Permission.objects.select_related("content_type")
    }
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = ROLE_PERMISSIONS.get(role, [])
        if wanted == ["*"]:
            perms = list(all_perms.values())
        else:
            perms = [all_perms[name] for name in wanted if name in all_perms]
        group.permissions.set(perms)
        groups.append(group)
    return groups


def user_roles(user: object) -> frozenset[str]:
    """Return the role names of ``user`` (cached on the instance for the request)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_casp_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
        if getattr(user, "is_superuser", False):
            names.add(Role.SYSTEM_ADMIN.value)
        cached = frozenset(names)
        user._casp_roles = cached  # type: ignore[attr-defined]
    return cached


def has_role(user: object, *roles: str) -> bool:
    return bool(user_roles(user) & {str(r) for r in roles})
