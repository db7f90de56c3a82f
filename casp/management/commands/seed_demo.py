from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the demo data (idempotent). Each app contributes through AppConfig.seed_demo(out)."

    def handle(self, *args: object, **options: object) -> None:
        for config in apps.get_app_configs():
            seed = getattr(config, "seed_demo", None)
            if seed is not None:
                seed(self.stdout)
        self.stdout.write(f"Demo password for every account above: {settings.DEMO_PASSWORD}")
