from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KhidmatConfig(AppConfig):
    name = "khidmat"
    verbose_name = _("Khidmat Markaz")
