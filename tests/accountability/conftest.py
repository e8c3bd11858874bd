"""The year's records in the test world: some in scope, some in 财务处 and in the other org."""

from datetime import date

import pytest

from accountability.models import (
    DutyLetter,
    ResponsibilityItem,
    ResponsibilityList,
    RiskPoint,
    WorkRecord,
    WorkRecordKind,
)

# The smallest valid PDF magic accepts as application/pdf.
from tests.samples import ONE_PAGE_PDF

PDF = ONE_PAGE_PDF


@pytest.fixture
def kinds(world):
    return WorkRecordKind.ensure_presets(world.org)


@pytest.fixture
def other_kinds(world):
    return WorkRecordKind.ensure_presets(world.other_org)


@pytest.fixture
def records(world, kinds, other_kinds):
    """One record in 基建处 (the head's unit), one in 财务处, one in the other organisation."""

    def make(org, unit, kind, title):
        return WorkRecord.objects.create(
            organisation=org, unit=unit, kind=kind, date=date(2026, 3, 5), title=title
        )

    class Records:
        works = make(world.org, world.works, kinds["theory_study"], "基建处理论学习")
        finance = make(world.org, world.finance, kinds["integrity_talk"], "财务处廉政谈话")
        other = make(world.other_org, world.other_unit, other_kinds["theory_study"], "另一局学习")

    return Records


@pytest.fixture
def letters(world):
    def make(org, unit):
        return DutyLetter.objects.create(
            organisation=org,
            unit=unit,
            year=2026,
            title=f"{unit.name}责任书",
            issued_on=date(2026, 1, 10),
            due_on=date(2026, 2, 10),
        )

    class Letters:
        works = make(world.org, world.works)
        finance = make(world.org, world.finance)
        other = make(world.other_org, world.other_unit)

    return Letters


@pytest.fixture
def items(world, kinds):
    responsibility_list = ResponsibilityList.objects.create(organisation=world.org, year=2026)
    other_list = ResponsibilityList.objects.create(organisation=world.other_org, year=2026)

    class Items:
        study = ResponsibilityItem.objects.create(
            list=responsibility_list,
            area="强化思想政治建设",
            title="理论中心组学习每年不少于12次",
            kind=kinds["theory_study"],
            target_count=12,
            frequency=ResponsibilityItem.Frequency.MONTHLY,
            responsible_unit=world.works,
        )
        other = ResponsibilityItem.objects.create(list=other_list, area="其他", title="另一局事项")

    return Items


@pytest.fixture
def risks(world):
    def make(org, unit, post, level):
        return RiskPoint.objects.create(
            organisation=org, unit=unit, post=post, description="风险", level=level, measures="措施"
        )

    class Risks:
        works = make(world.org, world.works, "工程招投标", RiskPoint.Level.HIGH)
        finance = make(world.org, world.finance, "资金支付", RiskPoint.Level.MEDIUM)
        other = make(world.other_org, world.other_unit, "另一局岗位", RiskPoint.Level.LOW)

    return Risks
