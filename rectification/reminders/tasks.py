"""Celery tasks: thin wrappers that take ids and call the services.

Tasks are acknowledged late (settings): a worker killed mid-task leaves the message for another
worker, and the delivery row's claim makes the second run a no-op if the first one got through.
"""

import logging
from datetime import date

from celery import shared_task

from . import services

log = logging.getLogger(__name__)


@shared_task(name="rectification.reminders.tasks.sweep", ignore_result=True)
def sweep(day=None):
    """The periodic sweep (beat): today's digests; their deliveries are enqueued on commit.

    Older pending deliveries are the job of ``deliver_pending`` (every five minutes).
    """
    result = services.reminders_sweep(day=date.fromisoformat(day) if day else None)
    log.info(
        "reminder sweep %s: %d items, %d digests", result.day, result.items, len(result.drafts)
    )


@shared_task(name="rectification.reminders.tasks.deliver_many", ignore_result=True)
def deliver_many(delivery_ids):
    for delivery_id in delivery_ids:
        deliver(delivery_id)


@shared_task(name="rectification.reminders.tasks.deliver", ignore_result=True)
def deliver(delivery_id):
    outcome = services.delivery_send(delivery_id=delivery_id)
    if outcome == "retry":
        # The row holds the next attempt time; the pending pass (every few minutes) sends it then.
        log.info("delivery %s will be retried by the pending pass", delivery_id)
    return outcome


@shared_task(name="rectification.reminders.tasks.deliver_pending", ignore_result=True)
def deliver_pending():
    services.deliveries_deliver_pending()
