"""`send_reminders`: the same sweep from the command line, printing the Chinese digests."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deadlines import services as sweeps
from deadlines import tasks as sweep_tasks
from notices import services, tasks
from notices.models import Delivery, Digest
from tests.rectification.factories import FindingFactory, MeasureFactory

DAY = datetime.date(2026, 12, 1)


@pytest.fixture
def due(rect):
    rect.measure.deadline = DAY - datetime.timedelta(days=2)
    rect.measure.save()
    return rect


def run(*args):
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_for_a_chosen_day_prints_each_persons_digest_and_stores_nothing(due):
    out = run("--dry-run", "--date", DAY.isoformat())
    assert "==== 张处长 ====" in out
    assert "截至2026年12月1日，您有1项事项需要关注" in out
    assert "【红灯】1项" in out
    assert "已逾期2天" in out
    assert not Digest.objects.exists()


def test_the_command_stores_and_sends_inline(due, world, mailoutbox):
    world.head.email = "head@example.org"
    world.head.save()
    out = run("--date", DAY.isoformat(), "--inline")
    assert "sent 1" in out
    assert Digest.objects.filter(recipient=world.head, day=DAY).exists()
    assert [m.to for m in mailoutbox] == [["head@example.org"]]


def test_a_malformed_date_is_refused(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--date", "2026-13-40")


def test_digest_items_link_to_the_measure_page(due):
    sweeps.reminders_sweep(day=DAY)
    [item] = Digest.objects.get(recipient=due.head).items["red"]
    assert item["link"] == reverse("rectification:measure-detail", args=[due.measure.pk])


def test_the_sweep_task_runs_the_service(due, monkeypatch):
    enqueued = []
    monkeypatch.setattr(services, "enqueue_deliveries", enqueued.append)
    sweep_tasks.sweep.apply(kwargs={"day": DAY.isoformat()})
    assert Digest.objects.filter(day=DAY).exists()


def test_the_deliver_task_sends_a_pending_delivery(due, world, monkeypatch, mailoutbox):
    monkeypatch.setattr(services, "enqueue_deliveries", lambda ids: None)
    world.head.email = "head@example.org"
    world.head.save()
    sweeps.reminders_sweep(day=DAY)
    delivery = Delivery.objects.get(channel="email")
    tasks.deliver_many.apply(args=[[delivery.pk]])
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT


def _sweep_queries(rect, world, count):
    finding = FindingFactory(inspection=rect.inspection, number=100 + count)
    for n in range(count):
        MeasureFactory(
            finding=finding,
            lead_leader=world.leader,
            unit=[world.works, world.finance][n % 2],
            responsible_person=[world.head, world.outsider][n % 2],
            deadline=DAY + datetime.timedelta(days=n % 30 - 10),
        )
    Digest.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        sweeps.reminders_sweep(day=DAY)
    return len(queries)


def test_the_real_sweep_query_count_does_not_grow_with_the_measures(due, world, monkeypatch):
    monkeypatch.setattr(services, "enqueue_deliveries", lambda ids: None)
    for person in (world.head, world.outsider, world.leader):
        person.email = f"{person.username}@example.org"
        person.save()
    assert _sweep_queries(due, world, 4) == _sweep_queries(due, world, 40)
