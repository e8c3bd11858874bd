"""Redis stopped, and Redis frozen (SIGSTOP), while people use the portal.

Pages and saves must keep answering (each within 2 s: a "does not hang" bound, the timings are
printed); the reminders written meanwhile wait in the database and go out once Redis is back,
each exactly once, counted where they arrive (a local SMTP server and group robot).
"""

import datetime

import pytest
from django.utils import timezone

from accountability.models import WorkRecord, WorkRecordKind
from deadlines import services
from notices.models import Channel, Delivery
from rectification.models import ProgressUpdate
from tests.factories import PASSWORD

from .browser import Browser
from .conftest import (
    delivery_summary,
    digests_per_person,
    enable_robot,
    external_deliveries,
    run_beat_job,
)
from .procs import Portal, service_env, wait_for

pytestmark = pytest.mark.faults

PAGE_BOUND = 2.0


@pytest.fixture(scope="module")
def portal(test_database_url, redis_server, workdir):
    env = service_env(
        database_url=test_database_url,
        redis_url=redis_server.url(),
        evidence_root=workdir / "storage",
    )
    # One gunicorn process: its Celery producer pool is the one the warm-up publish fills, as
    # in a portal that has been up for a while when Redis freezes.
    server = Portal(env, workdir, workers=1).start()
    yield server
    server.close()


def use_the_portal(cast, head, admin):
    """What people do on a normal morning: the admin runs "立即检查" (which enqueues the
    deliveries), the head reads the main pages and saves a record and a progress report."""
    kind = WorkRecordKind.ensure_presets(cast.org)["theory_study"]
    measure = cast.measure.pk
    today = timezone.localdate()
    return [
        ("POST 立即检查 (enqueues)", admin.post(f"/reminders/policy/{cast.org.pk}/run/")),
        ("GET /", head.get("/")),
        ("GET /a/records/", head.get("/a/records/")),
        ("GET /r/measures/", head.get("/r/measures/")),
        (f"GET /r/measures/{measure}/", head.get(f"/r/measures/{measure}/")),
        ("GET /reminders/", head.get("/reminders/")),
        (
            "POST work record",
            head.post(
                "/a/records/new/",
                {
                    "date": today.isoformat(),
                    "unit": cast.works.pk,
                    "kind": kind.pk,
                    "title": "故障演练期间的集中学习",
                    "participant_count": "9",
                    "description": "Redis 不可用时保存",
                },
            ),
        ),
        (
            "POST progress report",
            head.post(f"/r/measures/{measure}/progress/", {"note": "Redis 不可用时报告进展"}),
        ),
    ]


def check_answers(answers):
    for label, answer in answers:
        assert answer.status in (200, 302), answer.line(label)
        assert "/accounts/login/" not in answer.location, answer.line(label)
        assert answer.seconds < PAGE_BOUND, answer.line(label)
    inbox = dict(answers)["GET /reminders/"]
    assert "已逾期3天" in inbox.text  # the digest is in the bell at once, broker or not


def check_saved(cast):
    assert WorkRecord.objects.filter(title="故障演练期间的集中学习").count() == 1
    assert ProgressUpdate.objects.filter(measure=cast.measure, note__contains="Redis").count() == 1


def delivered_once(sink, robot, say, label):
    """Everything sent, once: rows, mails at the SMTP server, posts at the robot."""
    expected = external_deliveries()
    emails = sorted(expected.filter(channel=Channel.EMAIL).values_list("address", flat=True))
    posts = expected.filter(channel=Channel.WEBHOOK).count()
    assert wait_for(
        lambda: set(delivery_summary()) == {Delivery.State.SENT}, timeout=45, interval=0.2
    ), delivery_summary()
    wait_for(lambda: False, timeout=1.5)  # room for a duplicate to arrive, if there were one
    received = sorted(sink.recipients())
    attempts = sorted(expected.values_list("attempts", flat=True))
    say(
        f"{label}: {expected.count()} deliveries sent "
        f"({len(received)} mails at the SMTP server for {len(emails)} addresses, "
        f"{len(robot.received)} robot post), attempts per delivery {attempts}, "
        f"duplicates {len(received) - len(emails) + len(robot.received) - posts}, "
        f"digests per person per day {digests_per_person()}"
    )
    assert received == emails
    assert len(robot.received) == posts == 1
    assert attempts == [1] * len(attempts)
    assert digests_per_person() == 1


def test_redis_stopped_pages_and_saves_answer_and_reminders_go_out_once_it_is_back(
    cast, portal, redis_server, start_worker, sink, robot, say
):
    enable_robot(cast, robot)
    head = Browser(portal.base_url).login("head", PASSWORD)
    admin = Browser(portal.base_url).login("admin", PASSWORD)

    redis_server.stop()
    answers = use_the_portal(cast, head, admin)
    say("redis stopped: " + "; ".join(answer.line(label) for label, answer in answers))
    check_answers(answers)
    check_saved(cast)
    waiting = delivery_summary()
    say(f"redis stopped: deliveries waiting in the database {waiting}")
    assert waiting == {Delivery.State.PENDING: 4}  # three e-mails and the group robot

    redis_server.start()
    start_worker(email_url=sink.url)
    run_beat_job(redis_server.url())  # "reminder-deliver-pending", as beat sends it
    delivered_once(sink, robot, say, "redis back + worker + pending pass")
    run_beat_job(redis_server.url())  # the next pass finds nothing to send
    wait_for(lambda: False, timeout=1.5)
    assert len(sink.messages) == 3 and len(robot.received) == 1


def yesterdays_waiting_mail(cast):
    """Yesterday's e-mail to the head, still pending: the admin's retry button re-enqueues it."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    services.reminders_sweep(day=yesterday, enqueue=False)
    Delivery.objects.filter(digest__day=yesterday).exclude(
        channel=Channel.EMAIL, digest__recipient=cast.head
    ).delete()
    return Delivery.objects.get(digest__day=yesterday)


def test_redis_frozen_pages_and_saves_answer_and_reminders_go_out_once_after_sigcont(
    cast, portal, redis_server, start_worker, sink, robot, say
):
    enable_robot(cast, robot)
    if not redis_server.answers():
        redis_server.start()
    redis_server.flush()
    head = Browser(portal.base_url).login("head", PASSWORD)
    admin = Browser(portal.base_url).login("admin", PASSWORD)
    # Warm-up while Redis answers (no worker yet): the portal publishes once, so the frozen
    # publish below goes out on a pooled connection, bytes and all.
    retry = admin.post(f"/reminders/deliveries/{yesterdays_waiting_mail(cast).pk}/retry/")
    assert retry.status == 302 and redis_server.queued() == 1, retry.line("retry")

    redis_server.freeze()
    try:
        answers = use_the_portal(cast, head, admin)
    finally:
        redis_server.thaw()
    say("redis SIGSTOP: " + "; ".join(answer.line(label) for label, answer in answers))
    check_answers(answers)
    check_saved(cast)
    waiting = delivery_summary()
    # The portal gave up on the frozen server, but its bytes were in the socket: after SIGCONT
    # Redis reads them, so the message it "failed" to send is queued after all, and the pending
    # pass will enqueue the same deliveries again. The claims must keep them to one send each.
    queued = redis_server.queued()
    say(
        f"after SIGCONT: deliveries waiting {waiting} (today's 4 and yesterday's retried mail), "
        f"messages in the queue {queued} (1 from the warm-up retry, "
        f"{queued - 1} the portal had given up on)"
    )
    assert waiting == {Delivery.State.PENDING: 5}

    start_worker(email_url=sink.url)
    run_beat_job(redis_server.url())
    delivered_once(sink, robot, say, "after SIGCONT + worker + pending pass")
