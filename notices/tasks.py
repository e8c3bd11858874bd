"""Celery tasks: thin wrappers that take ids and call the services.

Tasks are acknowledged late (settings): a worker killed mid-task leaves the message for another
worker, and the delivery row's claim makes the second run a no-op if the first one got through.
"""

import logging

from celery import shared_task

from . import batches, services

log = logging.getLogger(__name__)


@shared_task(name="notices.tasks.deliver_many", ignore_result=True)
def deliver_many(delivery_ids):
    for delivery_id in delivery_ids:
        deliver(delivery_id)


@shared_task(name="notices.tasks.deliver", ignore_result=True)
def deliver(delivery_id):
    outcome = services.delivery_send(delivery_id=delivery_id)
    if outcome == "retry":
        # The row holds the next attempt time; the pending pass (every few minutes) sends it then.
        log.info("delivery %s will be retried by the pending pass", delivery_id)
    return outcome


@shared_task(name="notices.tasks.deliver_pending", ignore_result=True)
def deliver_pending():
    services.deliveries_deliver_pending()


@shared_task(name="notices.tasks.deliver_notices", ignore_result=True)
def deliver_notices(delivery_ids):
    """One batch of event notices per id; early (eager, or a clock ahead) is a no-op claim."""
    for delivery_id in delivery_ids:
        batches.notice_delivery_send(delivery_id=delivery_id)
