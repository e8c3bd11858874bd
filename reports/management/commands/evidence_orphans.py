from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from common.evidence import orphaned_files


class Command(BaseCommand):
    help = (
        "List (or with --delete, remove) evidence files that no evidence row names, left by a "
        "save the process or the database did not survive."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="remove them")
        parser.add_argument(
            "--hours",
            type=int,
            default=24,
            help="only files older than this, so saves in progress are left alone (default 24)",
        )

    def handle(self, *args, delete=False, hours=24, **options):
        names = orphaned_files(older_than=timedelta(hours=hours))
        for name in names:
            if delete:
                default_storage.delete(name)
            self.stdout.write(name)
        verb = "Removed" if delete else "Found"
        self.stdout.write(f"{verb} {len(names)} orphaned evidence files.")
