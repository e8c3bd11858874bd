"""年度报告按时报送: counted from the supervision app's ReportDue and Submission."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from assessment import measures
from assessment.models import Measure, Rule, Scheme
from assessment.scoring import assess

from .conftest import TODAY, YEAR


def test_the_measure_is_offered_only_for_organisations():
    assert Measure.REPORTS_ON_TIME in dict(measures.offered(Scheme.Target.ORGANISATIONS))
    assert Measure.REPORTS_ON_TIME not in dict(measures.offered(Scheme.Target.UNITS))


def _submit(org, *, on_time, status, day, world):
    """A submission row as the supervision app leaves it (its files are not read here)."""
    from supervision.models import Submission
    from tests.supervision.fixtures import make_report, new_final, sign_off

    # A 定稿 per submission (one version is submitted once); whose it is does not matter here.
    if not hasattr(world, "report"):
        world.report = make_report(world.org, YEAR)
        final = sign_off(world.report, world.office, world.principal)
    else:
        final = new_final(world.report, world.office, world.principal, f"第{org.pk}稿")
    submitted_at = timezone.make_aware(datetime.combine(day, time(10)))
    decided = status != Submission.Status.SUBMITTED
    return Submission.objects.create(
        organisation=org,
        supervisor=org.supervisor,
        year=YEAR,
        version=final,
        title=f"{org.name}{YEAR}年度报告",
        submitted_at=submitted_at,
        submitted_by=world.office,
        decided_at=submitted_at + timedelta(days=1) if decided else None,
        decided_by=world.office if decided else None,
        comments="请补充整改情况。" if status == Submission.Status.RETURNED else "",
        due_date=date(YEAR, 3, 31),
        status=status,
        on_time=on_time,
        content_hash="0" * 64,
        pdf="submissions/x.pdf",
        docx="submissions/x.docx",
    )


def test_on_time_standing_submission_scores_and_late_or_returned_does_not(world, body):
    from supervision.models import ReportDue, Submission

    ReportDue.objects.create(supervisor=body.org, year=YEAR, due_date=date(YEAR, 3, 31))
    _submit(
        world.org,
        on_time=True,
        status=Submission.Status.RECEIVED,
        day=date(YEAR, 3, 20),
        world=world,
    )
    _submit(
        body.sibling,
        on_time=True,
        status=Submission.Status.RETURNED,
        day=date(YEAR, 3, 20),
        world=world,
    )
    Rule.objects.create(scheme=body.scheme, measure=Measure.REPORTS_ON_TIME, weight=20)
    result = assess(body.scheme, TODAY)
    cells = {row.target_id: row.cells[0] for row in result.rows}
    assert (cells[world.org.pk].done, cells[world.org.pk].due) == (1, 1)
    assert (cells[body.sibling.pk].done, cells[body.sibling.pk].due) == (0, 1)


def test_nothing_is_due_before_the_due_date_without_a_submission(world, body):
    from supervision.models import ReportDue

    ReportDue.objects.create(supervisor=body.org, year=YEAR, due_date=date(YEAR, 12, 31))
    Rule.objects.create(scheme=body.scheme, measure=Measure.REPORTS_ON_TIME, weight=20)
    result = assess(body.scheme, TODAY)
    assert {row.cells[0].due for row in result.rows} == {0}
