"""End to end with a real Redis and a real Celery worker process."""

import datetime
import threading
import time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from deadlines import services as sweeps
from notices import services
from notices.models import Channel, Delivery, Digest, ReminderPolicy

from .conftest import DEAD_BROKER, broker_at, wait_for


@pytest.fixture
def overdue(rect, world):
    """The 基建处 measure is three days overdue; the unit head has an e-mail address."""
    world.head.email = "head@example.org"
    world.head.save()
    rect.measure.deadline = timezone.localdate() - datetime.timedelta(days=3)
    rect.measure.save()
    return rect.measure


def email_delivery(world):
    return Delivery.objects.get(digest__recipient=world.head, channel=Channel.EMAIL)


def test_the_sweep_enqueues_the_worker_delivers_and_the_inbox_shows_it(
    celery_worker, overdue, world, login
):
    sweeps.reminders_sweep()
    assert wait_for(lambda: email_delivery(world).state == Delivery.State.SENT)
    assert email_delivery(world).attempts == 1
    response = login(world.head).get(reverse("reminders:digest-list"))
    assert "已逾期3天" in response.text


def test_the_worker_posts_the_group_message(celery_worker, overdue, world, robot):
    ReminderPolicy.objects.create(
        organisation=world.org, webhook_enabled=True, webhook_url=robot.url
    )
    sweeps.reminders_sweep()
    assert wait_for(lambda: len(robot.received) == 1)
    assert "张处长" in robot.received[0]["markdown"]["text"]


def test_two_concurrent_sweeps_with_a_worker_send_everything_once(
    celery_worker, overdue, world, robot
):
    ReminderPolicy.objects.create(
        organisation=world.org, webhook_enabled=True, webhook_url=robot.url
    )
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            sweeps.reminders_sweep()
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sweeps.reminders_sweep()  # and a third, late
    assert wait_for(
        lambda: (
            not Delivery.objects.exclude(state=Delivery.State.SENT).exists()
            and len(robot.received) >= 1
        )
    )
    time.sleep(1)  # give a duplicate, if there were one, the time to arrive
    assert len(robot.received) == 1
    assert email_delivery(world).attempts == 1
    assert Digest.objects.filter(recipient=world.head).count() == 1


def test_with_redis_down_a_save_returns_quickly_and_the_reminder_goes_out_after(
    celery_worker, overdue, world, client
):
    from accountability.models import Role, RoleAssignment

    RoleAssignment.objects.get_or_create(user=world.admin, organisation=world.org, role=Role.ADMIN)
    client.force_login(world.admin)
    with broker_at(DEAD_BROKER):
        started = time.monotonic()
        response = client.post(reverse("reminders:sweep-run", args=[world.org.pk]))
        elapsed = time.monotonic() - started
        assert response.status_code == 302
        assert elapsed < 2.0
        assert email_delivery(world).state == Delivery.State.PENDING
    # Redis is back: the pending pass (beat, every few minutes) hands the row to the worker.
    services.deliveries_deliver_pending()
    assert wait_for(lambda: email_delivery(world).state == Delivery.State.SENT)
