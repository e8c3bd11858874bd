"""我的待办 rows of 报送 and 督办 (registered with reports.todo in SupervisionConfig.ready).

For a party office: this year's report to submit, 督办 to answer; for a supervising body's
office: reports to receive (签收) and replies to review. One query per group, its rows with the
count of them all (reports.todo._first).
"""

from datetime import timedelta

from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from accountability.models import Role
from reports.todo import Group, Row, _days, _first

from .models import ReportDue, Submission, SupervisionNotice


def _office_orgs(scope):
    if scope.is_superuser:
        return None
    return [org_id for org_id, roles in scope.roles.items() if Role.OFFICE in roles]


def _within(qs, field, org_ids):
    return qs if org_ids is None else qs.filter(**{f"{field}__in": org_ids})


# A due date missed by more than this is the board's "not submitted", no longer a daily task.
WATCH_DAYS = 365


def reports_to_submit(user, scope, today):
    """Due dates set by the body above the office's organisation, for a year with nothing
    submitted (or only returned submissions)."""
    org_ids = _office_orgs(scope)
    if not org_ids:  # a superuser is nobody's party office
        return None
    open_submission = Submission.objects.filter(
        organisation_id=OuterRef("org_id"), year=OuterRef("year")
    ).exclude(status=Submission.Status.RETURNED)
    qs = (
        ReportDue.objects.filter(
            supervisor__supervised__pk__in=org_ids,
            due_date__gte=today - timedelta(days=WATCH_DAYS),
        )
        .annotate(
            org_id=F("supervisor__supervised__pk"),
            org_code=F("supervisor__supervised__code"),
            body_name=F("supervisor__name"),
        )
        .exclude(Exists(open_submission))
    )
    dues, total = _first(qs.order_by("due_date", "pk"), "supervision-submit")
    rows = []
    for due in dues:
        badge, tone = _days((due.due_date - today).days)
        rows.append(
            Row(
                text=_("向%(body)s报送%(year)s年度报告")
                % {"body": due.body_name, "year": due.year},
                url=f"{reverse('supervision:organisation')}?org={due.org_code}&year={due.year}",
                action=_("报送"),
                badge=badge,
                tone=tone,
            )
        )
    return Group("supervision-submit", _("待报送的年度报告"), rows, total)


def reports_to_receive(user, scope, today):
    org_ids = _office_orgs(scope)
    if org_ids == []:
        return None
    qs = _within(
        Submission.objects.filter(status=Submission.Status.SUBMITTED), "supervisor_id", org_ids
    )
    submissions, total = _first(
        qs.select_related("organisation").order_by("submitted_at", "pk"), "supervision-receive"
    )
    rows = [
        Row(
            text=_("%(org)s的%(year)s年度报告")
            % {"org": submission.organisation.name, "year": submission.year},
            url=reverse("supervision:submission-detail", args=[submission.pk]),
            action=_("签收"),
            badge=_("按时") if submission.on_time else _("逾期"),
            tone="success" if submission.on_time else "danger",
        )
        for submission in submissions
    ]
    return Group("supervision-receive", _("待签收的年度报告"), rows, total)


def notices_to_answer(user, scope, today):
    org_ids = _office_orgs(scope)
    if org_ids == []:
        return None
    qs = _within(
        SupervisionNotice.objects.filter(
            status__in=[SupervisionNotice.Status.ISSUED, SupervisionNotice.Status.RETURNED]
        ),
        "organisation_id",
        org_ids,
    )
    notices, total = _first(
        qs.select_related("supervisor").order_by("reply_due", "pk"), "supervision-answer"
    )
    rows = []
    for notice in notices:
        badge, tone = _days((notice.reply_due - today).days)
        returned = notice.status == SupervisionNotice.Status.RETURNED
        rows.append(
            Row(
                text=(
                    _("督办「%(subject)s」的答复被退回") if returned else _("督办「%(subject)s」")
                )
                % {"subject": notice.subject},
                url=reverse("supervision:notice-detail", args=[notice.pk]),
                action=_("答复"),
                badge=badge,
                tone=tone,
            )
        )
    return Group("supervision-answer", _("待答复的督办"), rows, total)


def notice_replies_to_review(user, scope, today):
    org_ids = _office_orgs(scope)
    if org_ids == []:
        return None
    qs = _within(
        SupervisionNotice.objects.filter(status=SupervisionNotice.Status.REPLIED),
        "supervisor_id",
        org_ids,
    )
    notices, total = _first(
        qs.select_related("organisation").order_by("replied_at", "pk"), "supervision-review"
    )
    rows = [
        Row(
            text=_("%(org)s答复了督办「%(subject)s」")
            % {"org": notice.organisation.name, "subject": notice.subject},
            url=reverse("supervision:notice-detail", args=[notice.pk]),
            action=_("审核"),
            badge=_("待审核"),
            tone="warning",
        )
        for notice in notices
    ]
    return Group("supervision-review", _("待审核的督办答复"), rows, total)
