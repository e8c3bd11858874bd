"""报送: the 定稿 goes up frozen, on time or late in Beijing time; the body receives or returns it;
every refusal leaves everything as it was."""

import datetime
import hashlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from docx import Document

from notices.models import Notice
from reports.services import report_start_version
from supervision.models import ReportDue, Submission, SupervisionError
from supervision.services import (
    report_due_set,
    submission_receive,
    submission_return,
    submission_submit,
)

from .fixtures import make_report, new_final, sign_off

BEIJING = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(*args):
    return datetime.datetime(*args, tzinfo=BEIJING)


@pytest.fixture
def due(city):
    return ReportDue.objects.create(
        supervisor=city.body, year=2025, due_date=datetime.date(2026, 1, 31)
    )


@pytest.fixture
def final(city, due):
    report = make_report(city.org, 2025)
    sign_off(report, city.office, city.principal)
    return report


IN_TIME = at(2026, 1, 10, 9, 0)


def submit(city, report, when=IN_TIME):
    with time_machine.travel(when, tick=False):
        return submission_submit(report=report, by=city.office)


def assert_unchanged(before):
    assert list(Submission.objects.values_list("pk", "status", "comments")) == before


def snapshot():
    return list(Submission.objects.values_list("pk", "status", "comments"))


# -- submitting --------------------------------------------------------------------------------
def test_the_final_goes_up_frozen_with_its_files_and_the_due_date(city, final, fast_files):
    submission = submit(city, final)
    version = final.versions.get()
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.version == version and submission.supervisor == city.body
    assert submission.due_date == datetime.date(2026, 1, 31) and submission.on_time
    assert submission.document == version.frozen
    assert submission.content_hash == version.content_hash
    assert submission.pdf.read().startswith(b"%PDF") and submission.docx.read().startswith(b"PK")
    assert submission.history.count() == 1


def test_the_frozen_files_are_the_finals_own_pdf_and_docx_byte_for_byte(city, final):
    """Rendered for real (seconds): what goes up is what the office downloads as its 定稿."""
    submission = submit(city, final)
    exports = {e.format: e for e in submission.version.exports.all()}
    pdf = exports["pdf"].file.read()
    assert submission.pdf.read() == pdf and pdf.startswith(b"%PDF")
    assert submission.docx.read() == exports["docx"].file.read()
    assert submission.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    text = "".join(p.text for p in Document(submission.docx.open("rb")).paragraphs)
    assert "全年召开党组会议专题研究全面从严治党工作" in text


def test_on_time_is_decided_in_beijing_time(city, final, fast_files):
    # 23:30 in Beijing on the due date is 15:30 UTC: on time.
    assert submit(city, final, at(2026, 1, 31, 23, 30)).on_time


def test_ten_minutes_past_midnight_in_beijing_is_late(city, final, fast_files):
    # 00:10 Beijing on 1 February is still 31 January in UTC: late all the same.
    submission = submit(city, final, at(2026, 2, 1, 0, 10))
    assert submission.on_time is False


def test_the_body_office_is_told_of_a_submission(city, final, fast_files):
    submit(city, final)
    told = Notice.objects.filter(kind=Notice.Kind.REPORT_SUBMITTED)
    assert list(told.values_list("recipient", flat=True)) == [city.body_office.pk]
    assert "测试水利局" in told.get().text and "按时" in told.get().text


def test_a_report_not_signed_off_is_refused(city, due, fast_files):
    report = make_report(city.org, 2025)  # a draft, never submitted for sign-off
    with pytest.raises(SupervisionError, match="还没有经主要负责人签发的定稿"):
        submit(city, report)
    assert Submission.objects.count() == 0


def test_a_version_awaiting_sign_off_is_refused(city, due, fast_files):
    from reports.services import report_submit

    report = make_report(city.org, 2025)
    report_submit(report=report, by=city.office)
    with pytest.raises(SupervisionError, match="待审签"):
        submit(city, report)
    assert Submission.objects.count() == 0


def test_submitting_twice_is_refused(city, final, fast_files):
    first = submit(city, final)
    before = snapshot()
    with pytest.raises(SupervisionError, match="不能重复报送"):
        submit(city, final)
    assert_unchanged(before)
    assert Submission.objects.get() == first


def test_a_new_draft_after_the_final_cannot_be_submitted(city, final, fast_files):
    report_start_version(report=final, by=city.office)
    with pytest.raises(SupervisionError, match="草稿"):
        submit(city, final)


def test_without_a_due_date_nothing_is_submitted(city, fast_files):
    report = make_report(city.org, 2025)
    sign_off(report, city.office, city.principal)
    with pytest.raises(SupervisionError, match="尚未设置2025年度报告的报送截止日期"):
        submit(city, report)
    assert Submission.objects.count() == 0


def test_an_organisation_without_a_body_has_nothing_to_submit(world, fast_files):
    report = make_report(world.org, 2025)
    sign_off(report, world.office, world.principal)
    with pytest.raises(SupervisionError, match="没有上级党组织"):
        submission_submit(report=report, by=world.office)


def test_only_the_office_submits(city, final, fast_files):
    for person in (city.principal, city.head, city.body_office, city.stranger):
        with pytest.raises(PermissionDenied):
            submission_submit(report=final, by=person)
    assert Submission.objects.count() == 0


def test_a_failed_rendering_keeps_nothing(city, final, monkeypatch):
    def broken(version, by):
        raise RuntimeError("WeasyPrint fell over")

    monkeypatch.setattr("supervision.services.frozen_files", broken)
    with pytest.raises(RuntimeError):
        submit(city, final)
    assert Submission.objects.count() == 0
    assert not Notice.objects.filter(kind=Notice.Kind.REPORT_SUBMITTED).exists()


# -- receiving and returning --------------------------------------------------------------------
@pytest.fixture
def submitted(city, final, fast_files):
    return submit(city, final)


def test_the_body_receives_and_the_office_and_principal_hear(city, submitted):
    submission_receive(submission=submitted, by=city.body_office)
    submitted.refresh_from_db()
    assert submitted.status == "received" and submitted.decided_by == city.body_office
    told = set(
        Notice.objects.filter(kind=Notice.Kind.REPORT_RECEIVED).values_list("recipient", flat=True)
    )
    assert told == {city.office.pk, city.principal.pk}


def test_a_return_needs_comments_and_changes_nothing_without(city, submitted):
    before = snapshot()
    with pytest.raises(SupervisionError, match="请填写退回意见"):
        submission_return(submission=submitted, by=city.body_office, comments="  ")
    assert_unchanged(before)


def test_a_returned_report_keeps_its_comments_and_tells_the_office(city, submitted):
    submission_return(submission=submitted, by=city.body_office, comments="第二部分数据有误")
    submitted.refresh_from_db()
    assert submitted.status == "returned" and submitted.comments == "第二部分数据有误"
    notice = Notice.objects.get(kind=Notice.Kind.REPORT_SENT_BACK, recipient=city.office)
    assert "第二部分数据有误" in notice.text


def test_after_a_return_the_same_version_cannot_go_up_again(city, final, submitted):
    submission_return(submission=submitted, by=city.body_office, comments="请补充数据")
    before = snapshot()
    with pytest.raises(SupervisionError, match="开始新版本"):
        submit(city, final)
    assert_unchanged(before)


def test_after_a_return_a_new_final_goes_up_and_the_first_stays_as_it_was(city, final, submitted):
    first_pdf = submitted.pdf.read()
    submission_return(submission=submitted, by=city.body_office, comments="请补充数据")
    new_final(final, city.office, city.principal, "补充后的正文：全年开展谈心谈话。")
    second = submit(city, final, at(2026, 2, 3, 10, 0))
    assert second.version.number == 2 and second.on_time is False
    assert "补充后的正文" in str(second.document["sections"])
    submitted.refresh_from_db()
    assert submitted.pdf.read() == first_pdf
    assert "全年召开党组会议" in str(submitted.document["sections"])


def test_a_decided_submission_cannot_be_decided_again(city, submitted):
    submission_receive(submission=submitted, by=city.body_office)
    before = snapshot()
    with pytest.raises(SupervisionError, match="已签收"):
        submission_return(submission=submitted, by=city.body_office, comments="再看看")
    assert_unchanged(before)


@pytest.mark.parametrize(
    "who", ["office", "principal", "body_leader", "body_inspector", "body_admin", "stranger"]
)
def test_only_the_body_office_receives(city, submitted, who):
    with pytest.raises(PermissionDenied):
        submission_receive(submission=submitted, by=getattr(city, who))
    assert Submission.objects.get().status == "submitted"


# -- due dates ------------------------------------------------------------------------------------
@time_machine.travel(at(2025, 11, 30, 10, 0), tick=False)
def test_the_body_office_sets_and_moves_the_due_date(city):
    due, created = report_due_set(
        supervisor=city.body, year=2025, due_date=datetime.date(2026, 1, 31), by=city.body_office
    )
    assert created and due.set_by == city.body_office
    due, created = report_due_set(
        supervisor=city.body, year=2025, due_date=datetime.date(2026, 2, 10), by=city.body_office
    )
    assert not created and ReportDue.objects.get().due_date == datetime.date(2026, 2, 10)
    assert due.history.count() == 2


@time_machine.travel(at(2026, 3, 1, 10, 0), tick=False)
def test_a_due_date_in_a_past_year_is_refused(city):
    with pytest.raises(SupervisionError, match="已经过去"):
        report_due_set(
            supervisor=city.body,
            year=2025,
            due_date=datetime.date(2025, 12, 31),
            by=city.body_office,
        )
    assert ReportDue.objects.count() == 0


@time_machine.travel(at(2026, 3, 1, 10, 0), tick=False)
def test_a_due_date_before_the_reported_year_is_refused(city):
    with pytest.raises(SupervisionError, match="早于2027年度本身"):
        report_due_set(
            supervisor=city.body,
            year=2027,
            due_date=datetime.date(2026, 12, 1),
            by=city.body_office,
        )
    assert ReportDue.objects.count() == 0


@pytest.mark.parametrize("who", ["office", "principal", "body_leader", "body_admin"])
def test_only_the_body_office_sets_the_due_date(city, who):
    with pytest.raises(PermissionDenied):
        report_due_set(
            supervisor=city.body,
            year=2030,
            due_date=datetime.date(2031, 1, 31),
            by=getattr(city, who),
        )
    assert ReportDue.objects.count() == 0
