from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FirConfig(AppConfig):
    name = "fir"
    verbose_name = _("First Information Reports")
