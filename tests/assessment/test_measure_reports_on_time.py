"""年度报告按时报送: against the supervision app's ReportDue and Submission (its contract).

Skipped, with the reason, until the supervision app is installed; the registry test below runs
either way.
"""

from datetime import date, datetime, time

import pytest
from django.apps import apps
from django.utils import timezone

from assessment import measures
from assessment.models import Measure, Rule, Scheme
from assessment.scoring import assess

from .conftest import TODAY, YEAR

needs_supervision = pytest.mark.skipif(
    not apps.is_installed("supervision"),
    reason="the supervision app (ReportDue, Submission) is not installed on this branch",
)


def test_the_measure_is_offered_only_with_the_supervision_app_and_only_for_organisations():
    offered_orgs = dict(measures.offered(Scheme.Target.ORGANISATIONS))
    assert (Measure.REPORTS_ON_TIME in offered_orgs) == apps.is_installed("supervision")
    assert Measure.REPORTS_ON_TIME not in dict(measures.offered(Scheme.Target.UNITS))


def test_a_rule_for_it_is_left_out_of_the_score_when_not_available(world, body):
    if apps.is_installed("supervision"):
        pytest.skip("the supervision app is installed: the measure is available")
    Rule.objects.create(scheme=body.scheme, measure=Measure.REPORTS_ON_TIME, weight=20)
    result = assess(body.scheme, TODAY)
    assert [rule.measure for rule in result.skipped] == [Measure.REPORTS_ON_TIME]
    assert result.columns == []


def _submit(org, *, on_time, status, day):
    from reports.models import Report, ReportVersion
    from supervision.models import Submission

    report = Report.objects.filter(organisation=org, year=YEAR).first()
    version = ReportVersion.objects.filter(report=report).first() if report else None
    return Submission.objects.create(
        organisation=org,
        year=YEAR,
        version=version,
        submitted_at=timezone.make_aware(datetime.combine(day, time(10))),
        due_date=date(YEAR, 3, 31),
        status=status,
        on_time=on_time,
    )


@needs_supervision
def test_on_time_standing_submission_scores_and_late_or_returned_does_not(world, body):
    from supervision.models import ReportDue, Submission

    ReportDue.objects.create(supervisor=body.org, year=YEAR, due_date=date(YEAR, 3, 31))
    _submit(world.org, on_time=True, status=Submission.Status.RECEIVED, day=date(YEAR, 3, 20))
    _submit(body.sibling, on_time=True, status=Submission.Status.RETURNED, day=date(YEAR, 3, 20))
    Rule.objects.create(scheme=body.scheme, measure=Measure.REPORTS_ON_TIME, weight=20)
    result = assess(body.scheme, TODAY)
    cells = {row.target_id: row.cells[0] for row in result.rows}
    assert (cells[world.org.pk].done, cells[world.org.pk].due) == (1, 1)
    assert (cells[body.sibling.pk].done, cells[body.sibling.pk].due) == (0, 1)


@needs_supervision
def test_nothing_is_due_before_the_due_date_without_a_submission(world, body):
    from supervision.models import ReportDue

    ReportDue.objects.create(supervisor=body.org, year=YEAR, due_date=date(YEAR, 12, 31))
    Rule.objects.create(scheme=body.scheme, measure=Measure.REPORTS_ON_TIME, weight=20)
    result = assess(body.scheme, TODAY)
    assert {row.cells[0].due for row in result.rows} == {0}
