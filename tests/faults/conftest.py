"""Fault tests: the real portal (gunicorn), a real Celery worker, and private Redis and
PostgreSQL servers that the tests stop, freeze and kill. See procs.py for why they are private.

Each scenario prints what it saw (``[faults] …`` lines, shown in the normal test output).
"""

import contextlib
import datetime

import pytest
from django.db import connection
from django.utils import timezone

from accountability.models import Role, RoleAssignment
from notices.models import Channel, Delivery, Digest, ReminderPolicy
from tests.rectification.factories import FindingFactory, InspectionFactory, MeasureFactory

from .procs import ROOT, RedisServer, Worker, service_env
from .stubs import Robot, SmtpSink


@pytest.fixture
def say(capsys):
    """Print a line into the normal output of the run, whatever pytest's capture mode."""

    def _say(*lines):
        with capsys.disabled():
            for line in lines:
                print(f"[faults] {line}", flush=True)

    return _say


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("faults")


@pytest.fixture(scope="module")
def test_database_url(django_db_setup, django_db_blocker):
    """The test database pytest-django created, for the portal and worker processes."""
    db = connection.settings_dict
    return (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture(scope="module")
def redis_server(workdir):
    server = RedisServer(workdir).start()
    yield server
    server.close()


@pytest.fixture
def sink():
    server = SmtpSink()
    yield server
    server.close()


@pytest.fixture
def robot():
    server = Robot()
    yield server
    server.close()


@pytest.fixture
def start_worker(test_database_url, redis_server, workdir, tmp_path):
    """``start_worker(email_url=…, **env)``: a worker on the private Redis; all are ended after
    the test (SIGTERM, then SIGKILL to the process group we created)."""
    started = []

    def _start(email_url=None, name="faults", **extra):
        env = service_env(
            database_url=test_database_url,
            redis_url=redis_server.url(),
            evidence_root=tmp_path / "storage",
            email_url=email_url,
            EMAIL_TIMEOUT=3,
            REMINDER_WEBHOOK_TIMEOUT=3,
            **extra,
        )
        worker = Worker(env, workdir, name=name)
        started.append(worker)
        return worker.start()

    yield _start
    for worker in started:
        worker.close()


@contextlib.contextmanager
def broker(url):
    """Point this process's Celery app at the private Redis (to enqueue as beat would)."""
    from config.celery_app import app

    original = app.conf.broker_url
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield app
    finally:
        app.conf.broker_url = original
        app._pool = None
        app.amqp._producer_pool = None


def run_beat_job(url, name="notices.tasks.deliver_pending"):
    """Send one periodic job, the way celery beat sends it (by name)."""
    with broker(url) as app:
        app.send_task(name)


@pytest.fixture
def cast(transactional_db, world):
    """A 基建处 measure three days overdue (red): the sweep writes digests for the head, the
    leader in charge, the principal and the inspector; three of them take e-mail, and the
    organisation's group robot is switched on by the tests that use it. Committed rows
    (transactional_db), since the portal and the worker are other processes."""
    w = world
    w.inspection = InspectionFactory(organisation=w.org)
    w.finding = FindingFactory(inspection=w.inspection, number=1)
    w.measure = MeasureFactory(
        finding=w.finding,
        lead_leader=w.leader,
        unit=w.works,
        responsible_person=w.head,
        deadline=timezone.localdate() - datetime.timedelta(days=3),
    )
    RoleAssignment.objects.get_or_create(user=w.admin, organisation=w.org, role=Role.ADMIN)
    for user in (w.head, w.leader, w.principal):
        user.email = f"{user.username}@example.org"
        user.save()
    return w


def enable_robot(world, robot):
    ReminderPolicy.objects.update_or_create(
        organisation=world.org, defaults={"webhook_enabled": True, "webhook_url": robot.url}
    )


def external_deliveries():
    return Delivery.objects.filter(channel__in=[Channel.EMAIL, Channel.WEBHOOK])


def delivery_summary():
    """{state: count} of the e-mail and robot deliveries."""
    summary = {}
    for state in external_deliveries().values_list("state", flat=True):
        summary[state] = summary.get(state, 0) + 1
    return summary


def digests_per_person():
    """The largest number of digests any one person has for one day (must be 1)."""
    from django.db.models import Count

    counts = (
        Digest.objects.filter(recipient__isnull=False)
        .values("recipient", "day")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    return max(counts, default=0)


__all__ = ["ROOT", "broker", "run_beat_job"]
