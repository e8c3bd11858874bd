from celery import shared_task

from .models import AuditEvent


@shared_task
def purge_audit_log():
    """Nightly: drop the audit events past the retention period (never fewer than 180 days)."""
    return AuditEvent.purge()
