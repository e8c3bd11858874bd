"""The sweep: one digest per person per day, grouped by colour; idempotent and constant-query."""

import threading
from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deadlines import services as sweeps
from notices import services
from notices.models import Channel, Delivery, Digest, Level, ReminderPreference

from .conftest import item

DAY = date(2026, 11, 24)


@pytest.fixture
def no_enqueue(monkeypatch):
    sent = []
    monkeypatch.setattr(services, "enqueue_deliveries", lambda ids: sent.extend(ids))
    return sent


def test_it_builds_one_digest_per_person_grouping_items_by_colour(world, fake_items, no_enqueue):
    fake_items += [
        item(world.org, 1, Level.RED, [world.head]),
        item(world.org, 2, Level.GREEN, [world.head]),
        item(world.org, 3, Level.RED, [world.head, world.principal]),
    ]
    sweeps.reminders_sweep(day=DAY)
    digest = Digest.objects.get(recipient=world.head)
    assert digest.counts == {"red": 2, "green": 1}
    assert digest.level == Level.RED
    assert [i["key"] for i in digest.items["red"]] == ["measure:3", "measure:1"] or len(
        digest.items["red"]
    ) == 2
    assert Digest.objects.get(recipient=world.principal).counts == {"red": 1}


def test_a_second_run_the_same_day_creates_and_sends_nothing_new(world, fake_items, no_enqueue):
    world.head.email = "head@example.org"
    world.head.save()
    fake_items.append(item(world.org, 1, Level.RED, [world.head]))
    sweeps.reminders_sweep(day=DAY)
    sweeps.reminders_sweep(day=DAY)
    assert Digest.objects.filter(recipient=world.head).count() == 1
    assert Delivery.objects.filter(digest__recipient=world.head).count() == 2  # in-app + e-mail


def test_a_run_after_missed_days_sends_todays_state_once(world, fake_items, no_enqueue):
    fake_items.append(item(world.org, 1, Level.RED, [world.head], urgency=5))
    sweeps.reminders_sweep(day=date(2026, 11, 28))
    assert list(Digest.objects.values_list("day", flat=True)) == [date(2026, 11, 28)]


def test_the_next_day_gets_a_new_digest(world, fake_items, no_enqueue):
    fake_items.append(item(world.org, 1, Level.RED, [world.head]))
    sweeps.reminders_sweep(day=DAY)
    sweeps.reminders_sweep(day=date(2026, 11, 25))
    assert Digest.objects.filter(recipient=world.head).count() == 2


def test_a_dry_run_stores_nothing(world, fake_items, no_enqueue):
    fake_items.append(item(world.org, 1, Level.RED, [world.head]))
    result = sweeps.reminders_sweep(day=DAY, dry_run=True)
    assert Digest.objects.count() == 0
    assert Delivery.objects.count() == 0
    assert not no_enqueue
    [(name, text)] = list(result.texts())
    assert name == "张处长"
    assert "【红灯】1项" in text
    assert "测试事项1" in text


def test_email_goes_only_to_people_with_an_address_who_want_it(
    world, fake_items, no_enqueue, django_capture_on_commit_callbacks
):
    world.head.email = "head@example.org"
    world.head.save()
    world.leader.email = "leader@example.org"
    world.leader.save()
    ReminderPreference.objects.create(user=world.leader, email=False)
    fake_items.append(item(world.org, 1, Level.RED, [world.head, world.leader, world.principal]))
    with django_capture_on_commit_callbacks(execute=True):
        sweeps.reminders_sweep(day=DAY)
    emails = Delivery.objects.filter(channel=Channel.EMAIL)
    assert list(emails.values_list("address", flat=True)) == ["head@example.org"]
    assert Delivery.objects.filter(channel=Channel.INAPP).count() == 3
    assert set(no_enqueue) == set(emails.values_list("pk", flat=True))


def test_in_app_copies_are_delivered_without_a_worker(world, fake_items, no_enqueue):
    fake_items.append(item(world.org, 1, Level.GREEN, [world.head]))
    sweeps.reminders_sweep(day=DAY)
    delivery = Delivery.objects.get(channel=Channel.INAPP)
    assert delivery.state == Delivery.State.SENT
    assert mail.outbox == []


def test_a_digest_lists_only_the_most_urgent_items_but_counts_all(
    world, fake_items, no_enqueue, settings
):
    settings.REMINDER_DIGEST_ITEMS_PER_LEVEL = 3
    fake_items += [item(world.org, n, Level.RED, [world.head], urgency=n) for n in range(10)]
    sweeps.reminders_sweep(day=DAY)
    digest = Digest.objects.get(recipient=world.head)
    assert digest.counts["red"] == 10
    assert [i["key"] for i in digest.items["red"]] == ["measure:9", "measure:8", "measure:7"]


def test_inactive_people_get_no_digest(world, fake_items, no_enqueue):
    world.head.is_active = False
    world.head.save()
    fake_items.append(item(world.org, 1, Level.RED, [world.head]))
    sweeps.reminders_sweep(day=DAY)
    assert not Digest.objects.exists()


def _queries_for(world, fake_items, count):
    fake_items.clear()
    people = [world.head, world.leader, world.principal, world.inspector, world.office]
    fake_items += [
        item(world.org, n, [Level.GREEN, Level.YELLOW, Level.RED][n % 3], people[: 1 + n % 5])
        for n in range(count)
    ]
    Digest.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        sweeps.reminders_sweep(day=DAY)
    return len(queries)


def test_the_sweep_query_count_does_not_grow_with_the_items(world, fake_items, no_enqueue):
    assert _queries_for(world, fake_items, 5) == _queries_for(world, fake_items, 60)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_store_each_digest_and_delivery_once(world, fake_items, no_enqueue):
    world.head.email = "head@example.org"
    world.head.save()
    fake_items += [item(world.org, n, Level.RED, [world.head, world.principal]) for n in range(20)]
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            sweeps.reminders_sweep(day=DAY)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Digest.objects.filter(recipient__isnull=False).count() == 2
    assert Delivery.objects.count() == 3  # two in-app, one e-mail
