"""Writes of 报送 and 督办, each in one transaction with the rows it depends on locked.

A refusal raises ``SupervisionError`` (a Chinese message; nothing was changed) or
``PermissionDenied`` (the person may not act for this body or organisation). Files written
before a refusal or a failure are deleted again, so that nothing half-saved stays behind.
"""

import hashlib
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accountability.access import scope_for
from accountability.models import Organisation
from common.evidence import files_rolled_back_on_error
from reports.models import Report, ReportExport, ReportVersion
from reports.services import export_create, export_render, latest_version

from . import notices as tell
from .models import (
    NoticeEvidence,
    NoticeReply,
    ReportDue,
    Submission,
    SupervisionError,
    SupervisionNotice,
)
from .selectors import acts_for_body

# "On time" is decided on the calendar of the people who set and meet the date.
BEIJING = ZoneInfo("Asia/Shanghai")
FIRST_YEAR, LAST_YEAR = 2000, 2100


def beijing_date(moment):
    return timezone.localtime(moment, BEIJING).date()


def _scope(by, scope):
    return scope if scope is not None else scope_for(by)


def _require_body_office(by, body, scope):
    if not acts_for_body(_scope(by, scope), body):
        raise PermissionDenied(_("只有上级党组织的党办工作人员可以办理。"))


def _require_office_of(by, organisation, scope):
    scope = _scope(by, scope)
    try:
        scope.require_write(organisation=organisation)
    except PermissionDenied:
        raise PermissionDenied(_("只有本党组织的党办工作人员可以办理。")) from None


def _history(obj, by, why, **params):
    """Save with who acted and why, the reason kept in the portal's own language."""
    obj._history_user = by
    with translation.override(settings.LANGUAGE_CODE):
        text = str(why) % params if params else str(why)
    obj._change_reason = text[:100]
    obj.save()


# -- due dates ------------------------------------------------------------------------------------
def report_due_set(*, supervisor, year, due_date, by, scope=None, today=None):
    """Set (or move) the body's due date for ``year``'s reports. Already submitted reports keep
    the due date they were submitted against."""
    _require_body_office(by, supervisor, scope)
    today = today or timezone.localdate(timezone=BEIJING)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise SupervisionError(_("报告年度须在2000年至2100年之间。"))
    if due_date.year < year:
        raise SupervisionError(
            _("报送截止日期%(date)s早于%(year)s年度本身，请选择%(year)s年或以后的日期。")
            % {"date": due_date.isoformat(), "year": year}
        )
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=supervisor.pk)
        due = ReportDue.objects.filter(supervisor=supervisor, year=year).first()
        if due is not None and due.due_date == due_date:
            return due, False
        if due_date < today:
            raise SupervisionError(
                _("报送截止日期%(date)s已经过去，请选择今天（%(today)s）或以后的日期。")
                % {"date": due_date.isoformat(), "today": today.isoformat()}
            )
        created = due is None
        if created:
            due = ReportDue(supervisor=supervisor, year=year)
        due.due_date, due.set_by = due_date, by
        _history(due, by, _("设置报送截止日期") if created else _("调整报送截止日期"))
    return due, created


# -- submissions (报送) ---------------------------------------------------------------------------
def frozen_files(version, by):
    """{"pdf": bytes, "docx": bytes} of the 定稿: the version's own exports, byte for byte the
    files the organisation downloads as its 定稿 (rendered now if not yet)."""
    report = version.report
    files = {}
    for fmt in (ReportExport.Format.PDF, ReportExport.Format.DOCX):
        export = export_create(report=report, by=by, format=fmt, version=version)
        if export.state != ReportExport.State.DONE:
            export = export_render(export.pk)
        with export.file.open("rb") as handle:
            files[fmt] = handle.read()
    return files


@contextmanager
def _files_deleted_on_error(names):
    """Delete the files named in ``names`` (filled inside the block) if the block raises."""
    try:
        yield
    except BaseException:
        for name in names:
            default_storage.delete(name)
        raise


def submission_refusal(report, version, organisation):
    """Why ``report``'s latest version may not be submitted now (None: it may)."""
    if organisation.supervisor_id is None:
        return _("本党组织没有上级党组织，无需报送年度报告。")
    if version is None or version.state != ReportVersion.State.APPROVED:
        state = version.get_state_display() if version is not None else _("草稿")
        return _(
            "%(year)s年度报告还没有经主要负责人签发的定稿（最新版本状态：%(state)s），不能报送。"
            "请先提交审签，签发后再报送。"
        ) % {"year": report.year, "state": state}
    previous = Submission.objects.filter(organisation=organisation, year=report.year)
    open_one = previous.exclude(status=Submission.Status.RETURNED).first()
    if open_one is not None:
        return _("%(year)s年度报告已于%(when)s报送（%(status)s），不能重复报送。") % {
            "year": report.year,
            "when": timezone.localtime(open_one.submitted_at, BEIJING).strftime("%Y-%m-%d %H:%M"),
            "status": open_one.get_status_display(),
        }
    if previous.filter(version=version).exists():
        return _(
            "第%(n)d版已报送并被上级党组织退回。请按退回意见修改：在年度报告页“开始新版本”，"
            "修改后重新审签，形成新的定稿再报送。"
        ) % {"n": version.number}
    if not ReportDue.objects.filter(
        supervisor_id=organisation.supervisor_id, year=report.year
    ).exists():
        return _("上级党组织尚未设置%(year)s年度报告的报送截止日期，暂不能报送。") % {
            "year": report.year
        }
    return None


def submission_submit(*, report, by, scope=None, now=None):
    """Submit the report's 定稿 to the organisation's supervising body, frozen as it is."""
    _require_office_of(by, report.organisation, scope)
    now = now or timezone.now()
    written = []
    with _files_deleted_on_error(written), transaction.atomic():
        # The organisation's row serialises its submissions: two clicks make one submission.
        organisation = Organisation.objects.select_for_update().get(pk=report.organisation_id)
        report = Report.objects.select_for_update().get(pk=report.pk)
        version = latest_version(report)
        refusal = submission_refusal(report, version, organisation)
        if refusal:
            raise SupervisionError(refusal)
        due = ReportDue.objects.get(supervisor_id=organisation.supervisor_id, year=report.year)
        files = frozen_files(version, by)
        submission = Submission(
            organisation=organisation,
            supervisor_id=organisation.supervisor_id,
            year=report.year,
            version=version,
            title=report.title[:200],
            submitted_at=now,
            submitted_by=by,
            due_date=due.due_date,
            on_time=beijing_date(now) <= due.due_date,
            document=version.frozen,
            content_hash=version.content_hash,
            pdf_sha256=hashlib.sha256(files["pdf"]).hexdigest(),
            docx_sha256=hashlib.sha256(files["docx"]).hexdigest(),
        )
        stem = f"{organisation.code}-{report.year}-v{version.number}"
        submission.pdf.save(f"{stem}.pdf", ContentFile(files["pdf"]), save=False)
        written.append(submission.pdf.name)
        submission.docx.save(f"{stem}.docx", ContentFile(files["docx"]), save=False)
        written.append(submission.docx.name)
        _history(submission, by, _("报送年度报告"))
        tell.submitted(submission, by=by)
    return submission


def _decide_submission(submission, by, scope):
    submission = (
        Submission.objects.select_for_update()
        .select_related("organisation", "supervisor")
        .get(pk=submission.pk)
    )
    _require_body_office(by, submission.supervisor, scope)
    if submission.status != Submission.Status.SUBMITTED:
        raise SupervisionError(
            _("该报告当前状态为“%(status)s”，不能再签收或退回。")
            % {"status": submission.get_status_display()}
        )
    return submission


def submission_receive(*, submission, by, comments="", scope=None):
    """签收: the body acknowledges receipt; the frozen files stay as they were submitted."""
    with transaction.atomic():
        submission = _decide_submission(submission, by, scope)
        submission.decide(receive=True, by=by, comments=(comments or "").strip(), at=timezone.now())
        _history(submission, by, _("签收"))
        tell.received(submission, by=by)
    return submission


def submission_return(*, submission, by, comments, scope=None):
    """Return the submission to the organisation with comments (required)."""
    comments = (comments or "").strip()
    with transaction.atomic():
        submission = _decide_submission(submission, by, scope)
        if not comments:
            raise SupervisionError(_("退回报告时请填写退回意见，写明需要修改的地方。"))
        submission.decide(receive=False, by=by, comments=comments, at=timezone.now())
        _history(submission, by, _("退回：%(reason)s"), reason=comments)
        tell.returned(submission, by=by)
    return submission


# -- supervision notices (督办) ---------------------------------------------------------------
def notice_issue(
    *,
    supervisor,
    organisation,
    subject,
    body,
    reply_due,
    by,
    weak_area="",
    measures=(),
    scope=None,
    today=None,
):
    """The body issues a 督办 to an organisation that reports to it."""
    _require_body_office(by, supervisor, scope)
    today = today or timezone.localdate(timezone=BEIJING)
    if organisation.supervisor_id != supervisor.pk:
        raise SupervisionError(_("只能向本党组织直接管理的下级党组织下发督办。"))
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject or not body:
        raise SupervisionError(_("请填写督办事项和督办内容。"))
    if reply_due < today:
        raise SupervisionError(
            _("答复期限%(date)s已经过去，请选择今天（%(today)s）或以后的日期。")
            % {"date": reply_due.isoformat(), "today": today.isoformat()}
        )
    if any(m.organisation_id != organisation.pk for m in measures):
        raise SupervisionError(_("所选整改措施不属于被督办单位。"))
    with transaction.atomic():
        notice = SupervisionNotice(
            supervisor=supervisor,
            organisation=organisation,
            subject=subject,
            body=body,
            weak_area=(weak_area or "").strip(),
            reply_due=reply_due,
            issued_at=timezone.now(),
            issued_by=by,
        )
        _history(notice, by, _("下发督办"))
        if measures:
            notice.measures.set(measures)
        tell.notice_issued(notice, by=by)
    return notice


def _locked_notice(notice):
    return (
        SupervisionNotice.objects.select_for_update()
        .select_related("organisation", "supervisor")
        .get(pk=notice.pk)
    )


def notice_reply(*, notice, by, text, files, scope=None):
    """The organisation answers with text and at least one evidence file."""
    _require_office_of(by, notice.organisation, scope)
    text = (text or "").strip()
    if not text:
        raise SupervisionError(_("请填写答复内容，说明落实情况。"))
    if not files:
        raise SupervisionError(_("答复督办须上传至少一份佐证材料。"))
    with files_rolled_back_on_error(), transaction.atomic():
        notice = _locked_notice(notice)
        if not notice.awaits_reply:
            raise SupervisionError(
                _("该督办当前状态为“%(status)s”，不能再答复。")
                % {"status": notice.get_status_display()}
            )
        now = timezone.now()
        reply = NoticeReply.objects.create(notice=notice, text=text, by=by, at=now)
        for item in files:
            upload, info = item if isinstance(item, tuple) else (item, None)
            NoticeEvidence.from_upload(upload, by=by, info=info, notice=notice, reply=reply).save()
        notice.reply(at=now)
        _history(notice, by, _("答复督办"))
        tell.notice_replied(notice, by=by)
    return notice


def _decide_notice(notice, by, scope):
    notice = _locked_notice(notice)
    _require_body_office(by, notice.supervisor, scope)
    if notice.status != SupervisionNotice.Status.REPLIED:
        raise SupervisionError(
            _("该督办当前状态为“%(status)s”，没有待审核的答复。")
            % {"status": notice.get_status_display()}
        )
    return notice


def notice_close(*, notice, by, comments="", scope=None):
    """The body accepts the reply: the 督办 is done (办结)."""
    with transaction.atomic():
        notice = _decide_notice(notice, by, scope)
        notice.decide(close=True, by=by, comments=(comments or "").strip(), at=timezone.now())
        _history(notice, by, _("办结"))
        tell.notice_closed(notice, by=by)
    return notice


def notice_return(*, notice, by, comments, scope=None):
    """The body returns the reply with comments: the organisation answers again."""
    comments = (comments or "").strip()
    with transaction.atomic():
        notice = _decide_notice(notice, by, scope)
        if not comments:
            raise SupervisionError(_("退回答复时请填写退回意见。"))
        notice.decide(close=False, by=by, comments=comments, at=timezone.now())
        _history(notice, by, _("退回：%(reason)s"), reason=comments)
        tell.notice_returned(notice, by=by)
    return notice
