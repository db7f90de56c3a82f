from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from casp.context_processors import NavItem
from casp.roles import Role

# Everyone but hotel staff, who have no station of their own to look at.
_STATION_USERS = frozenset(role.value for role in Role if role != Role.HOTEL_STAFF)


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = _("Stations")
    nav_items = (NavItem(_("Stations"), "stations:list", _STATION_USERS),)

    def seed_demo(self, out) -> None:  # noqa: ANN001
        from stations.demo import seed_organisation

        for line in seed_organisation():
            out.write(f"  {line}")
