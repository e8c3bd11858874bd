"""Sending: claimed once, retried with back-off, failures visible, the in-app copy regardless."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from deadlines import services as sweeps
from notices import channels, services
from notices.models import Channel, Delivery, Digest, Level, ReminderPolicy

from .conftest import item

DAY = date(2026, 11, 24)


@pytest.fixture
def swept(world, fake_items, monkeypatch):
    """A sweep with e-mail for the unit head, deliveries left pending (no broker)."""
    monkeypatch.setattr(services, "enqueue_deliveries", lambda ids: None)
    world.head.email = "head@example.org"
    world.head.save()
    fake_items.append(item(world.org, 1, Level.RED, [world.head]))
    sweeps.reminders_sweep(day=DAY)
    return Delivery.objects.get(channel=Channel.EMAIL)


def test_it_sends_the_digest_by_email_in_chinese(swept):
    assert services.delivery_send(delivery_id=swept.pk) == "sent"
    [message] = mail.outbox
    assert message.to == ["head@example.org"]
    assert message.subject.startswith("【主体责任提醒】11月24日")
    assert "张处长同志" in message.body
    assert "测试事项1" in message.body
    swept.refresh_from_db()
    assert swept.state == Delivery.State.SENT
    assert swept.sent_at is not None


def test_a_sent_delivery_is_not_sent_again(swept):
    services.delivery_send(delivery_id=swept.pk)
    assert services.delivery_send(delivery_id=swept.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_a_mail_failure_is_recorded_and_retried_later(swept, monkeypatch):
    def refuse(delivery):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setitem(channels.SENDERS, Channel.EMAIL, refuse)
    assert services.delivery_send(delivery_id=swept.pk) == "retry"
    swept.refresh_from_db()
    assert swept.state == Delivery.State.PENDING
    assert "SMTP down" in swept.last_error
    assert swept.next_attempt_at > timezone.now()
    # Not before its time: the pending pass leaves it alone...
    assert swept.pk not in services.deliveries_due()
    # ...and sends it once the back-off has passed.
    monkeypatch.setitem(channels.SENDERS, Channel.EMAIL, channels.send_email)
    with time_machine.travel(swept.next_attempt_at + timedelta(seconds=1)):
        assert services.deliveries_deliver_pending(inline=True) == ["sent"]
    assert len(mail.outbox) == 1


def test_the_back_off_grows_with_each_attempt(swept, monkeypatch):
    monkeypatch.setitem(channels.SENDERS, Channel.EMAIL, lambda d: 1 / 0)
    waits = []
    for _ in range(3):
        Delivery.objects.filter(pk=swept.pk).update(next_attempt_at=timezone.now())
        before = timezone.now()
        services.delivery_send(delivery_id=swept.pk)
        swept.refresh_from_db()
        waits.append((swept.next_attempt_at - before).total_seconds())
    assert waits[0] < waits[1] < waits[2]


def test_after_the_last_attempt_the_delivery_is_failed(swept, monkeypatch, settings):
    settings.REMINDER_MAX_ATTEMPTS = 2
    monkeypatch.setitem(channels.SENDERS, Channel.EMAIL, lambda d: 1 / 0)
    services.delivery_send(delivery_id=swept.pk)
    Delivery.objects.filter(pk=swept.pk).update(next_attempt_at=timezone.now())
    assert services.delivery_send(delivery_id=swept.pk) == "failed"
    swept.refresh_from_db()
    assert swept.state == Delivery.State.FAILED
    assert "ZeroDivisionError" in swept.last_error


def test_the_in_app_copy_is_there_when_mail_fails(swept, monkeypatch, world):
    monkeypatch.setitem(channels.SENDERS, Channel.EMAIL, lambda d: 1 / 0)
    services.delivery_send(delivery_id=swept.pk)
    inapp = Delivery.objects.get(channel=Channel.INAPP)
    assert inapp.state == Delivery.State.SENT
    assert Digest.objects.unread().filter(recipient=world.head).exists()


def test_a_delivery_claimed_by_a_worker_that_died_is_sent_by_the_pending_pass(swept):
    Delivery.objects.filter(pk=swept.pk).update(
        state=Delivery.State.SENDING,
        attempts=1,
        lease_until=timezone.now() - timedelta(seconds=1),
    )
    assert services.deliveries_deliver_pending(inline=True) == ["sent"]
    assert len(mail.outbox) == 1


def test_a_delivery_another_worker_is_sending_is_left_alone(swept):
    Delivery.objects.filter(pk=swept.pk).update(
        state=Delivery.State.SENDING, lease_until=timezone.now() + timedelta(minutes=5)
    )
    assert services.delivery_send(delivery_id=swept.pk) == "skipped"
    assert mail.outbox == []


def test_the_retry_button_puts_a_failed_delivery_back_in_the_queue(
    swept, monkeypatch, django_capture_on_commit_callbacks
):
    enqueued = []
    monkeypatch.setattr(services, "enqueue_deliveries", enqueued.extend)
    Delivery.objects.filter(pk=swept.pk).update(state=Delivery.State.FAILED, attempts=6)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.delivery_retry(delivery=swept)
    swept.refresh_from_db()
    assert swept.state == Delivery.State.PENDING
    assert swept.attempts == 0
    assert enqueued == [swept.pk]


def _enable_robot(world, url, kind=ReminderPolicy.WebhookKind.DINGTALK):
    ReminderPolicy.objects.update_or_create(
        organisation=world.org,
        defaults={"webhook_enabled": True, "webhook_url": url, "webhook_kind": kind},
    )


def test_the_group_robot_gets_one_dingtalk_markdown_message_a_day(
    world, fake_items, robot, monkeypatch
):
    monkeypatch.setattr(services, "enqueue_deliveries", lambda ids: None)
    _enable_robot(world, robot.url)
    fake_items += [item(world.org, n, Level.RED, [world.head]) for n in range(3)]
    sweeps.reminders_sweep(day=DAY)
    sweeps.reminders_sweep(day=DAY)
    services.deliveries_deliver_pending(inline=True)
    [message] = robot.received
    assert message["msgtype"] == "markdown"
    assert "红灯3" in message["markdown"]["title"]
    assert "张处长" in message["markdown"]["text"]


def test_the_wecom_robot_gets_its_own_message_shape(world, fake_items, robot, monkeypatch):
    monkeypatch.setattr(services, "enqueue_deliveries", lambda ids: None)
    _enable_robot(world, robot.url, ReminderPolicy.WebhookKind.WECOM)
    fake_items.append(item(world.org, 1, Level.YELLOW, [world.head]))
    sweeps.reminders_sweep(day=DAY)
    services.deliveries_deliver_pending(inline=True)
    assert "content" in robot.received[0]["markdown"]


def test_a_robot_refusal_is_a_failure_with_its_message(world, fake_items, robot, monkeypatch):
    monkeypatch.setattr(services, "enqueue_deliveries", lambda ids: None)
    robot.answer = {"errcode": 310000, "errmsg": "keywords not in content"}
    _enable_robot(world, robot.url)
    fake_items.append(item(world.org, 1, Level.RED, [world.head]))
    sweeps.reminders_sweep(day=DAY)
    assert services.deliveries_deliver_pending(inline=True) == ["retry"]
    delivery = Delivery.objects.get(channel=Channel.WEBHOOK)
    assert "keywords not in content" in delivery.last_error


def test_no_group_message_when_the_robot_is_off(world, fake_items, monkeypatch):
    monkeypatch.setattr(services, "enqueue_deliveries", lambda ids: None)
    fake_items.append(item(world.org, 1, Level.RED, [world.head]))
    sweeps.reminders_sweep(day=DAY)
    assert not Delivery.objects.filter(channel=Channel.WEBHOOK).exists()
    assert not Digest.objects.filter(recipient__isnull=True).exists()


def test_the_group_message_names_the_most_urgent_people_first_and_not_all(
    world, fake_items, robot, monkeypatch, settings
):
    settings.REMINDER_DIGEST_ITEMS_PER_LEVEL = 2
    monkeypatch.setattr(services, "enqueue_deliveries", lambda ids: None)
    _enable_robot(world, robot.url)
    fake_items += [
        item(world.org, 1, Level.GREEN, [world.leader]),
        item(world.org, 2, Level.RED, [world.head]),
        item(world.org, 3, Level.YELLOW, [world.office]),
    ]
    sweeps.reminders_sweep(day=DAY)
    group = Digest.objects.get(recipient__isnull=True)
    assert [p["name"] for p in group.items["people"]] == ["张处长", "刘党办"]
