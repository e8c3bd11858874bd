"""A Celery worker killed with SIGKILL in the middle of a task.

Tasks are acknowledged late and rejected when their worker is lost (settings), so a killed pool
process puts its task back at once; a worker killed whole leaves it unacknowledged in Redis,
handed out again after the broker's visibility timeout (BROKER_VISIBILITY_TIMEOUT, 3600 s in
production, a few seconds here). The task runs again, and the effect must happen once: one
export file, one mail, one in-app digest per person. Where the kill lands after the message
has reached an external receiver, the printout says so: that window is at-least-once.
"""

import re
import time

import pytest
import redis
from django.utils import timezone

from accountability.models import User
from deadlines import services
from notices.models import Channel, Delivery
from reports.models import ReportExport
from reports.services import export_create, outline_apply_preset, report_generate_draft
from reports.tasks import render_export
from tests.reports.fixtures import build_year_data

from .conftest import broker, digests_per_person, enable_robot, run_beat_job
from .procs import wait_for

pytestmark = pytest.mark.faults

# REMINDER_LEASE_SECONDS and BROKER_VISIBILITY_TIMEOUT for these workers: production's 300 s and
# 3600 s shortened, in the same order. A lease outlasts the longest send (3 s timeouts here) and
# the worker's own requeue of a task whose process died (about 5 s); the whole-worker test
# shortens it below the visibility timeout, which the lease must never outlast.
LEASE = 10
SHORT_LEASE = 4
VISIBILITY = 5


@pytest.fixture(autouse=True)
def empty_broker(redis_server):
    """No message of an earlier test may be handed to this test's worker."""
    redis_server.flush()


def runs(worker, task, event="received"):
    """How many times the worker received ``task`` (a redelivered message counts again), or
    finished it (``event="succeeded"``)."""
    return len(re.findall(rf"Task {re.escape(task)}\[[^\]]+\] {event}", worker.text()))


def lost(worker):
    return "WorkerLostError" in worker.text() or "signal 9" in worker.text()


def files_under(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_pool_process_killed_while_rendering_an_export_renders_it_again_once(
    transactional_db, world, redis_server, start_worker, tmp_path, say
):
    data = build_year_data(world)
    outline = outline_apply_preset(organisation=data.org, preset="seven_areas")
    report, _ = report_generate_draft(organisation=data.org, year=2021, outline=outline)
    export = export_create(report=report, by=data.office)
    worker = start_worker(name="export")
    storage = tmp_path / "storage"

    with broker(redis_server.url()):
        render_export.apply_async(args=[export.pk])
    running = lambda: ReportExport.objects.get(pk=export.pk).state == "running"  # noqa: E731
    assert wait_for(running, timeout=30, interval=0.01), "the worker never started the export"
    started = time.monotonic()
    pid = worker.kill_pool()
    at_kill = ReportExport.objects.get(pk=export.pk)
    files_at_kill = files_under(storage)
    assert at_kill.state == "running" and not files_at_kill, "the kill did not land mid-render"

    done = lambda: ReportExport.objects.get(pk=export.pk).state == "done"  # noqa: E731
    assert wait_for(done, timeout=90, interval=0.1), worker.text()[-3000:]
    finished = time.monotonic() - started
    time.sleep(1)  # a third run, if there were one, would write another file now
    export.refresh_from_db()
    pdfs = files_under(storage)
    task = "reports.tasks.render_export"
    say(
        f"worker SIGKILL (pool pid {pid}) mid-export at {at_kill.progress}% "
        f"(state {at_kill.state}, {len(files_at_kill)} files): task received {runs(worker, task)} "
        f"times (worker lost -> requeued), export {export.state} {finished:.1f} s after the kill, "
        f"{len(pdfs)} PDF file ({export.pages} pages), export rows 1"
    )
    assert lost(worker)
    assert runs(worker, task) == 2
    assert len(pdfs) == 1 and pdfs[0].name == export.file.name.rsplit("/", 1)[-1]
    assert ReportExport.objects.count() == 1


def test_pool_process_killed_before_the_mail_server_answered_sends_each_mail_once(
    cast, redis_server, start_worker, sink, say
):
    worker = start_worker(email_url=sink.url, name="mail", REMINDER_LEASE_SECONDS=LEASE)
    sink.hold_next = 1  # the first connection gets no greeting: no part of a mail has left
    with broker(redis_server.url()):
        result = services.reminders_sweep()  # enqueues one deliver_many for the three mails
    assert wait_for(sink.holding.is_set, timeout=30, interval=0.01), worker.text()[-3000:]
    pid = worker.kill_pool()
    killed_at = time.monotonic()
    task = "notices.tasks.deliver_many"
    assert wait_for(lambda: runs(worker, task, "succeeded") == 1, timeout=30), worker.text()[-3000:]
    rerun_done = time.monotonic() - killed_at
    waiting = Delivery.objects.filter(channel=Channel.EMAIL).exclude(state=Delivery.State.SENT)
    if waiting.exists():
        claimed = waiting.get()
        rerun = (
            f"the second run sent the other {len(sink.messages)} mails and left "
            f"{claimed.address} to its lease (taken by the dead run until "
            f"{timezone.localtime(claimed.lease_until):%H:%M:%S})"
        )
    else:  # a slow respawn: the rerun came after the dead run's lease had passed
        rerun = f"the second run came after the lease and sent all {len(sink.messages)} mails"
    say(
        f"worker SIGKILL (pool pid {pid}) while the mail server withheld its greeting: task "
        f"received {runs(worker, task)} times, the second run done {rerun_done:.1f} s after "
        f"the kill; {rerun}"
    )
    time.sleep(max(0.0, LEASE + 0.5 - (time.monotonic() - killed_at)))
    run_beat_job(redis_server.url())  # the pending pass takes up what a dead run had claimed
    assert wait_for(
        lambda: not Delivery.objects.exclude(state=Delivery.State.SENT).exists(), timeout=30
    ), worker.text()[-3000:]
    time.sleep(1)
    emails = sorted(
        Delivery.objects.filter(channel=Channel.EMAIL).values_list("address", flat=True)
    )
    attempts = sorted(
        Delivery.objects.filter(channel=Channel.EMAIL).values_list("attempts", flat=True)
    )
    inapp = Delivery.objects.filter(channel=Channel.INAPP).count()
    say(
        f"after the lease + pending pass: {len(sink.messages)} mails for {len(emails)} "
        f"deliveries ({sink.connections} connections, {sink.abandoned} dropped by the killed "
        f"run before any data), attempts {attempts}, in-app digests {inapp} for "
        f"{len(result.drafts)} people, digests per person per day {digests_per_person()}"
    )
    assert lost(worker)
    assert sorted(sink.recipients()) == emails and len(emails) == 3
    assert sink.abandoned == 1
    assert attempts == [1, 1, 2]
    assert inapp == len(result.drafts) and digests_per_person() == 1


def test_whole_worker_killed_while_the_robot_held_the_post_runs_it_again_after_visibility(
    cast, redis_server, start_worker, robot, say
):
    User.objects.filter(email__endswith="@example.org").update(email="")  # the robot only
    enable_robot(cast, robot)
    env = {"REMINDER_LEASE_SECONDS": SHORT_LEASE, "BROKER_VISIBILITY_TIMEOUT": VISIBILITY}
    first = start_worker(name="first", **env)
    robot.hold_next = 1  # the robot has the whole message, but never answers the first post
    with broker(redis_server.url()):
        services.reminders_sweep()
    assert wait_for(robot.holding.is_set, timeout=30, interval=0.01), first.text()[-3000:]
    taken_at = time.monotonic()
    first.kill_all()
    unacked = redis.Redis(port=redis_server.port).hlen("unacked")
    delivery = Delivery.objects.get(channel=Channel.WEBHOOK)
    say(
        f"whole worker SIGKILL (main pid {first.process.pid} and its pool) while the robot held "
        f"a post it had received: delivery {delivery.state}, messages unacknowledged in Redis "
        f"{unacked}; waiting out the visibility timeout ({VISIBILITY} s here, 3600 s by default)"
    )
    assert unacked == 1 and delivery.state == Delivery.State.SENDING

    time.sleep(max(0.0, VISIBILITY + 1 - (time.monotonic() - taken_at)))
    second = start_worker(name="second", **env)  # restores what is older than the timeout
    assert wait_for(
        lambda: Delivery.objects.get(pk=delivery.pk).state == Delivery.State.SENT, timeout=30
    ), second.text()[-3000:]
    time.sleep(1)
    delivery.refresh_from_db()
    inapp = Delivery.objects.filter(channel=Channel.INAPP)
    say(
        f"new worker after {time.monotonic() - taken_at:.1f} s: task received "
        f"{runs(second, 'notices.tasks.deliver_many')} time (redelivered), "
        f"delivery {delivery.state} with attempts {delivery.attempts}; in-app digests "
        f"{inapp.count()} (each once, digests per person per day {digests_per_person()}); the "
        f"robot received the message {len(robot.received)} times and answered "
        f"{robot.answered}: the kill landed after the message had reached it, the "
        f"at-least-once window of an external channel (a real robot may show it twice)"
    )
    assert runs(second, "notices.tasks.deliver_many") == 1
    assert delivery.attempts == 2
    assert len(robot.received) == 2 and robot.answered == 1 and robot.abandoned == 1
    assert digests_per_person() == 1
    assert not inapp.exclude(state=Delivery.State.SENT).exists()
