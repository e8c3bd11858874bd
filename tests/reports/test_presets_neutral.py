"""Presets for any bureau: an organisation that is not in the demo data, of another sector,
gets from each preset a draft that names no other organisation and no other sector."""

import datetime

import pytest

from accountability.models import DutyLetter, Organisation, WorkRecord, WorkRecordKind
from reports.document import ExportBlocked, build_document, printable_sections
from reports.figures.markup import PLACEHOLDER_RE
from reports.presets import PRESETS
from reports.services import outline_apply_preset, report_generate_draft
from tests.factories import OrganisationFactory, UnitFactory
from tests.rectification.factories import FindingFactory, InspectionFactory, MeasureFactory

D = datetime.date
# Words of the two seed organisations (and of the test world's water bureau) that a draft of
# any other organisation must not contain.
SEED_WORDS = (
    "水利",
    "雷池",
    "长江",
    "河道",
    "碧水",
    "一江",
    "局党总支",
    "局党组",
    "测试水利局",
    "另一局",
    "工地",
    "招投标",
    "驻局纪检组",
)


@pytest.fixture
def transport(world):
    """市交通运输局党委, a year of records made through factories."""
    org = OrganisationFactory(
        code="jtys",
        name="市交通运输局",
        short_name="市交通运输局",
        body_type=Organisation.BodyType.PARTY_COMMITTEE,
        sector="交通运输",
    )
    office = UnitFactory(organisation=org, name="办公室")
    roads = UnitFactory(organisation=org, name="公路管理处")
    kinds = WorkRecordKind.ensure_presets(org)
    for month in (2, 5, 8):
        WorkRecord.objects.create(
            organisation=org,
            unit=office,
            kind=kinds["theory_study"],
            date=D(2025, month, 10),
            title="理论学习中心组学习",
            participant_count=12,
        )
    WorkRecord.objects.create(
        organisation=org,
        unit=roads,
        kind=kinds["warning_education"],
        date=D(2025, 6, 1),
        title="观看警示教育片《零容忍》",
        participant_count=40,
    )
    inspection = InspectionFactory(
        organisation=org, started_on=D(2025, 3, 1), feedback_on=D(2025, 4, 1)
    )
    finding = FindingFactory(inspection=inspection, organisation=org)
    MeasureFactory(
        finding=finding,
        organisation=org,
        unit=roads,
        lead_leader=world.leader,
        responsible_person=world.head,
        deadline=D(2025, 9, 30),
    )
    DutyLetter.objects.create(
        organisation=org,
        year=2025,
        unit=roads,
        kind="duty",
        title="公路管理处党风廉政建设责任书",
        issued_on=D(2025, 1, 10),
        signed_on=D(2025, 1, 20),
        signatory="王处长",
    )
    return org


def draft_text(document):
    lines = [document["title"], document["signature"]]
    for section in printable_sections(document):
        lines.append(section["heading"])
        lines.extend(section["paragraphs"])
    for table in document["appendices"]:
        lines.append(table["title"])
        lines.extend(cell for row in table["rows"] for cell in row)
    return "\n".join(lines)


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_a_draft_of_another_sector_names_only_its_own_organisation(transport, preset):
    outline = outline_apply_preset(organisation=transport, preset=preset)
    report, _ = report_generate_draft(organisation=transport, year=2025, outline=outline)
    text = draft_text(build_document(report, today=D(2025, 12, 31)))
    found = [word for word in SEED_WORDS if word in text]
    assert found == [], found
    assert "市交通运输局党委" in text
    assert "交通运输事业" in text


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_preset_text_carries_no_seed_words(preset):
    _label, sections = PRESETS[preset]
    text = "\n".join(heading + body for _level, heading, body in sections)
    assert [word for word in SEED_WORDS if word in text] == []


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_each_preset_marks_the_passages_the_office_must_write(transport, preset):
    outline = outline_apply_preset(organisation=transport, preset=preset)
    report, _ = report_generate_draft(organisation=transport, year=2025, outline=outline)
    marked = [s for s in report.sections.all() if PLACEHOLDER_RE.search(s.heading + s.text)]
    assert marked
    report.dated = D(2025, 12, 28)
    report.save()
    with pytest.raises(ExportBlocked) as blocked:
        build_document(report, final=True)
    assert all("待填写" in problem for problem in blocked.value.problems)


def test_the_seven_areas_preset_keeps_seven_areas_of_three_items():
    _label, sections = PRESETS["seven_areas"]
    levels = [level for level, _h, _t in sections]
    assert levels.count(1) == 7 and levels.count(2) == 21


def test_an_organisation_without_a_sector_is_told_to_fill_it_in(transport):
    transport.sector = ""
    transport.save()
    outline = outline_apply_preset(organisation=transport, preset="three_parts")
    report, _ = report_generate_draft(organisation=transport, year=2025, outline=outline)
    with pytest.raises(ExportBlocked) as blocked:
        build_document(report)
    assert any("所属行业" in problem for problem in blocked.value.problems)
