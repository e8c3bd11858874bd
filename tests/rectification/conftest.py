import pytest

from .factories import FindingFactory, InspectionFactory, MeasureFactory


@pytest.fixture
def rect(world):
    """An inspection of ``world.org`` with a measure in 基建处 (head: 张处长) and one in 财务处,
    plus an inspection of the other organisation."""
    w = world
    w.inspection = InspectionFactory(organisation=w.org)
    w.finding = FindingFactory(inspection=w.inspection, number=1)
    w.measure = MeasureFactory(
        finding=w.finding, lead_leader=w.leader, unit=w.works, responsible_person=w.head
    )
    w.finance_finding = FindingFactory(inspection=w.inspection, number=2)
    w.finance_measure = MeasureFactory(
        finding=w.finance_finding,
        lead_leader=w.principal,
        unit=w.finance,
        responsible_person=w.outsider,
    )
    w.other_inspection = InspectionFactory(organisation=w.other_org, title="另一局巡察")
    w.other_finding = FindingFactory(inspection=w.other_inspection, number=1)
    w.other_measure = MeasureFactory(
        finding=w.other_finding,
        lead_leader=w.stranger,
        unit=w.other_unit,
        responsible_person=w.stranger,
    )
    return w
