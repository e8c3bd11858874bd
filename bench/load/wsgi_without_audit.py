"""gunicorn's entry for ``bench_load.py --without-audit``: the portal with the audit log
writing nothing, for the side-by-side figure of issue 13 (the log adds under 5% to the load
test's p95). Used by the bench only; ``config.wsgi`` is what production runs.
"""

from config.wsgi import application

__all__ = ["application"]


def _drop_audit_events():
    from audit.models import AuditEvent  # once config.wsgi has set Django up

    # Every event goes through audit.services.record → AuditEvent.objects.create.
    AuditEvent.objects.create = lambda **fields: None


_drop_audit_events()
