"""A year of records in the shared ``world`` (2021, with 2020 for year-on-year), plus rows of
the other organisation that no figure may count."""

import datetime

from django.utils import timezone

from tests.rectification.factories import FindingFactory, InspectionFactory, MeasureFactory

D = datetime.date


def build_year_data(world):
    from accountability.models import (
        DutyLetter,
        ResponsibilityItem,
        ResponsibilityList,
        WorkRecord,
        WorkRecordKind,
    )
    from rectification.models import Measure

    w = world
    w.org.sector = "水利"
    w.org.save(update_fields=["sector"])
    WorkRecordKind.ensure_presets(w.org)
    WorkRecordKind.ensure_presets(w.other_org)
    w.kinds = {k.code: k for k in WorkRecordKind.objects.filter(organisation=w.org)}
    other_kinds = {k.code: k for k in WorkRecordKind.objects.filter(organisation=w.other_org)}

    def record(code, day, unit, title="学习", people=0, org=None, kinds=None):
        return WorkRecord.objects.create(
            organisation=org or w.org,
            unit=unit,
            kind=(kinds or w.kinds)[code],
            date=day,
            title=title,
            participant_count=people,
        )

    w.record = record
    for month in (1, 2, 3):
        record("theory_study", D(2021, month, 15), w.works, people=10)
    record("theory_study", D(2020, 6, 1), w.works)
    record("party_lecture", D(2021, 4, 1), w.finance, people=40)
    record("party_lecture", D(2021, 7, 1), w.works, people=35)
    record("warning_education", D(2021, 5, 1), w.finance, "观看警示教育片《巡视利剑》", people=30)
    record("warning_education", D(2021, 9, 1), w.works, "组织观看《正风反腐就在身边》", people=25)
    # a site visit is 警示教育 too, but not a film: a list of films must leave it out
    record("warning_education", D(2021, 10, 9), w.works, "赴廉政教育基地开展警示教育", people=20)
    for _ in range(5):
        record("theory_study", D(2021, 3, 3), w.other_unit, org=w.other_org, kinds=other_kinds)

    w.inspection = InspectionFactory(
        organisation=w.org, started_on=D(2021, 3, 1), feedback_on=D(2021, 4, 1)
    )
    f1 = FindingFactory(inspection=w.inspection, aspect="主体责任方面", aspect_order=1, number=1)
    f2 = FindingFactory(inspection=w.inspection, aspect="主体责任方面", aspect_order=1, number=2)
    f3 = FindingFactory(inspection=w.inspection, aspect="作风建设方面", aspect_order=2, number=3)
    people = {"lead_leader": w.leader, "responsible_person": w.head}
    w.closed_1 = MeasureFactory(
        finding=f1, unit=w.works, deadline=D(2021, 6, 30), rules_issued=2, **people
    )
    w.closed_2 = MeasureFactory(
        finding=f2, unit=w.works, deadline=D(2021, 6, 30), rules_issued=1, **people
    )
    w.overdue = MeasureFactory(finding=f2, unit=w.finance, deadline=D(2021, 9, 30), **people)
    w.ongoing = MeasureFactory(finding=f3, unit=w.works, deadline=None, is_ongoing=True, **people)
    Measure.objects.filter(pk__in=[w.closed_1.pk, w.closed_2.pk]).update(
        state="closed", closed_at=timezone.now(), closed_by=w.inspector
    )
    other = InspectionFactory(
        organisation=w.other_org, started_on=D(2021, 3, 1), feedback_on=D(2021, 4, 1)
    )
    MeasureFactory(
        finding=FindingFactory(inspection=other, number=1),
        unit=w.other_unit,
        lead_leader=w.stranger,
        responsible_person=w.stranger,
        deadline=D(2021, 5, 1),
    )

    letter = {"year": 2021, "kind": "duty", "issued_on": D(2021, 1, 10), "due_on": D(2021, 2, 28)}
    DutyLetter.objects.create(
        organisation=w.org,
        unit=w.works,
        title="基建处责任书",
        signed_on=D(2021, 2, 1),
        signatory="张处长",
        **letter,
    )
    DutyLetter.objects.create(organisation=w.org, unit=w.finance, title="财务处责任书", **letter)
    DutyLetter.objects.create(
        organisation=w.other_org,
        unit=w.other_unit,
        title="另一局责任书",
        signed_on=D(2021, 2, 1),
        signatory="钱外局",
        **letter,
    )

    plan = ResponsibilityList.objects.create(organisation=w.org, year=2021)
    item = {"list": plan, "area": "强化思想政治建设", "area_order": 1, "frequency": "monthly"}
    ResponsibilityItem.objects.create(
        title="理论中心组学习",
        order=1,
        kind=w.kinds["theory_study"],
        target_count=3,
        responsible_unit=w.works,
        **item,
    )
    ResponsibilityItem.objects.create(
        title="上党课",
        order=2,
        kind=w.kinds["party_lecture"],
        target_count=4,
        responsible_unit=w.finance,
        **item,
    )
    return w


def fill_placeholders(report, text="本单位的做法已写明。"):
    """Write every passage the preset marks 【请填写：…】, as the office does before sign-off."""
    from reports.figures.markup import PLACEHOLDER_RE

    for section in report.sections.all():
        heading = PLACEHOLDER_RE.sub(text, section.heading)
        body = PLACEHOLDER_RE.sub(text, section.text)
        if (heading, body) != (section.heading, section.text):
            section.heading, section.text = heading, body
            section.save(update_fields=["heading", "text"])
    return report
