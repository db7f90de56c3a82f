from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    """Crime analytics: CompStat reports, trends, hotspot maps and rankings, on top of every other app."""

    name = "analytics"
    verbose_name = _("Crime analytics")
