from django.core.management.base import BaseCommand

from audit.models import AuditEvent


class Command(BaseCommand):
    help = "Delete audit events older than AUDIT_RETENTION_DAYS (at least 180 days)."

    def handle(self, *args, **options):
        deleted = AuditEvent.purge()
        self.stdout.write(
            f"audit log: {deleted} events older than {AuditEvent.retention_days()} days deleted"
        )
