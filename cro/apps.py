from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CroConfig(AppConfig):
    name = "cro"
    verbose_name = _("Criminal Record Office")
