"""What 报送 and 督办 tell people, called by the services inside their transactions.

Up: a submission and a reply reach the body's party office. Down: a receipt, a return, a new
督办 and the body's decision on a reply reach the organisation's office and principal leader.
The person acting is never told about their own action.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from accountability.models import Role, RoleAssignment
from notices.batches import notify, stored_language
from notices.models import Notice


def office_ids(organisation_id):
    return set(
        RoleAssignment.objects.filter(
            organisation_id=organisation_id, role=Role.OFFICE, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def _office_and_principal(organisation):
    return office_ids(organisation.pk) | {organisation.principal_leader_id}


def _name(by):
    return by.get_full_name() or by.get_username()


def _tell(*, people, by, kind, key, text, link, organisation_id):
    return notify(
        recipients={pk for pk in people if pk and pk != getattr(by, "pk", None)},
        kind=kind,
        key=key,
        text=text,
        link=link,
        organisation_id=organisation_id,
    )


def _submission_link(submission):
    return reverse("supervision:submission-detail", args=[submission.pk])


def _notice_link(notice):
    return reverse("supervision:notice-detail", args=[notice.pk])


@stored_language
def submitted(submission, *, by):
    return _tell(
        people=office_ids(submission.supervisor_id),
        by=by,
        kind=Notice.Kind.REPORT_SUBMITTED,
        key=f"submission-submitted:{submission.pk}",
        text=_("%(org)s报送了%(year)s年度报告（%(timing)s）。")
        % {
            "org": submission.organisation.name,
            "year": submission.year,
            "timing": _("按时") if submission.on_time else _("逾期"),
        },
        link=_submission_link(submission),
        organisation_id=submission.supervisor_id,
    )


@stored_language
def received(submission, *, by):
    return _tell(
        people=_office_and_principal(submission.organisation),
        by=by,
        kind=Notice.Kind.REPORT_RECEIVED,
        key=f"submission-received:{submission.pk}",
        text=_("%(body)s已签收本单位%(year)s年度报告。")
        % {"body": submission.supervisor.name, "year": submission.year},
        link=_submission_link(submission),
        organisation_id=submission.organisation_id,
    )


@stored_language
def returned(submission, *, by):
    return _tell(
        people=_office_and_principal(submission.organisation),
        by=by,
        kind=Notice.Kind.REPORT_SENT_BACK,
        key=f"submission-returned:{submission.pk}",
        text=_("%(body)s退回了本单位%(year)s年度报告（%(by)s），意见：%(reason)s")
        % {
            "body": submission.supervisor.name,
            "year": submission.year,
            "by": _name(by),
            "reason": submission.comments,
        },
        link=_submission_link(submission),
        organisation_id=submission.organisation_id,
    )


@stored_language
def notice_issued(notice, *, by):
    return _tell(
        people=_office_and_principal(notice.organisation),
        by=by,
        kind=Notice.Kind.NOTICE_ISSUED,
        key=f"notice-issued:{notice.pk}",
        text=_("%(body)s督办：「%(subject)s」，请于%(due)s前答复。")
        % {
            "body": notice.supervisor.name,
            "subject": notice.subject,
            "due": notice.reply_due.isoformat(),
        },
        link=_notice_link(notice),
        organisation_id=notice.organisation_id,
    )


@stored_language
def notice_replied(notice, *, by):
    replies = notice.replies.count()  # each reply is a new event
    return _tell(
        people=office_ids(notice.supervisor_id),
        by=by,
        kind=Notice.Kind.NOTICE_REPLIED,
        key=f"notice-replied:{notice.pk}:{replies}",
        text=_("%(org)s答复了督办「%(subject)s」，请审核。")
        % {"org": notice.organisation.name, "subject": notice.subject},
        link=_notice_link(notice),
        organisation_id=notice.supervisor_id,
    )


@stored_language
def notice_closed(notice, *, by):
    return _tell(
        people=_office_and_principal(notice.organisation),
        by=by,
        kind=Notice.Kind.NOTICE_CLOSED,
        key=f"notice-closed:{notice.pk}",
        text=_("督办「%(subject)s」已由%(body)s办结。")
        % {"subject": notice.subject, "body": notice.supervisor.name},
        link=_notice_link(notice),
        organisation_id=notice.organisation_id,
    )


@stored_language
def notice_returned(notice, *, by):
    replies = notice.replies.count()
    return _tell(
        people=_office_and_principal(notice.organisation),
        by=by,
        kind=Notice.Kind.NOTICE_RETURNED,
        key=f"notice-returned:{notice.pk}:{replies}",
        text=_("督办「%(subject)s」的答复被%(body)s退回，意见：%(reason)s")
        % {"subject": notice.subject, "body": notice.supervisor.name, "reason": notice.comments},
        link=_notice_link(notice),
        organisation_id=notice.organisation_id,
    )
