from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casp.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database (pg_dump custom format) and the private files into var/backups/casp-<UTC time>/."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--output-dir", type=Path, default=None, help="where to write (default var/backups)")

    def handle(self, *args: object, output_dir: Path | None, **options: object) -> None:
        try:
            backup = backup_create(target_dir=output_dir or settings.VAR_DIR / "backups")
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup written to {backup.folder} ({backup.tables} tables, {backup.rows} rows).")
