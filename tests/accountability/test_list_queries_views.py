"""Each list page runs the same number of queries whatever the amount of data."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.models import DutyLetter, RiskPoint, WorkRecord
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "accountability:workrecord-list",
    "accountability:dutyletter-list",
    "accountability:responsibilityitem-list",
    "accountability:riskpoint-list",
    "accountability:workrecord-month",
]


def grow(world, kinds, items, n, prefix):
    units = [
        UnitFactory(organisation=world.org, parent=world.works, name=f"{prefix}{i}")
        for i in range(n)
    ]
    for i, unit in enumerate(units):
        DutyLetter.objects.create(
            organisation=world.org,
            unit=unit,
            year=2026,
            title="责任书",
            issued_on=date(2026, 1, 1),
            due_on=date(2026, 1, 31),
        )
        RiskPoint.objects.create(
            organisation=world.org,
            unit=unit,
            post=f"岗位{i}",
            description="d",
            level="low",
            measures="m",
        )
        for kind in list(kinds.values())[:3]:
            WorkRecord.objects.create(
                organisation=world.org,
                unit=world.works if i % 2 else unit,
                kind=kind,
                date=date(2026, 3, 1 + i % 28),
                title=f"记实{i}",
                leader=world.leader,
            )


def count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", PAGES)
def test_query_count_does_not_grow_with_data(login, world, kinds, items, records, name):
    client = login(world.office)
    url = f"{reverse(name)}?year=2026&unit={world.works.pk}&month=2026-03"
    if name != "accountability:workrecord-month":
        url = f"{reverse(name)}?year=2026"
    grow(world, kinds, items, 2, "甲")
    small = count(client, url)
    grow(world, kinds, items, 25, "乙")
    assert count(client, url) == small
