from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casp.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder (manage.py backup) into a fresh, empty database and its files into MEDIA_ROOT; "
        "print each table's rows in the backup and restored."
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("backup", type=Path, help="the backup folder, var/backups/casp-<UTC time>")
        parser.add_argument("--database", default=None, help="database to restore into (default: the configured one)")
        parser.add_argument("--create", action="store_true", help="create the database first if it does not exist")
        parser.add_argument("--media-root", type=Path, default=None, help="where to unpack files (default MEDIA_ROOT)")

    def handle(self, *args: object, backup: Path, database: str | None, create: bool, media_root: Path | None,
               **options: object) -> None:  # fmt: skip
        dbname = database or settings.DATABASES["default"]["NAME"]
        try:
            report = backup_restore(folder=backup, dbname=dbname, create=create, media_root=media_root)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        differ = {t: rows for t, rows in report["tables"].items() if rows[0] != rows[1]}
        for table, (expected, restored) in report["tables"].items():
            self.stdout.write(f"{table}: {expected} -> {restored}")
        self.stdout.write(f"Restored into {dbname}: {len(report['tables'])} tables, {report['files']} files.")
        if differ:
            # Rows written while the dump ran are counted in the manifest but not in the dump's snapshot.
            self.stdout.write(self.style.WARNING(f"Row counts differ from the manifest in: {', '.join(differ)}"))
