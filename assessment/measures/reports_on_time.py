"""年度报告按时报送, from the supervision app's submissions (报送) — organisations only.

Counted from ``supervision.models.ReportDue(supervisor, year, due_date)`` and
``supervision.models.Submission(organisation, year, status, on_time)``.

An organisation owes its year's report once the supervising body's due date (its supervisor's
ReportDue for the year) has passed, or once it submitted; it is on time when one of its
submissions for the year was made on time (``on_time``, set by supervision at submission) and
was not returned.

due  = 1 when the due date has passed or a submission exists, else 0
done = 1 when an on-time submission stands (submitted or received), else 0
"""

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from supervision.models import ReportDue, Submission

from . import ORGANISATIONS, BasisRow, MeasureDefinition


def expressions(target, year, today):
    mine = Submission.objects.filter(organisation_id=OuterRef("pk"), year=year)
    standing = mine.filter(
        on_time=True,
        status__in=[Submission.Status.SUBMITTED, Submission.Status.RECEIVED],
    )
    passed = ReportDue.objects.filter(
        supervisor_id=OuterRef("supervisor_id"), year=year, due_date__lt=today
    )
    done = Case(
        When(Exists(standing), then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    due = Case(
        When(Q(Exists(mine)) | Q(Exists(passed)), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return done, due


def basis(scheme, target, today, scope):
    rows = []
    submissions = Submission.objects.filter(organisation=target, year=scheme.year).order_by(
        "submitted_at", "pk"
    )
    returned = Submission.Status.RETURNED
    for submission in submissions:
        if submission.status == returned:
            status = "missing"
        else:
            status = "on_time" if submission.on_time else "late"
        rows.append(
            BasisRow(
                when=submission.due_date,
                title=_("%(year)s年度报告报送") % {"year": scheme.year},
                detail=_("应于%(due)s前报送，%(at)s报送（%(status)s）")
                % {
                    "due": submission.due_date.isoformat() if submission.due_date else "—",
                    "at": submission.submitted_at.date().isoformat(),
                    "status": submission.get_status_display(),
                },
                status=status,
                unit=target.name,
            )
        )
    if not rows:
        due = (
            ReportDue.objects.filter(supervisor_id=target.supervisor_id, year=scheme.year)
            .values_list("due_date", flat=True)
            .first()
        )
        if due is not None and due < today:
            rows.append(
                BasisRow(
                    when=due,
                    title=_("%(year)s年度报告报送") % {"year": scheme.year},
                    detail=_("应于%(due)s前报送，尚未报送") % {"due": due.isoformat()},
                    status="missing",
                    unit=target.name,
                )
            )
    return rows


DEFINITION = MeasureDefinition(
    code="reports_on_time",
    formula=_(
        "下级党组织的年度主体责任落实情况报告：上级规定的报送期限已过或已报送的计为应报送，"
        "按期报送且未被退回的为按时报送。得分 = 分值 × (按时报送 1 / 否则 0)。"
    ),
    expressions=expressions,
    basis=basis,
    targets=frozenset({ORGANISATIONS}),
)
