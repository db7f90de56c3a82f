from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Alerts")

    audit_actions = {
        "alerts.alert_raised": _("Alert raised"),
        "alerts.alert_viewed": _("Alert viewed"),
        "alerts.alert_acknowledged": _("Alert acknowledged"),
        "alerts.alert_closed": _("Alert closed"),
        "alerts.alerts_listed": _("Alerts listed"),
    }
    # The daily diary entries this app writes (stations.diary); told in each reader's language.
    diary_templates = {
        "alerts.alert": _("Alert %(id)s (%(source)s): %(person)s at %(place)s matched %(name)s by %(kind)s."),
    }
