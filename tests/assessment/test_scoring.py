"""Scores, manual points and the ranking, computed in the database."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import ManualAdjustment, Rule
from assessment.models import Measure as M
from assessment.scoring import assess
from tests.factories import UnitFactory

from .conftest import TODAY, YEAR


def scores(result):
    return {row.name: (row.score, row.rank) for row in result.rows}


def test_score_is_the_weighted_shares_plus_manual_points(world, records, unit_scheme):
    Rule.objects.create(scheme=unit_scheme, measure=M.LETTERS_SIGNED, weight=Decimal("20"))
    Rule.objects.create(scheme=unit_scheme, measure=M.MEASURES_CLOSED, weight=Decimal("30"))
    records.letter(world.works, due=date(YEAR, 3, 1), signed=date(YEAR, 3, 1))
    records.letter(world.works, due=date(YEAR, 3, 1), slot=1)
    records.measure(world.works, deadline=date(YEAR, 5, 1))
    ManualAdjustment.objects.create(
        scheme=unit_scheme,
        unit=world.works,
        points=Decimal("-1.5"),
        reason="通报",
        created_by=world.office,
    )
    ManualAdjustment.objects.create(
        scheme=unit_scheme,
        unit=world.works,
        points=Decimal("3"),
        reason="表扬",
        created_by=world.office,
    )
    result = assess(unit_scheme, TODAY)
    works = next(r for r in result.rows if r.target_id == world.works.pk)
    # letters 20 × 1/2 = 10, measures 30 × 0/1 = 0, manual +1.5
    assert [c.points for c in works.cells] == [Decimal("10.00"), Decimal("0.00")]
    assert works.manual == Decimal("1.50")
    assert works.score == Decimal("11.50")
    # finance has nothing due: full marks on both
    assert scores(result)["财务处"] == (Decimal("50.00"), 1)
    assert result.full_marks == Decimal("50")


def test_ties_share_a_place_and_the_next_place_is_skipped(world, records, unit_scheme):
    Rule.objects.create(scheme=unit_scheme, measure=M.LETTERS_SIGNED, weight=Decimal("10"))
    records.letter(world.works, due=date(YEAR, 3, 1))  # 0 points
    records.letter(world.finance, due=date(YEAR, 3, 1), signed=date(YEAR, 2, 1))
    records.letter(world.finance, due=date(YEAR, 3, 1), slot=1)  # 5 points
    records.letter(world.works_section, due=date(YEAR, 3, 1), signed=date(YEAR, 2, 1))
    records.letter(world.works_section, due=date(YEAR, 3, 1), slot=1)  # 5 points
    # the root has nothing due: 10 points
    ranked = scores(assess(unit_scheme, TODAY))
    assert ranked["局机关"] == (Decimal("10.00"), 1)
    assert ranked["财务处"] == (Decimal("5.00"), 2)
    assert ranked["工程科"] == (Decimal("5.00"), 2)
    assert ranked["基建处"] == (Decimal("0.00"), 4)


def test_a_negative_manual_point_can_change_the_order(world, records, unit_scheme):
    Rule.objects.create(scheme=unit_scheme, measure=M.LETTERS_SIGNED, weight=Decimal("10"))
    ManualAdjustment.objects.create(
        scheme=unit_scheme,
        unit=world.root,
        points=Decimal("-20"),
        reason="问责",
        created_by=world.office,
    )
    ranked = scores(assess(unit_scheme, TODAY))
    assert ranked["局机关"] == (Decimal("-10.00"), 4)


def test_inactive_units_and_other_organisations_are_not_scored(world, unit_scheme):
    world.finance.is_active = False
    world.finance.save()
    names = {row.name for row in assess(unit_scheme, TODAY).rows}
    assert names == {"局机关", "基建处", "工程科"}


def _all_rules(scheme):
    for index, measure in enumerate(
        [M.MONTHLY_RECORDS, M.LETTERS_SIGNED, M.MEASURES_CLOSED, M.FOLLOWUPS_DONE]
    ):
        Rule.objects.create(scheme=scheme, measure=measure, weight=10 + index)


def test_query_count_does_not_grow_with_the_units(world, records, unit_scheme):
    _all_rules(unit_scheme)
    records.monthly_duty(world.works)
    records.letter(world.works, due=date(YEAR, 3, 1))
    with CaptureQueriesContext(connection) as few:
        small = assess(unit_scheme, TODAY)
    for n in range(12):
        unit = UnitFactory(organisation=world.org, parent=world.root, name=f"新增处{n}")
        records.monthly_duty(unit)
        records.record(unit, date(YEAR, 2, 3))
        records.letter(unit, due=date(YEAR, 3, 1), signed=date(YEAR, 2, 1))
        records.measure(unit, deadline=date(YEAR, 4, 1), closed=date(YEAR, 3, 1))
    with CaptureQueriesContext(connection) as many:
        large = assess(unit_scheme, TODAY)
    assert len(large.rows) == len(small.rows) + 12
    assert len(many.captured_queries) == len(few.captured_queries) <= 2


def test_the_body_scores_the_organisations_below_it(world, records, body):
    Rule.objects.create(scheme=body.scheme, measure=M.LETTERS_SIGNED, weight=Decimal("20"))
    Rule.objects.create(scheme=body.scheme, measure=M.MONTHLY_RECORDS, weight=Decimal("30"))
    records.letter(world.works, due=date(YEAR, 3, 1), signed=date(YEAR, 3, 1))
    records.letter(world.finance, due=date(YEAR, 3, 1))
    records.letter(body.sibling_root, due=date(YEAR, 3, 1), signed=date(YEAR, 2, 1))
    records.monthly_duty(body.sibling_root)
    for month in range(1, 7):
        records.record(body.sibling_root, date(YEAR, month, 2))
    ManualAdjustment.objects.create(
        scheme=body.scheme,
        organisation=world.org,
        points=Decimal("2"),
        reason="表扬",
        created_by=body.office,
    )
    result = assess(body.scheme, TODAY)
    by_org = {row.target_id: row for row in result.rows}
    assert set(by_org) == {world.org.pk, body.sibling.pk}  # not other_org, not the body
    mine, sibling = by_org[world.org.pk], by_org[body.sibling.pk]
    assert [(c.done, c.due) for c in mine.cells] == [(1, 2), (0, 0)]
    assert [(c.done, c.due) for c in sibling.cells] == [(1, 1), (6, 6)]
    assert (mine.score, mine.rank) == (Decimal("42.00"), 2)
    assert (sibling.score, sibling.rank) == (Decimal("50.00"), 1)
