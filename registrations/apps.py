from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from casp.context_processors import NavItem
from casp.roles import POLICE_ROLES, Role

_POLICE = frozenset({*(r.value for r in POLICE_ROLES), Role.SYSTEM_ADMIN.value})


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")
    nav_items = (NavItem(_("Registrations"), "registrations:list", _POLICE),)

    audit_actions = {
        "registrations.filed": _("Tenant, servant, employee or foreigner registered"),
        "registrations.ended": _("Registration ended"),
        "registrations.matched": _("Registered people checked against the CRO"),
        "registrations.csv_imported": _("Registrations uploaded from a CSV file"),
        "registrations.viewed": _("Registration viewed"),
        "registrations.searched": _("Registrations searched"),
    }
    audit_data_labels = {
        "channel": _("channel"),
        "persons": _("persons"),
        "visa_expired": _("visa expired"),
        "q": _("search"),
    }
