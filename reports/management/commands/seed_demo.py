from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accountability import demo as accountability_demo
from notices import demo as reminders_demo
from rectification import demo as rectification_demo
from reports import demo as reports_demo


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
        with transaction.atomic():
            organisations = accountability_demo.seed()
            rectification_demo.seed(organisations)
            reminders_demo.seed(organisations)
            reports_demo.seed(organisations)
            # Apps above reports (报送 and 督办, 考核 …) plug their demo in through their AppConfig:
            # ``seed_demo(organisations)``: reports does not import them.
            # They run in INSTALLED_APPS order.
            for config in apps.get_app_configs():
                seed = getattr(config, "seed_demo", None)
                if seed is not None:
                    seed(organisations)
        self.stdout.write(self.style.SUCCESS("Demo data is in place. Demo accounts:"))
        self.stdout.write(f"  password for all: {accountability_demo.DEMO_PASSWORD}")
        for account in accountability_demo.demo_accounts():
            self.stdout.write(
                f"  {account.username:<12} {account.full_name:<4} "
                f"{account.organisation}: {account.roles}"
            )
