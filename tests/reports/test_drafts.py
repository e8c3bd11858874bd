"""Outlines from the seed reports' presets, and first drafts generated from them."""

import pytest

from reports.demo import seed
from reports.figures import tokens_in
from reports.models import Report, ReportOutline
from reports.services import outline_apply_preset, report_generate_draft


@pytest.fixture
def outline(world):
    return outline_apply_preset(organisation=world.org, preset="seven_areas")


def test_seven_areas_preset_has_opening_seven_areas_of_three_and_closing(outline):
    levels = list(outline.sections.values_list("level", flat=True))
    assert levels[0] == 0 and levels[-1] == 0
    assert levels.count(1) == 7
    assert levels.count(2) == 21


def test_three_parts_preset_follows_the_2023_report(world):
    outline = outline_apply_preset(organisation=world.org, preset="three_parts")
    headings = list(outline.sections.filter(level=1).values_list("heading", flat=True))
    assert headings == [
        "深刻认识全面从严治党的重大意义",
        "落实全面从严治党的经验做法",
        "落实全面从严治党下一步思路举措",
    ]


def test_applying_a_preset_twice_keeps_the_office_edits(outline, world):
    section = outline.sections.get(order=2)
    section.heading = "改过的标题"
    section.save()
    again = outline_apply_preset(organisation=world.org, preset="seven_areas")
    assert again.pk == outline.pk
    assert again.sections.get(order=2).heading == "改过的标题"


def test_first_draft_copies_the_outline_with_figures_bound(outline, world):
    report, created = report_generate_draft(organisation=world.org, year=2021, outline=outline)
    assert created
    assert report.title == "测试水利局党组关于2021年度全面从严治党主体责任落实情况的报告"
    assert report.sections.count() == outline.sections.count()
    keys = {t.key for s in report.sections.all() for t in tokens_in(s.text)}
    assert {"count:theory_study", "count:party_lecture", "measures", "findings"} <= keys


def test_a_second_draft_never_overwrites_the_edited_text(outline, world):
    report, _ = report_generate_draft(organisation=world.org, year=2021, outline=outline)
    report.sections.filter(order=1).update(text="办公室改写的开头。")
    again, created = report_generate_draft(organisation=world.org, year=2021, outline=outline)
    assert not created and again.pk == report.pk
    assert again.sections.get(order=1).text == "办公室改写的开头。"


def test_demo_seed_is_idempotent(world):
    class Demo:
        organisation = world.org

    seed({"sw": Demo()})
    seed({"sw": Demo()})
    assert ReportOutline.objects.filter(organisation=world.org).count() == 2
    assert Report.objects.filter(organisation=world.org, year=2021).count() == 1
