from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from casp.context_processors import NavItem


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = _("Stations")
    nav_items = (NavItem(_("Stations"), "stations:list", frozenset()),)

    def seed_demo(self, out) -> None:  # noqa: ANN001
        from stations.demo import seed_organisation

        for line in seed_organisation():
            out.write(f"  {line}")
