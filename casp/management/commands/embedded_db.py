from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casp import embedded_db


class Command(BaseCommand):
    help = "Show or stop the embedded PostgreSQL server (used when DATABASE_URL is unset)."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("action", choices=["status", "stop"])

    def handle(self, *args: object, action: str, **options: object) -> None:
        if settings.DATABASE_URL:
            raise CommandError("DATABASE_URL is set: CASP is not using the embedded server.")
        if action == "stop":
            stopped = embedded_db.stop(settings.VAR_DIR)
            self.stdout.write("Embedded PostgreSQL stopped." if stopped else "Embedded PostgreSQL was not running.")
        else:
            db = settings.DATABASES["default"]
            self.stdout.write(f"Embedded PostgreSQL: socket {db['HOST']} port {db['PORT']} database {db['NAME']}")
