"""Who reads and who acts in 报送 and 督办, and the reads the pages need.

* An organisation's whole-organisation readers (office, principal leader, inspectors, ...) read
  its submissions and the 督办 it received; its office submits and replies.
* A supervising body's office, leaders and inspectors read the submissions and notices of the
  organisations below it (``scope.filter(..., supervised=True)``); only the office of the body
  an organisation reports to (its ``supervisor``) sets due dates, receives, returns, issues and
  closes.
"""

from django.db.models import Exists, OuterRef

from accountability.access import SUPERVISING_ROLES
from accountability.models import Organisation, Role

from .models import ReportDue, Submission, SupervisionNotice


def body_organisations(scope):
    """The bodies whose pages the user may open: organisations with others below them where
    the user is office, leader or inspector."""
    below = Organisation.objects.filter(supervisor=OuterRef("pk"))
    qs = Organisation.objects.filter(Exists(below))
    if scope.is_superuser:
        return qs
    ids = [org_id for org_id, roles in scope.roles.items() if roles & SUPERVISING_ROLES]
    return qs.filter(pk__in=ids)


def acts_for_body(scope, body):
    """The office of ``body`` (or a superuser): sets due dates, receives, returns, issues."""
    return scope.is_superuser or scope.has_role(Role.OFFICE, organisation=body)


def readable_submissions(scope):
    return scope.filter(
        Submission.objects.all(), unit_field=None, org_field="organisation", supervised=True
    )


def readable_notices(scope):
    return scope.filter(
        SupervisionNotice.objects.all(), unit_field=None, org_field="organisation", supervised=True
    )


def directly_below(body):
    """The organisations that report to ``body``: the ones it sets due dates for."""
    return Organisation.objects.filter(supervisor=body).order_by("name")


def submission_board(body, year):
    """Per organisation below ``body``: its latest submission for ``year`` (or none).

    Two queries whatever the number of organisations: the organisations, and their submissions
    of the year (newest first, the first per organisation kept).
    """
    organisations = list(directly_below(body))
    latest = {}
    for submission in (
        Submission.objects.filter(organisation__in=organisations, year=year)
        .select_related("version", "decided_by")
        .order_by("organisation_id", "-submitted_at", "-pk")
    ):
        latest.setdefault(submission.organisation_id, submission)
    return [(organisation, latest.get(organisation.pk)) for organisation in organisations]


def board_counts(rows):
    """The figures above the board: submitted, on time, late, not yet, returned."""
    counts = {"total": len(rows), "submitted": 0, "on_time": 0, "late": 0, "missing": 0}
    counts["returned"] = 0
    for _organisation, submission in rows:
        if submission is None:
            counts["missing"] += 1
        elif submission.status == Submission.Status.RETURNED:
            counts["returned"] += 1
        else:
            counts["submitted"] += 1
            counts["on_time" if submission.on_time else "late"] += 1
    return counts


def due_for(organisation, year):
    if organisation.supervisor_id is None:
        return None
    return ReportDue.objects.filter(supervisor_id=organisation.supervisor_id, year=year).first()
