from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from casp.context_processors import NavItem
from casp.roles import Role


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")
    nav_items = (
        NavItem(
            _("Complaints"),
            "complaints:inbox",
            frozenset(
                {
                    Role.SHO.value,
                    Role.STATION_CLERK.value,
                    Role.INVESTIGATING_OFFICER.value,
                    Role.DISTRICT_OFFICER.value,
                }
            ),
        ),
    )
    # The daily diary entries this app writes (stations.diary); told in each reader's language.
    diary_templates = {
        "complaints.received": _("Complaint %(number)s received online: %(category)s, incident at %(place)s."),
    }
