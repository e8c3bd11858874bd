"""Three-colour status computed in the database, per the organisation's thresholds."""

import datetime

from rectification.models import Measure, WarningPolicy

TODAY = datetime.date(2026, 6, 1)


def _colour(measure):
    return Measure.objects.with_colour(TODAY).get(pk=measure.pk).colour


def _due_in(measure, days):
    measure.deadline = TODAY + datetime.timedelta(days=days)
    measure.save()
    return measure


def test_overdue_measure_is_red(rect):
    assert _colour(_due_in(rect.measure, -1)) == "red"


def test_measure_due_within_yellow_days_is_yellow(rect, settings):
    settings.WARNING_YELLOW_DAYS = 10
    assert _colour(_due_in(rect.measure, 10)) == "yellow"


def test_measure_due_within_green_days_is_green(rect, settings):
    settings.WARNING_GREEN_DAYS = 20
    assert _colour(_due_in(rect.measure, 20)) == "green"


def test_measure_far_from_deadline_has_no_colour(rect, settings):
    settings.WARNING_GREEN_DAYS = 20
    assert _colour(_due_in(rect.measure, 21)) == "none"


def test_ongoing_measure_has_no_colour(rect):
    rect.measure.is_ongoing = True
    rect.measure.save()
    assert _colour(rect.measure) == "none"


def test_organisation_policy_overrides_settings(rect):
    WarningPolicy.objects.create(organisation=rect.org, green_days=60, yellow_days=30)
    assert _colour(_due_in(rect.measure, 25)) == "yellow"
    assert _colour(_due_in(rect.other_measure, 25)) == "none"


def test_list_can_sort_by_colour_rank(rect):
    _due_in(rect.measure, -3)
    _due_in(rect.finance_measure, 5)
    ranked = Measure.objects.with_colour(TODAY).filter(organisation=rect.org)
    assert [m.pk for m in ranked.order_by("-colour_rank")] == [
        rect.measure.pk,
        rect.finance_measure.pk,
    ]


def test_policy_for_organisation_without_row_uses_settings(world, settings):
    settings.WARNING_GREEN_DAYS = 33
    assert WarningPolicy.for_organisation(world.org).green_days == 33
