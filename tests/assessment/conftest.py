"""A year of records for the assessment tests, in the shared ``world``.

The assessment is computed as of ``TODAY`` (2025-07-20): months January to June are due (June's
cut-off, 5 July, has passed), July is not.
"""

import datetime
from datetime import date

import pytest
from django.utils import timezone

from accountability.models import (
    DutyLetter,
    ResponsibilityItem,
    ResponsibilityList,
    WorkRecord,
    WorkRecordKind,
)
from assessment.models import Scheme
from rectification.models import Measure
from tests.factories import OrganisationFactory, Role, UnitFactory, UserFactory
from tests.rectification.factories import FindingFactory, InspectionFactory, MeasureFactory

YEAR = 2025
TODAY = date(2025, 7, 20)


def moment(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


SLOTS = [(kind, level) for level in DutyLetter.Level for kind in DutyLetter.Kind]


class Records:
    """Makes the rows a test needs, dated and filed as told."""

    def __init__(self, world):
        self.world = world
        self.kinds = {}
        self.lists = {}

    def kind(self, org, code="theory_study"):
        if org.pk not in self.kinds:
            self.kinds[org.pk] = WorkRecordKind.ensure_presets(org)
        return self.kinds[org.pk][code]

    def monthly_duty(self, unit, code="theory_study", year=YEAR):
        org = unit.organisation
        if (org.pk, year) not in self.lists:
            self.lists[org.pk, year] = ResponsibilityList.objects.create(
                organisation=org, year=year
            )
        return ResponsibilityItem.objects.create(
            list=self.lists[org.pk, year],
            area="理论学习",
            title=f"{unit.name}每月学习",
            responsible_unit=unit,
            kind=self.kind(org, code),
            frequency=ResponsibilityItem.Frequency.MONTHLY,
        )

    def record(self, unit, day, filed=None, code="theory_study", title=None):
        record = WorkRecord.objects.create(
            organisation=unit.organisation,
            unit=unit,
            kind=self.kind(unit.organisation, code),
            date=day,
            title=title or f"{unit.name}{day:%m}月学习",
        )
        WorkRecord.all_objects.filter(pk=record.pk).update(created_at=moment(filed or day))
        return record

    def letter(self, unit, *, due, signed=None, withdrawn=False, title=None, year=YEAR, slot=0):
        """``slot`` picks one of the kind × level pairs: one active letter each per unit."""
        kind, level = SLOTS[slot]
        return DutyLetter.objects.create(
            kind=kind,
            level=level,
            organisation=unit.organisation,
            unit=unit,
            year=year,
            title=title or f"{unit.name}责任书{due}",
            issued_on=date(year, 1, 5),
            due_on=due,
            signed_on=signed,
            signatory="签订人" if signed else "",
            withdrawn_at=moment(date(year, 2, 1)) if withdrawn else None,
        )

    def measure(self, unit, *, deadline=None, closed=None, ongoing=False, **fields):
        org = unit.organisation
        people = _people(self.world, org)
        finding = FindingFactory(
            inspection=InspectionFactory(
                organisation=org,
                started_on=date(YEAR - 1, 10, 1),
                feedback_on=date(YEAR - 1, 12, 1),
            )
        )
        measure = MeasureFactory(
            finding=finding,
            unit=unit,
            deadline=deadline,
            is_ongoing=ongoing,
            lead_leader=people["leader"],
            responsible_person=people["head"],
        )
        update = dict(fields)
        if closed:
            update.update(
                state=Measure.State.CLOSED, closed_at=moment(closed), closed_by=people["inspector"]
            )
        if update:
            Measure.objects.filter(pk=measure.pk).update(**update)
            measure.refresh_from_db()
        return measure


def _people(world, org):
    if org == world.org:
        return {"leader": world.leader, "head": world.head, "inspector": world.inspector}
    cache = world.__dict__.setdefault("_people", {})
    if org.pk not in cache:
        root = org.units.filter(parent=None).first() or UnitFactory(organisation=org, kind="bureau")
        cache[org.pk] = {
            "leader": UserFactory(unit=root, roles=[Role.LEADER]),
            "head": UserFactory(unit=root, roles=[Role.UNIT_HEAD]),
            "inspector": UserFactory(unit=root, roles=[Role.INSPECTOR]),
        }
    return cache[org.pk]


@pytest.fixture
def records(world):
    return Records(world)


@pytest.fixture
def unit_scheme(world):
    return Scheme.objects.create(
        owner=world.org,
        year=YEAR,
        target=Scheme.Target.UNITS,
        name="责任制考核",
        created_by=world.office,
    )


class Body:
    pass


@pytest.fixture
def body(world):
    """A supervising body over ``world.org`` and a sibling bureau; its office, leader, inspector
    and administrator; the sibling's office."""
    b = Body()
    b.org = OrganisationFactory(code="body", name="市直机关工委", short_name="市直机关工委")
    b.root = UnitFactory(organisation=b.org, name="工委机关", kind="bureau")
    for org in (world.org,):
        org.supervisor = b.org
        org.save()
    b.sibling = OrganisationFactory(
        code="sibling", name="兄弟局", short_name="兄弟局", supervisor=b.org
    )
    b.sibling_root = UnitFactory(organisation=b.sibling, name="兄弟局机关", kind="bureau")
    b.office = UserFactory(username="body_office", unit=b.root, roles=[Role.OFFICE])
    b.leader = UserFactory(username="body_leader", unit=b.root, roles=[Role.LEADER])
    b.inspector = UserFactory(username="body_inspector", unit=b.root, roles=[Role.INSPECTOR])
    b.admin = UserFactory(username="body_admin", unit=b.root, roles=[Role.ADMIN])
    b.sibling_office = UserFactory(
        username="sibling_office", unit=b.sibling_root, roles=[Role.OFFICE]
    )
    b.scheme = Scheme.objects.create(
        owner=b.org,
        year=YEAR,
        target=Scheme.Target.ORGANISATIONS,
        name="市直机关考核",
        created_by=b.office,
    )
    return b
