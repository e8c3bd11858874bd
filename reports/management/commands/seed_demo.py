from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accountability import demo as accountability_demo


class Command(BaseCommand):
    help = "Load the demo organisations, people and records (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="run even when DEBUG is off (never in production)"
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a known password; it only runs with DEBUG on "
                "(pass --force for a throw-away database)."
            )
        accountability_demo.seed()
        self.stdout.write(self.style.SUCCESS("Demo data is in place. Demo accounts:"))
        self.stdout.write(f"  password for all: {accountability_demo.DEMO_PASSWORD}")
        for account in accountability_demo.demo_accounts():
            self.stdout.write(
                f"  {account.username:<12} {account.full_name:<4} "
                f"{account.organisation}: {account.roles}"
            )
