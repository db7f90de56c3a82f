from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HoteleyeConfig(AppConfig):
    name = "hoteleye"
    verbose_name = _("Hotel Eye")
