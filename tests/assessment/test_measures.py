"""What each measure counts as due and as done on time, one target at a time."""

from datetime import date
from decimal import Decimal

import pytest

from assessment.models import Measure as M
from assessment.models import Rule
from assessment.scoring import assess
from notices.models import ReminderPolicy

from .conftest import TODAY, YEAR


def cell(scheme, measure, target, weight="10"):
    Rule.objects.get_or_create(scheme=scheme, measure=measure, defaults={"weight": weight})
    result = assess(scheme, TODAY)
    index = next(i for i, c in enumerate(result.columns) if c.rule.measure == measure)
    row = next(r for r in result.rows if r.target_id == target.pk)
    return row.cells[index]


@pytest.fixture
def monthly(world, records):
    works = world.works
    records.monthly_duty(works)
    records.monthly_duty(works)  # the same unit and kind again: still one duty
    records.record(works, date(YEAR, 1, 10), filed=date(YEAR, 1, 20))  # on time
    records.record(works, date(YEAR, 2, 10), filed=date(YEAR, 3, 10))  # after 5 March
    records.record(works, date(YEAR, 4, 28), filed=date(YEAR, 5, 5))  # on the cut-off day
    records.record(works, date(YEAR, 7, 1), filed=date(YEAR, 7, 2))  # July is not due yet
    records.record(works, date(YEAR, 5, 3), code="party_lecture")  # another kind: no duty
    return works


def test_monthly_counts_duty_months_past_the_cutoff_and_records_entered_by_it(monthly, unit_scheme):
    counted = cell(unit_scheme, M.MONTHLY_RECORDS, monthly)
    assert (counted.done, counted.due) == (2, 6)
    assert counted.points == Decimal("3.33")


def test_monthly_reads_the_organisations_cutoff_day(world, monthly, unit_scheme):
    ReminderPolicy.objects.create(organisation=world.org, monthly_cutoff_day=10)
    counted = cell(unit_scheme, M.MONTHLY_RECORDS, monthly)
    assert (counted.done, counted.due) == (3, 6)


def test_monthly_ignores_a_deleted_record(world, records, unit_scheme):
    records.monthly_duty(world.finance)
    records.record(world.finance, date(YEAR, 1, 10)).soft_delete()
    counted = cell(unit_scheme, M.MONTHLY_RECORDS, world.finance)
    assert (counted.done, counted.due) == (0, 6)


def test_a_unit_with_nothing_due_gets_the_full_weight(world, unit_scheme):
    counted = cell(unit_scheme, M.MONTHLY_RECORDS, world.finance, weight="12.5")
    assert (counted.done, counted.due, counted.points) == (0, 0, Decimal("12.50"))
    assert not counted.applicable


def test_letters_signed_by_their_due_date(world, records, unit_scheme):
    works = world.works
    records.letter(works, due=date(YEAR, 3, 1), signed=date(YEAR, 3, 1))  # on the day
    records.letter(works, due=date(YEAR, 3, 1), signed=date(YEAR, 3, 2), title="迟签", slot=1)
    records.letter(works, due=date(YEAR, 3, 1), title="未签", slot=2)  # missing
    records.letter(works, due=date(YEAR, 9, 1), title="未到期", slot=3)  # not due: not counted
    records.letter(works, due=date(YEAR, 9, 1), signed=date(YEAR, 6, 1), title="提前签", slot=4)
    records.letter(works, due=date(YEAR, 3, 1), withdrawn=True, title="已撤回")
    records.letter(works, due=date(YEAR - 1, 3, 1), title="去年", year=YEAR - 1)
    counted = cell(unit_scheme, M.LETTERS_SIGNED, works, weight="20")
    assert (counted.done, counted.due) == (2, 4)
    assert counted.points == 10


def test_measures_closed_by_their_deadline(world, records, unit_scheme):
    works = world.works
    records.measure(works, deadline=date(YEAR, 3, 31), closed=date(YEAR, 3, 31))  # on time
    records.measure(works, deadline=date(YEAR, 3, 31), closed=date(YEAR, 4, 2))  # late
    records.measure(works, deadline=date(YEAR, 5, 31))  # overdue, open
    records.measure(works, deadline=date(YEAR, 10, 31))  # not due yet
    records.measure(works, deadline=date(YEAR, 10, 31), closed=date(YEAR, 6, 1))  # early
    records.measure(works, ongoing=True)  # 长期坚持: no deadline
    records.measure(works, deadline=date(YEAR - 1, 12, 1))  # last year's
    counted = cell(unit_scheme, M.MEASURES_CLOSED, works)
    assert (counted.done, counted.due) == (2, 4)


def test_followups_done_against_those_due(world, records, unit_scheme):
    works = world.works
    records.measure(works, deadline=date(YEAR, 1, 31), closed=date(YEAR, 1, 20))
    done = records.measure(works, deadline=date(YEAR, 1, 31), closed=date(YEAR, 1, 20))
    missed = records.measure(works, deadline=date(YEAR, 1, 31), closed=date(YEAR, 1, 20))
    later = records.measure(works, deadline=date(YEAR, 1, 31), closed=date(YEAR, 1, 20))
    type(done).objects.filter(pk=done.pk).update(followup_checked_on=date(YEAR, 4, 20))
    type(missed).objects.filter(pk=missed.pk).update(followup_due_on=date(YEAR, 4, 20))
    type(later).objects.filter(pk=later.pk).update(followup_due_on=TODAY)  # due today: not late
    counted = cell(unit_scheme, M.FOLLOWUPS_DONE, works)
    assert (counted.done, counted.due) == (1, 2)


def test_a_unit_counts_its_own_rows_not_its_sub_units(world, records, unit_scheme):
    records.letter(world.works_section, due=date(YEAR, 3, 1))
    assert cell(unit_scheme, M.LETTERS_SIGNED, world.works).due == 0
    assert cell(unit_scheme, M.LETTERS_SIGNED, world.works_section).due == 1
