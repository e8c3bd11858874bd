"""`make run` keeps the production schedule without Redis.

The embedded configuration (``config.settings.local``) names a filesystem broker and the same
beat schedule as production. Here Celery's real beat scheduler, built from that configuration,
ticks on a clock moved to the morning; what it publishes is read back from the real filesystem
transport and run by the project's real tasks. Nobody presses 立即检查.
"""

import importlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery import Celery
from celery.beat import Scheduler
from kombu import Connection

from config.celery_app import app as project_app
from config.embedded import filesystem_broker
from notices.models import Digest
from rectification.models import Measure

MORNING = datetime(2026, 12, 1, 7, 58, 0)


@pytest.fixture
def embedded(tmp_path):
    local = importlib.import_module("config.settings.local")
    app = Celery("embedded-schedule-test", set_as_current=False)
    app.conf.update(
        broker_url=local.CELERY_BROKER_URL,
        broker_transport_options=filesystem_broker(tmp_path),
        timezone=local.CELERY_TIMEZONE,
        beat_schedule=local.CELERY_BEAT_SCHEDULE,
    )
    app.local = local
    app.tz = ZoneInfo(local.TIME_ZONE)
    yield app
    app.close()


def _tick(scheduler):
    for _ in range(20):
        if scheduler.tick() != 0:
            return


def _published(app):
    """Take what beat published off the broker: [(task name, args, kwargs)]."""
    found = []
    with Connection(
        app.conf.broker_url, transport_options=app.conf.broker_transport_options
    ) as conn:
        queue = conn.SimpleQueue("celery")
        while True:
            try:
                message = queue.get(block=False)
            except queue.Empty:
                break
            args, kwargs, _embed = message.decode()
            found.append((message.headers["task"], args, kwargs))
            message.ack()
        queue.close()
    return found


def test_the_embedded_run_needs_no_redis_and_runs_tasks_in_a_worker(embedded):
    assert embedded.local.CELERY_BROKER_URL == "filesystem://"
    assert embedded.local.CELERY_TASK_ALWAYS_EAGER is False
    # production.py takes its schedule from base.py, as local.py does: one schedule, in code.
    base = importlib.import_module("config.settings.base")
    assert embedded.local.CELERY_BEAT_SCHEDULE == base.CELERY_BEAT_SCHEDULE


def test_beat_runs_the_morning_sweep_at_eight_without_anyone_pressing_a_button(
    embedded, rect, monkeypatch
):
    overdue = datetime(2026, 11, 28).date()
    Measure.objects.filter(pk=rect.measure.pk).update(deadline=overdue)
    with time_machine.travel(MORNING.replace(tzinfo=embedded.tz), tick=False) as clock:
        scheduler = Scheduler(embedded, lazy=False)
        _tick(scheduler)
        assert [name for name, *_ in _published(embedded)] == []  # 07:58: nothing yet
        clock.move_to((MORNING + timedelta(minutes=2, seconds=30)).replace(tzinfo=embedded.tz))
        _tick(scheduler)
        published = _published(embedded)
        names = sorted(name for name, *_ in published)
        # 08:00: the morning sweep, and the five-minute pending pass; not the midday pass.
        assert names == ["deadlines.tasks.sweep", "notices.tasks.deliver_pending"]
        monkeypatch.setattr("notices.services.enqueue_deliveries", lambda ids: None)
        project_app.loader.import_default_modules()  # what a worker does at start
        for name, args, kwargs in published:
            project_app.tasks[name].apply(args=args, kwargs=kwargs).get()
    digest = Digest.objects.get(recipient=rect.head)
    assert digest.day == MORNING.date()
    assert digest.level == "red"


def test_beat_runs_the_nightly_evidence_sweep_and_the_midday_pass_at_their_times(embedded):
    with time_machine.travel(MORNING.replace(tzinfo=embedded.tz), tick=False) as clock:
        scheduler = Scheduler(embedded, lazy=False)
        seen = []
        for hour, minute in ((13, 31), (3 + 24, 31)):
            day = MORNING.replace(hour=0, minute=0) + timedelta(hours=hour, minutes=minute)
            clock.move_to(day.replace(tzinfo=embedded.tz))
            _tick(scheduler)
            seen.append(sorted({name for name, *_ in _published(embedded)}))
    assert "deadlines.tasks.sweep" in seen[0]  # 13:30, the midday pass
    assert "reports.tasks.remove_orphan_evidence" in seen[1]  # 03:30 the next night
