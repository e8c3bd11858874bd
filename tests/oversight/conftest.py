"""A supervising body (市直机关工委) above the shared world's two organisations.

``city`` is the world with the year 2021 of tests/reports/fixtures.py (records, letters,
measures in both organisations), the body above both, and the body's people: office, principal
leader, inspector (who supervise) and its system administrator (who does not). ``world.org``
and ``world.other_org`` are siblings below the body: ``world.stranger`` is the sibling's office.
"""

import datetime

import pytest
from django.utils import timezone

from accountability.models import Role
from reports.models import Report, ReportVersion
from tests.factories import OrganisationFactory, UnitFactory, UserFactory
from tests.rectification.factories import FindingFactory, MeasureFactory
from tests.reports.fixtures import build_year_data

YEAR = 2021


def make_body(code="szjg", name="市直机关工委"):
    body = OrganisationFactory(code=code, name=name, short_name=name, body_type="working_committee")
    body.root = UnitFactory(organisation=body, name=f"{name}办公室", kind="bureau")
    return body


def place_below(org, supervisor):
    org.supervisor = supervisor
    org.save()
    return org


@pytest.fixture
def city(world):
    w = build_year_data(world)
    w.body = make_body()
    for org in (w.org, w.other_org):
        place_below(org, w.body)
    root = w.body.root
    w.body_office = UserFactory(
        username="gw_office", full_name="许工委", unit=root, roles=[Role.OFFICE]
    )
    w.body_leader = UserFactory(
        username="gw_leader", full_name="韩书记", unit=root, roles=[Role.LEADER]
    )
    w.body_inspector = UserFactory(
        username="gw_inspector", full_name="周纪工委", unit=root, roles=[Role.INSPECTOR]
    )
    w.body_admin = UserFactory(
        username="gw_admin", full_name="冯管理", unit=root, roles=[Role.ADMIN]
    )
    w.body.principal_leader = w.body_leader
    w.body.save()

    # Measures of 2021's inspection still open today: one yellow, one green (the thresholds'
    # defaults), so that every colour of the ladder has a count.
    today = timezone.localdate()
    finding = FindingFactory(inspection=w.inspection, aspect="作风建设方面", number=9)
    people = {"lead_leader": w.leader, "responsible_person": w.head}
    w.yellow = MeasureFactory(
        finding=finding, unit=w.works, deadline=today + datetime.timedelta(days=2), **people
    )
    w.green = MeasureFactory(
        finding=finding, unit=w.finance, deadline=today + datetime.timedelta(days=12), **people
    )
    # The bureau's 2021 report: version 1 was returned, version 2 waits for sign-off (the
    # latest version is the report's state); the sibling has not started one.
    w.report = Report.objects.create(organisation=w.org, year=YEAR, title="2021年度报告")
    frozen = {"content_hash": "0" * 64, "comments": "请补充整改数据"}
    ReportVersion.objects.create(report=w.report, number=1, state="returned", **frozen)
    ReportVersion.objects.create(report=w.report, number=2, state="submitted", **frozen)
    return w
