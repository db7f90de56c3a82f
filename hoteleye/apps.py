from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from casp.context_processors import NavItem
from casp.roles import Role

_OFFICERS = frozenset(
    {
        Role.SHO.value,
        Role.STATION_CLERK.value,
        Role.INVESTIGATING_OFFICER.value,
        Role.DISTRICT_OFFICER.value,
        Role.CRO_OFFICER.value,
        Role.SYSTEM_ADMIN.value,
    }
)


class HoteleyeConfig(AppConfig):
    name = "hoteleye"
    verbose_name = _("Hotel Eye")
    nav_items = (
        NavItem(_("Guests"), "hoteleye:occupancy", frozenset({Role.HOTEL_STAFF.value})),
        NavItem(_("Hotels"), "hoteleye:hotel_list", _OFFICERS),
        NavItem(_("Hotel alerts"), "hoteleye:alert_inbox", _OFFICERS),
    )

    def seed_demo(self, out) -> None:  # noqa: ANN001
        from hoteleye.demo import seed_hotels

        for line in seed_hotels():
            out.write(f"  {line}")
