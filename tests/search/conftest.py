"""Searchable rows in the test world: in 基建处 (the head's unit), in 财务处, in the other org."""

from datetime import date

import pytest

from accountability.models import DutyLetter, RiskPoint, WorkRecord, WorkRecordKind
from tests.rectification.factories import FindingFactory, InspectionFactory, MeasureFactory


@pytest.fixture
def corpus(world):
    kinds = WorkRecordKind.ensure_presets(world.org)
    other_kinds = WorkRecordKind.ensure_presets(world.other_org)

    def record(org, unit, kind, title, description=""):
        return WorkRecord.objects.create(
            organisation=org,
            unit=unit,
            kind=kind,
            date=date(2026, 3, 5),
            title=title,
            description=description,
        )

    class Corpus:
        works = record(
            world.org,
            world.works,
            kinds["heart_talk"],
            "基建处谈心谈话",
            "处长与新任科长<script>alert(1)</script>谈心谈话，提醒廉洁自律。",
        )
        works_text_only = record(
            world.org,
            world.works,
            kinds["theory_study"],
            "基建处理论中心组学习",
            "会后开展谈心活动。",
        )
        finance = record(
            world.org, world.finance, kinds["integrity_talk"], "财务处谈心谈话", "财务处谈心"
        )
        other = record(
            world.other_org, world.other_unit, other_kinds["integrity_talk"], "另一局谈心谈话"
        )
        inspection = InspectionFactory(organisation=world.org)
        finding = FindingFactory(
            inspection=inspection, description="工程招投标监管存在薄弱环节，谈心谈话流于形式"
        )
        measure = MeasureFactory(
            finding=finding,
            organisation=world.org,
            unit=world.works,
            lead_leader=world.leader,
            responsible_person=world.head,
            description="建立招投标监管台账，每季度谈心谈话一次",
        )
        letter = DutyLetter.objects.create(
            organisation=world.org,
            unit=world.works,
            year=2026,
            title="基建处党风廉政建设责任书",
            body="落实一岗双责，定期开展谈心谈话。",
            issued_on=date(2026, 1, 10),
        )
        risk = RiskPoint.objects.create(
            organisation=world.org,
            unit=world.works,
            post="工程招投标",
            description="招投标中可能存在围标串标",
            level=RiskPoint.Level.HIGH,
            measures="严格执行招投标制度，落实谈心谈话",
        )

    return Corpus
