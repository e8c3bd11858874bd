"""The document dict: drafts and the final version, what blocks the final, and what it holds."""

import datetime

import pytest

from reports.document import (
    DATE_PLACEHOLDER,
    ExportBlocked,
    build_document,
    printable_sections,
    report_problems,
)
from reports.services import outline_apply_preset, report_generate_draft


@pytest.fixture
def report(year_data):
    outline = outline_apply_preset(organisation=year_data.org, preset="seven_areas")
    report, _ = report_generate_draft(organisation=year_data.org, year=2021, outline=outline)
    # A report the office has finished: no marked passage left, dated.
    for section in report.sections.all():
        section.text = section.text.replace("【请填写：", "（").replace("】", "）")
        section.heading = section.heading.replace("【请填写：", "（").replace("】", "）")
        section.save()
    report.dated = datetime.date(2021, 12, 31)
    report.save()
    return report


def test_a_finished_report_has_no_problems_and_prints_its_final_version(report):
    assert report_problems(report) == []
    document = build_document(report, final=True)
    assert document["draft"] is False
    assert document["date"] == "2021年12月31日" and document["date_iso"] == "2021-12-31"


def test_final_version_is_refused_without_a_date(report):
    report.dated = None
    report.save()
    with pytest.raises(ExportBlocked) as blocked:
        build_document(report, final=True)
    assert blocked.value.problems == ["未填写成文日期"]


def test_a_draft_without_a_date_says_where_the_date_goes(report):
    report.dated = None
    report.save()
    document = build_document(report, today=datetime.date(2026, 11, 30))
    assert document["draft"] is True
    assert document["date"] == DATE_PLACEHOLDER == "（成文日期）"
    assert document["date_iso"] == ""
    assert "2026" not in document["date"]


def test_final_version_is_refused_while_a_passage_is_still_marked(report):
    section = report.sections.filter(level=2).first()
    section.text += "【请填写：本单位特色做法】"
    section.save()
    problems = report_problems(report)
    assert problems == [f"“{section.heading}”中待填写：本单位特色做法"]
    with pytest.raises(ExportBlocked) as blocked:
        build_document(report, final=True)
    assert blocked.value.problems == problems
    assert "本单位特色做法" in blocked.value.message


def test_a_draft_keeps_marked_passages_visibly_marked(report):
    section = report.sections.filter(level=2).first()
    section.text = "开头【请填写：本单位特色做法】结尾"
    section.save()
    document = build_document(report)
    printed = next(s for s in printable_sections(document) if s["heading"] == section.heading)
    assert printed["paragraphs"] == ["开头【请填写：本单位特色做法】结尾"]
    assert printed["runs"] == [
        [("text", "开头"), ("placeholder", "【请填写：本单位特色做法】"), ("text", "结尾")]
    ]
    assert document["placeholders"]


def test_problems_name_figures_by_their_labels_never_their_codes(report, year_data):
    year_data.kinds["integrity_analysis"].delete()
    section = report.sections.filter(level=2).first()
    section.text = "召开廉情分析会{{count:integrity_analysis}}次，{{count:no_such_kind}}"
    section.save()
    problems = report_problems(report)
    assert problems
    assert not any("{{" in p or "count:" in p for p in problems), problems
    with pytest.raises(ExportBlocked):
        build_document(report)  # a draft cannot print a number it does not have either


def test_document_holds_title_lines_labels_and_appendix_tables(report):
    document = build_document(report, final=True)
    assert "".join(document["title_lines"]) == document["title"]
    assert document["labels"]["count:theory_study"] == "理论中心组学习次数"
    ledger, letters = document["appendices"]
    assert ledger["label"] == "附件1" and letters["label"] == "附件2"
    assert ledger["columns"] == [
        "序号",
        "问题",
        "整改措施",
        "牵头领导",
        "责任处室",
        "责任人",
        "整改时限",
        "进展情况",
        "销号情况",
    ]
    assert all(len(row) == len(ledger["columns"]) for row in ledger["rows"])
    assert all(len(row) == len(letters["columns"]) for row in letters["rows"])
    assert len(ledger["widths"]) == len(ledger["columns"])
    assert ledger["landscape"] is True and letters["landscape"] is False


def test_document_is_json_serialisable(report):
    import json

    json.dumps(build_document(report))


def test_the_ledger_lists_a_finding_that_has_no_measure_yet(report, year_data):
    from tests.rectification.factories import FindingFactory

    FindingFactory(inspection=year_data.inspection, aspect="作风建设方面", aspect_order=2, number=4)
    ledger = build_document(report)["appendices"][0]
    lonely = [row for row in ledger["rows"] if "4. " in row[1]]
    assert len(lonely) == 1 and lonely[0][2] == "尚未制定整改措施"
    findings = {row[1] for row in ledger["rows"]}
    assert len(findings) == 4  # every finding the text counts


def test_the_ledger_carries_the_progress_column_of_the_excel_ledger(report, year_data):
    from rectification.models import Measure

    Measure.objects.filter(pk=year_data.overdue.pk).update(latest_progress="已完成初稿")
    ledger = build_document(report)["appendices"][0]
    column = ledger["columns"].index("进展情况")
    assert "已完成初稿" in [row[column] for row in ledger["rows"]]


def test_the_letter_table_title_names_every_kind_it_lists(report, year_data):
    from accountability.models import DutyLetter

    letters = build_document(report)["appendices"][1]
    assert letters["title"] == "2021年度党风廉政建设责任书签订情况表"
    DutyLetter.objects.create(
        organisation=year_data.org,
        year=2021,
        unit=year_data.finance,
        kind="notice",
        level="group_leader",
        title="财务处函告书",
        issued_on=datetime.date(2021, 1, 10),
    )
    letters = build_document(report)["appendices"][1]
    assert letters["title"] == "2021年度党风廉政建设责任书（函告书）签订情况表"
    assert "函告书" in [row[2] for row in letters["rows"]]


@pytest.mark.parametrize(
    ("body", "lines"),
    [
        ("测试局党组", ["测试局党组关于2021年度", "全面从严治党主体责任落实情况的报告"]),
        (
            "市交通运输局党委",
            ["市交通运输局党委关于2021年度", "全面从严治党主体责任落实情况的报告"],
        ),
    ],
)
def test_the_title_breaks_between_words(body, lines):
    from reports.title import title_lines

    title = f"{body}关于2021年度全面从严治党主体责任落实情况的报告"
    assert title_lines(title, keep=[body]) == lines


def test_a_long_title_keeps_every_listed_word_whole():
    from reports.title import LEXICON, title_lines

    body = "某某省某某市交通运输综合行政执法支队党委"
    lines = title_lines(f"{body}关于2021年度全面从严治党主体责任落实情况的报告", keep=[body])
    assert len(lines) >= 2
    for left, right in zip(lines, lines[1:], strict=False):
        for word in LEXICON:
            joined = left + right
            at = joined.find(word)
            assert at == -1 or not (at < len(left) < at + len(word)), (word, lines)


def test_a_very_long_title_is_filled_line_by_line_at_once():
    import time

    from reports.title import title_lines

    start = time.perf_counter()
    lines = title_lines("关于" + "全面从严治党主体责任落实情况" * 8 + "的报告")
    assert time.perf_counter() - start < 0.5
    assert all(len(line) <= 20 for line in lines)
    assert not any(line.startswith("治党") or line.endswith("全面从严治") for line in lines)


def test_the_date_the_portal_derives_is_beijings_not_the_servers_utc(world):
    import time_machine

    from reports.figures import FigureContext
    from reports.views.base import year_param

    class Request:
        GET = {}

    # 23:30 UTC on New Year's Eve is 07:30 on 1 January in Beijing
    with time_machine.travel(datetime.datetime(2025, 12, 31, 23, 30, tzinfo=datetime.UTC)):
        assert FigureContext(world.org, 2025).today == datetime.date(2026, 1, 1)
        assert year_param(Request()) == 2026
