"""Responsibility-list progress counts only the records the reader may see (issue #13).

The list itself stays open to every member (the division of work is issued to all units); its
"done" figures are aggregates of work records, and a unit head must not learn from them how many
records other units filed.
"""

from datetime import date

import pytest
from django.urls import reverse

from accountability.access import scope_for
from accountability.models import WorkRecord
from reports.selectors import dashboard


@pytest.fixture
def filed(world, kinds, items):
    def record(unit, day):
        WorkRecord.objects.create(
            organisation=world.org,
            unit=unit,
            kind=kinds["theory_study"],
            date=date(2026, 3, day),
            title="理论中心组学习",
        )

    record(world.works, 1)
    for day in (2, 3, 4):
        record(world.finance, day)
    items.study.target_count = 3
    items.study.save()
    return items


def test_a_unit_head_sees_progress_from_his_units_records_only(login, world, filed):
    page = login(world.head).get(reverse("accountability:responsibilityitem-list"), {"year": 2026})
    assert page.status_code == 200
    assert "理论中心组学习每年不少于12次" in page.text  # the list stays open
    assert "1 / 3" in page.text
    assert "4 / 3" not in page.text


def test_the_office_sees_progress_from_every_record(login, world, filed):
    url = reverse("accountability:responsibilityitem-list")
    page = login(world.office).get(url, {"year": 2026})
    assert "4 / 3" in page.text


def test_the_dashboard_counts_a_target_reached_only_from_visible_records(world, filed):
    leader = dashboard(scope_for(world.leader), world.org, 2026, today=date(2026, 6, 1))
    office = dashboard(scope_for(world.office), world.org, 2026, today=date(2026, 6, 1))
    assert sum(area["done"] for area in office.areas) == 1
    assert sum(area["done"] for area in leader.areas) == 0
