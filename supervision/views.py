"""报送 and 督办 pages: the organisation's page, the body's board, submissions and notices.

Access in one place (``supervision.selectors``): an object outside the reader's scope is not
found (404); a reader who may not act answers 403. The rules live in ``supervision.services``;
these views only ask and show.
"""

import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accountability.models import Organisation
from audit.services import Action, record
from common.downloads import content_disposition
from common.history import history_rows
from reports.document import printable_sections
from reports.models import Report
from reports.services import latest_version
from reports.views.base import get_report

from . import services
from .forms import (
    NoticeDecisionForm,
    NoticeForm,
    NoticeReplyForm,
    ReportDueForm,
    SubmissionReceiveForm,
    SubmissionReturnForm,
)
from .models import NoticeEvidence, ReportDue, Submission, SupervisionError, SupervisionNotice
from .selectors import (
    acts_for_body,
    board_counts,
    body_organisations,
    directly_below,
    readable_notices,
    readable_submissions,
    submission_board,
)

logger = logging.getLogger(__name__)

# The body page's 督办 list, a page at a time (a body over a hundred organisations issues many).
NOTICES_PER_PAGE = 20
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _year(request, default):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def default_year(supervisor_id):
    """The latest year the body set a due date for; else last year (reports go up in spring)."""
    latest = (
        ReportDue.objects.filter(supervisor_id=supervisor_id)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return latest or timezone.localdate().year - 1


def _flash_errors(request, form):
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


def _with_query(url, **params):
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def _days(due, today):
    """``days_left`` until the due date (negative: past it) and ``days_over`` past it."""
    if due is None:
        return {"days_left": None, "days_over": 0}
    left = (due.due_date - today).days
    return {"days_left": left, "days_over": max(0, -left)}


@login_required
def index(request):
    """The body's board for a body's people; the organisation's own page for everyone else."""
    body = body_organisations(request.scope).order_by("name").first()
    if body is not None:
        return redirect("supervision:body", pk=body.pk)
    return redirect("supervision:organisation")


# -- the organisation's side ----------------------------------------------------------------------
def _own_organisation(request):
    """``?org=<code>`` among the organisations the user reads as a whole; the first by default."""
    scope = request.scope
    organisations = (
        Organisation.objects.all()
        if scope.is_superuser
        else Organisation.objects.filter(pk__in=scope.full_read_org_ids)
    ).order_by("name")
    code = request.GET.get("org")
    if code:
        organisation = organisations.filter(code=code).first() if "\x00" not in code else None
    else:
        organisation = organisations.first()
    if organisation is None:
        raise Http404
    return organisation, organisations


@login_required
def organisation_page(request):
    organisation, organisations = _own_organisation(request)
    supervisor = organisation.supervisor
    year = _year(request, default_year(organisation.supervisor_id))
    today = timezone.localdate()
    due = ReportDue.objects.filter(supervisor=supervisor, year=year).first() if supervisor else None
    report = Report.objects.filter(organisation=organisation, year=year).first()
    version = latest_version(report) if report else None
    submissions = Submission.objects.filter(organisation=organisation, year=year).select_related(
        "version", "submitted_by", "decided_by"
    )
    open_submission = next((s for s in submissions if s.status != "returned"), None)
    notices = SupervisionNotice.objects.filter(organisation=organisation).select_related(
        "supervisor"
    )
    can_write = request.scope.is_superuser or organisation.pk in request.scope.full_write_org_ids
    return render(
        request,
        "supervision/organisation.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "supervisor": supervisor,
            "year": year,
            "years": [year - 1, year + 1],
            "due": due,
            **_days(due, today),
            "report": report,
            "version": version,
            "submissions": submissions,
            "open_submission": open_submission,
            "refusal": services.submission_refusal(report, version, organisation)
            if report
            else None,
            "notices": notices,
            "can_submit": can_write and supervisor is not None,
            "can_write": can_write,
            "today": today,
        },
    )


@require_POST
@login_required
def report_submit(request, pk):
    report = get_report(request, pk, write=True)
    back = _with_query(
        reverse("supervision:organisation"), org=report.organisation.code, year=report.year
    )
    try:
        submission = services.submission_submit(report=report, by=request.user, scope=request.scope)
    except SupervisionError as refused:
        messages.error(request, refused.message)
        return redirect(back)
    except PermissionDenied:
        raise
    except Exception:  # the PDF or DOCX could not be made: say so, keep nothing
        logger.exception("Submission of report %s failed", report.pk)
        messages.error(request, _("生成报送文件失败，未报送。请稍后重试或联系系统管理员。"))
        return redirect(back)
    if submission.on_time:
        messages.success(request, _("已报送上级党组织，按时报送。"))
    else:
        messages.warning(
            request,
            _("已报送上级党组织。截止日期为%(due)s，本次为逾期报送。")
            % {"due": submission.due_date.isoformat()},
        )
    return redirect("supervision:submission-detail", pk=submission.pk)


# -- the body's side ----------------------------------------------------------------------------
def _body(request, pk):
    return get_object_or_404(body_organisations(request.scope), pk=pk)


def _require_body_office(request, body):
    if not acts_for_body(request.scope, body):
        raise PermissionDenied(_("只有上级党组织的党办工作人员可以办理。"))


@login_required
def body_page(request, pk):
    body = _body(request, pk)
    year = _year(request, default_year(body.pk))
    today = timezone.localdate()
    due = ReportDue.objects.filter(supervisor=body, year=year).first()
    rows = submission_board(body, year)
    notices = (
        SupervisionNotice.objects.filter(supervisor=body)
        .select_related("organisation")
        .order_by(Case(When(status="closed", then=1), default=0), "-issued_at", "-pk")
    )
    # Every year's 督办 of every organisation below: open ones first, a page at a time.
    notice_page = Paginator(notices, NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    can_act = acts_for_body(request.scope, body)
    return render(
        request,
        "supervision/body.html",
        {
            "body": body,
            "bodies": body_organisations(request.scope).order_by("name"),
            "year": year,
            "years": [year - 1, year + 1],
            "due": due,
            **_days(due, today),
            "due_form": ReportDueForm(
                initial={"year": year, "due_date": due.due_date if due else None}
            ),
            "rows": rows,
            "counts": board_counts(rows),
            "notices": notice_page,
            "page_obj": notice_page,
            "can_act": can_act,
            "today": today,
        },
    )


@require_POST
@login_required
def due_set(request, pk):
    body = _body(request, pk)
    _require_body_office(request, body)
    form = ReportDueForm(request.POST)
    year = form.data.get("year")
    if form.is_valid():
        year = form.cleaned_data["year"]
        try:
            due, _created = services.report_due_set(
                supervisor=body,
                year=year,
                due_date=form.cleaned_data["due_date"],
                by=request.user,
                scope=request.scope,
            )
        except SupervisionError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _("%(year)s年度报告的报送截止日期为%(date)s。")
                % {"year": year, "date": due.due_date.isoformat()},
            )
    else:
        _flash_errors(request, form)
    url = reverse("supervision:body", args=[body.pk])
    return redirect(_with_query(url, year=year if str(year).isdigit() else ""))


# -- submissions ----------------------------------------------------------------------------------
def _submission(request, pk):
    return get_object_or_404(
        readable_submissions(request.scope).select_related(
            "organisation", "supervisor", "version", "submitted_by", "decided_by"
        ),
        pk=pk,
    )


@login_required
def submission_detail(request, pk):
    submission = _submission(request, pk)
    others = (
        readable_submissions(request.scope)
        .filter(organisation=submission.organisation, year=submission.year)
        .exclude(pk=submission.pk)
        .select_related("version")
    )
    document = submission.document
    return render(
        request,
        "supervision/submission_detail.html",
        {
            "submission": submission,
            "others": others,
            "document": document,
            "sections": printable_sections(document) if document.get("sections") else [],
            "can_decide": acts_for_body(request.scope, submission.supervisor)
            and submission.status == Submission.Status.SUBMITTED,
            "is_body": request.scope.supervises(submission.organisation)
            or request.scope.is_superuser,
            "receive_form": SubmissionReceiveForm(),
            "return_form": SubmissionReturnForm(),
            "history": history_rows(submission),
        },
    )


def _decide(request, pk, action, form_class, done):
    submission = _submission(request, pk)
    _require_body_office(request, submission.supervisor)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(submission, form.cleaned_data["comments"])
        except SupervisionError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, done)
    else:
        _flash_errors(request, form)
    return redirect("supervision:submission-detail", pk=submission.pk)


@require_POST
@login_required
def submission_receive(request, pk):
    return _decide(
        request,
        pk,
        lambda s, comments: services.submission_receive(
            submission=s, by=request.user, comments=comments, scope=request.scope
        ),
        SubmissionReceiveForm,
        _("已签收。"),
    )


@require_POST
@login_required
def submission_return(request, pk):
    return _decide(
        request,
        pk,
        lambda s, comments: services.submission_return(
            submission=s, by=request.user, comments=comments, scope=request.scope
        ),
        SubmissionReturnForm,
        _("已退回，并附退回意见。"),
    )


@login_required
def submission_file(request, pk, fmt):
    """The file exactly as it was submitted."""
    submission = _submission(request, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    stored = submission.pdf if fmt == "pdf" else submission.docx
    if not stored:
        raise Http404
    record(
        Action.EXPORT,
        request=request,
        organisation_id=submission.organisation_id,
        obj=submission,
        detail=stored.name,
    )
    response = FileResponse(stored.open("rb"), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition(
        f"{submission.title}（报送稿）.{fmt}",
        f"{submission.organisation.code}-{submission.year}-submitted.{fmt}",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# -- supervision notices (督办) ---------------------------------------------------------------
def _notice(request, pk):
    return get_object_or_404(
        readable_notices(request.scope).select_related(
            "organisation", "supervisor", "issued_by", "decided_by"
        ),
        pk=pk,
    )


@login_required
def notice_create(request, pk):
    body = _body(request, pk)
    _require_body_office(request, body)
    organisations = directly_below(body)
    initial = {}
    # ?org= from a link; ?organisation= when the form's list changes (it reloads the measures).
    chosen = request.GET.get("organisation") or request.GET.get("org")
    if chosen and chosen.isdigit():
        initial["organisation"] = organisations.filter(pk=chosen).first()
    refresh_url = request.path
    if request.method == "POST":
        form = NoticeForm(
            request.POST, body=body, organisations=organisations, refresh_url=refresh_url
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                notice = services.notice_issue(
                    supervisor=body,
                    organisation=data["organisation"],
                    subject=data["subject"],
                    body=data["body"],
                    weak_area=data["weak_area"],
                    measures=list(data["measures"]),
                    reply_due=data["reply_due"],
                    by=request.user,
                    scope=request.scope,
                )
            except SupervisionError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("督办已下发。"))
                return redirect("supervision:notice-detail", pk=notice.pk)
    else:
        form = NoticeForm(
            initial=initial, body=body, organisations=organisations, refresh_url=refresh_url
        )
    return render(request, "supervision/notice_form.html", {"form": form, "body": body})


@login_required
def notice_detail(request, pk):
    notice = _notice(request, pk)
    replies = notice.replies.select_related("by").prefetch_related("evidence")
    can_write_org = request.scope.is_superuser or (
        notice.organisation_id in request.scope.full_write_org_ids
    )
    return render(
        request,
        "supervision/notice_detail.html",
        {
            "notice": notice,
            "measures": notice.measures.select_related("unit"),
            "replies": replies,
            "can_reply": can_write_org and notice.awaits_reply,
            "can_decide": acts_for_body(request.scope, notice.supervisor)
            and notice.status == SupervisionNotice.Status.REPLIED,
            "reply_form": NoticeReplyForm(),
            "decision_form": NoticeDecisionForm(),
            "overdue": notice.awaits_reply and notice.reply_due < timezone.localdate(),
            "is_body": request.scope.is_superuser or request.scope.supervises(notice.organisation),
            "history": history_rows(notice),
        },
    )


@require_POST
@login_required
def notice_reply(request, pk):
    notice = _notice(request, pk)
    scope = request.scope
    if not (scope.is_superuser or notice.organisation_id in scope.full_write_org_ids):
        raise PermissionDenied(_("只有被督办单位的党办工作人员可以答复。"))
    form = NoticeReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.notice_reply(
                notice=notice,
                by=request.user,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
                scope=request.scope,
            )
        except SupervisionError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("已答复，等待上级党组织审核。"))
    else:
        _flash_errors(request, form)
    return redirect("supervision:notice-detail", pk=notice.pk)


def _notice_decision(request, pk, action, done):
    notice = _notice(request, pk)
    _require_body_office(request, notice.supervisor)
    form = NoticeDecisionForm(request.POST)
    form.is_valid()  # one optional text field: always valid
    try:
        action(notice, form.cleaned_data.get("comments", ""))
    except SupervisionError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done)
    return redirect("supervision:notice-detail", pk=notice.pk)


@require_POST
@login_required
def notice_close(request, pk):
    return _notice_decision(
        request,
        pk,
        lambda n, comments: services.notice_close(
            notice=n, by=request.user, comments=comments, scope=request.scope
        ),
        _("督办已办结。"),
    )


@require_POST
@login_required
def notice_return(request, pk):
    return _notice_decision(
        request,
        pk,
        lambda n, comments: services.notice_return(
            notice=n, by=request.user, comments=comments, scope=request.scope
        ),
        _("已退回答复，并附审核意见。"),
    )


@login_required
def notice_evidence(request, pk, evidence_pk):
    notice = _notice(request, pk)
    evidence = get_object_or_404(
        NoticeEvidence, pk=evidence_pk, notice=notice, removed_at__isnull=True
    )
    return evidence.response(inline=request.GET.get("inline") == "1", request=request)
