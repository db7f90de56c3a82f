from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from casp.context_processors import NavItem
from casp.roles import Role

_OFFICERS = frozenset(
    r.value
    for r in (
        Role.SHO,
        Role.STATION_CLERK,
        Role.INVESTIGATING_OFFICER,
        Role.DISTRICT_OFFICER,
        Role.CRO_OFFICER,
        Role.SYSTEM_ADMIN,
    )
)


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Alerts")
    nav_items = (
        NavItem(_("Alerts"), "alerts:inbox", _OFFICERS),
        NavItem(_("Check a vehicle"), "alerts:vehicle_check", _OFFICERS),
    )

    audit_actions = {
        "alerts.alert_raised": _("Alert raised"),
        "alerts.alert_viewed": _("Alert viewed"),
        "alerts.alert_acknowledged": _("Alert acknowledged"),
        "alerts.alert_closed": _("Alert closed"),
        "alerts.alerts_listed": _("Alerts listed"),
        "alerts.vehicle_checked": _("Vehicle checked against the stolen list"),
    }

    def metrics(self) -> list:
        """Prometheus metrics (casp.observability): alerts raised from every source."""
        from prometheus_client.core import CounterMetricFamily

        from alerts.models import Alert

        return [CounterMetricFamily("casp_alerts_raised", "Alerts raised, every source", value=Alert.objects.count())]

    # The daily diary entries this app writes (stations.diary); told in each reader's language.
    diary_templates = {
        "alerts.alert": _("Alert %(id)s (%(source)s): %(person)s at %(place)s matched %(name)s by %(kind)s."),
    }
