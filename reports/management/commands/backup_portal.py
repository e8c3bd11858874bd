from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from common.backup import backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump) and the evidence files, with a manifest to verify by."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="folder to create (default: var/backups/<timestamp>)",
        )

    def handle(self, *args, output=None, **options):
        output = output or Path("var/backups") / timezone.localtime().strftime("%Y%m%d-%H%M%S")
        try:
            manifest = backup(output)
        except (RuntimeError, FileExistsError) as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            f"Backup written to {output}: {len(manifest['row_counts'])} tables, {rows} rows, "
            f"{len(manifest['files'])} evidence files."
        )
