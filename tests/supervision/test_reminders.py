"""Reports due to the body and 督办 reply deadlines on the three-colour ladder."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from deadlines import services as sweeps
from notices import services
from notices.models import Digest
from supervision.models import ReportDue, Submission, SupervisionNotice

from .fixtures import make_report, sign_off

TODAY = datetime.date(2026, 1, 20)
MORNING = datetime.datetime(2026, 1, 20, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr(services, "enqueue_deliveries", lambda ids: None)
    with time_machine.travel(MORNING, tick=False):
        yield


def levels():
    digests = Digest.objects.filter(recipient__isnull=False).select_related("recipient")
    return {d.recipient.username: d.counts for d in digests}


def due_in(city, days):
    return ReportDue.objects.create(
        supervisor=city.body, year=2025, due_date=TODAY + datetime.timedelta(days=days)
    )


def test_a_report_due_soon_reminds_both_offices_below_in_green(city):
    due_in(city, 15)
    sweeps.reminders_sweep()
    assert levels() == {"office": {"green": 1}, "stranger": {"green": 1}}


def test_an_overdue_report_is_red_and_reaches_the_principal_and_inspectors(city):
    due_in(city, -2)
    sweeps.reminders_sweep()
    found = levels()
    assert found["office"] == {"red": 1} and found["principal"] == {"red": 1}
    assert found["inspector"] == {"red": 1}
    assert "body_office" not in found


def test_a_submitted_report_is_no_longer_reminded_but_a_returned_one_is(city, fast_files):
    due = due_in(city, 5)
    report = make_report(city.org, 2025)
    version = sign_off(report, city.office, city.principal)
    submission = Submission.objects.create(
        organisation=city.org,
        supervisor=city.body,
        year=2025,
        version=version,
        title=report.title,
        submitted_at=MORNING,
        submitted_by=city.office,
        due_date=due.due_date,
        on_time=True,
        content_hash=version.content_hash,
    )
    sweeps.reminders_sweep()
    assert "office" not in levels() and levels()["stranger"] == {"yellow": 1}
    Digest.objects.all().delete()
    submission.status, submission.comments = "returned", "请修改"
    submission.decided_at = MORNING
    submission.save()
    sweeps.reminders_sweep()
    assert levels()["office"] == {"yellow": 1}


def test_a_notice_awaiting_reply_is_on_the_ladder_until_answered(city):
    notice = SupervisionNotice.objects.create(
        supervisor=city.body,
        organisation=city.org,
        subject="谈心谈话开展不够",
        body="请说明。",
        reply_due=TODAY - datetime.timedelta(days=1),
        issued_at=MORNING,
        issued_by=city.body_office,
    )
    sweeps.reminders_sweep()
    found = levels()
    assert found["office"] == {"red": 1} and found["principal"] == {"red": 1}
    assert "stranger" not in found
    Digest.objects.all().delete()
    notice.status = SupervisionNotice.Status.REPLIED
    notice.save()
    sweeps.reminders_sweep()
    assert levels() == {}


def test_running_the_sweep_twice_sends_nothing_twice(city):
    due_in(city, -1)
    sweeps.reminders_sweep()
    first = Digest.objects.count()
    sweeps.reminders_sweep()
    assert Digest.objects.count() == first
