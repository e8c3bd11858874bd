from datetime import date

from django.core.management.base import BaseCommand, CommandError

from notices import services as notices

from ... import services


class Command(BaseCommand):
    help = "Run the reminder sweep now: build today's digests and send them (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to sweep for, YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--dry-run", action="store_true", help="print the digests, store and send nothing"
        )
        parser.add_argument(
            "--inline",
            action="store_true",
            help="send in this process instead of through the Celery workers",
        )

    def handle(self, *args, date=None, dry_run=False, inline=False, **options):
        day = self._day(date)
        result = services.reminders_sweep(day=day, dry_run=dry_run, enqueue=not inline)
        verb = "would send" if dry_run else "digests for"
        self.stdout.write(
            f"{result.day}: {result.items} items due, {verb} {len(result.drafts)} people"
        )
        if options["verbosity"] >= 1:
            for name, text in result.texts():
                self.stdout.write(f"\n==== {name} ====\n{text}")
        if dry_run:
            return
        if inline:
            outcomes = notices.deliveries_deliver_pending(inline=True)
            self.stdout.write(
                f"\nsent {outcomes.count('sent')}, to retry {outcomes.count('retry')}, "
                f"failed {outcomes.count('failed')}"
            )
        else:
            self.stdout.write(f"\n{len(result.enqueued)} deliveries handed to the workers")

    def _day(self, value):
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}") from error
