from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.backup import restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_portal into an EMPTY database and an EMPTY evidence "
        "folder (or, without --evidence-root, the portal's EMPTY file storage: the bucket), then "
        "verify row counts, history and file checksums against its manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", type=Path, required=True, help="the backup folder")
        parser.add_argument("--database-url", required=True, help="an empty PostgreSQL database")
        parser.add_argument(
            "--evidence-root",
            type=Path,
            help="an empty folder (default: the configured storage, which must be empty)",
        )

    def handle(self, *args, input, database_url, evidence_root=None, **options):
        try:
            report = restore(input, database_url, evidence_root)
        except (RuntimeError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {report.tables} tables ({report.rows} rows, {report.history_rows} history "
            f"rows) and {report.files} evidence files."
        )
        if not report.ok:
            raise CommandError("Verification failed:\n" + "\n".join(report.mismatches))
        self.stdout.write(self.style.SUCCESS("Verified: row counts and checksums match."))
