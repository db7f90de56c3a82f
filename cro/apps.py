from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from casp.context_processors import NavItem

_CRO_VIEWERS = frozenset({"cro_officer", "district_officer", "sho", "system_admin"})


class CroConfig(AppConfig):
    name = "cro"
    verbose_name = _("Criminal Record Office")
    nav_items = (
        NavItem(_("Criminal records"), "cro:search", _CRO_VIEWERS),
        NavItem(_("Search by photo"), "cro:face_search", _CRO_VIEWERS),
    )

    def seed_demo(self, out) -> None:  # noqa: ANN001
        from cro.demo import seed_records

        for line in seed_records():
            out.write(f"  {line}")
