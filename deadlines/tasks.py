"""The periodic sweep (beat). Deliveries are sent by ``notices.tasks``."""

import logging
from datetime import date

from celery import shared_task

from . import services

log = logging.getLogger(__name__)


@shared_task(name="deadlines.tasks.sweep", ignore_result=True)
def sweep(day=None):
    """Today's digests; their deliveries are enqueued on commit.

    Older pending deliveries are the job of ``notices.tasks.deliver_pending`` (every five minutes).
    """
    result = services.reminders_sweep(day=date.fromisoformat(day) if day else None)
    log.info(
        "reminder sweep %s: %d items, %d digests", result.day, result.items, len(result.drafts)
    )
