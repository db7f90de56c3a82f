from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from casp.context_processors import NavItem
from casp.roles import Role

# Everyone but hotel staff, who have no station of their own to look at.
_STATION_USERS = frozenset(role.value for role in Role if role != Role.HOTEL_STAFF)
# Who reads the audit log: the administrator (everything), SHOs and district officers (their stations).
_AUDIT_READERS = frozenset({Role.SYSTEM_ADMIN.value, Role.SHO.value, Role.DISTRICT_OFFICER.value})


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = _("Stations")
    nav_items = (
        NavItem(_("Stations"), "stations:list", _STATION_USERS),
        NavItem(_("Audit log"), "stations:audit_log", _AUDIT_READERS),
    )
    audit_actions = {
        "stations.register_*.entry_added": _("Register entry added"),
        "stations.register_*.entry_corrected": _("Register entry corrected"),
        "stations.register_*.entry_voided": _("Register entry voided"),
    }
    audit_data_labels = {"register": _("register")}

    def audit_station_names(self, ids: set[int]) -> dict[int, str]:
        """Hook read by casp.audit_display: the names of stations ``ids`` in the active language (one query)."""
        from stations.models import PoliceStation

        return {s.pk: s.display_name for s in PoliceStation.objects.filter(pk__in=ids).only("pk", "name", "name_ur")}

    def seed_demo(self, out) -> None:  # noqa: ANN001
        from stations.demo import seed_organisation

        for line in seed_organisation():
            out.write(f"  {line}")
