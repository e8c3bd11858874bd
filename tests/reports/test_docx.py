"""The Word (DOCX) export: the PDF's text and figures, in the GB/T 9704 layout, safe and stable."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from reports.document import build_document
from reports.docx import render_docx
from reports.pdf import render_pdf
from reports.services import outline_apply_preset, report_generate_draft

from .docx_helpers import chars, docx_text, part, pdf_text, squeeze
from .fixtures import fill_placeholders


@pytest.fixture
def report(year_data):
    outline = outline_apply_preset(organisation=year_data.org, preset="seven_areas")
    report, _ = report_generate_draft(organisation=year_data.org, year=2021, outline=outline)
    report.dated = datetime.date(2021, 12, 31)
    report.save()
    return fill_placeholders(report)


@pytest.fixture
def document(report):
    return build_document(report, today=datetime.date(2022, 1, 10))


def test_the_docx_prints_the_pdfs_text_and_every_figure(document, tmp_path):
    pdf, _pages = render_pdf(document)
    (tmp_path / "r.pdf").write_bytes(pdf)
    pdf_body, pdf_appendix = pdf_text(tmp_path / "r.pdf")
    docx_body, docx_appendix = docx_text(render_docx(document))
    assert squeeze(docx_body) == squeeze(pdf_body)
    # Table cells wrap and interleave in the PDF's text: the same characters, no more, no less.
    assert docx_appendix and chars(docx_appendix) == chars(pdf_appendix)
    for value in document["values"].values():
        assert squeeze(value) in squeeze(docx_body)
    assert "理论学习中心组学习3次" in squeeze(docx_body)


def test_fonts_are_set_in_the_east_asian_slot(document, settings):
    settings.REPORT_DOCX_FONTS = {"title": "方正小标宋简体", "body": "仿宋_GB2312"}
    styles = part(render_docx(document), "word/styles.xml")
    assert re.search(r'<w:rFonts[^>]*w:eastAsia="方正小标宋简体"', styles)
    assert re.search(r'<w:rFonts[^>]*w:eastAsia="仿宋_GB2312"', styles)
    assert re.search(r'<w:rFonts[^>]*w:eastAsia="黑体"', styles)
    assert re.search(r'<w:rFonts[^>]*w:eastAsia="楷体"', styles)


def test_page_is_a4_with_the_document_grid_of_22_lines_of_28_characters(document):
    word = Document(io.BytesIO(render_docx(document)))
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    width = section.page_width.mm - section.left_margin.mm - section.right_margin.mm
    height = section.page_height.mm - section.top_margin.mm - section.bottom_margin.mm
    assert (round(width), round(height)) == (156, 225)
    xml = part(render_docx(document), "word/document.xml")
    grid = re.search(r"<w:docGrid [^>]*/>", xml).group(0)
    assert 'w:type="linesAndChars"' in grid and 'w:linePitch="579"' in grid
    char_space = int(re.search(r'w:charSpace="(-?\d+)"', grid).group(1))
    # 16 pt + charSpace/4096 pt a character, 28 characters in 156 mm
    assert abs((16 + char_space / 4096) * 28 - 156 / 25.4 * 72) < 0.5


def test_page_numbers_are_page_fields_odd_right_even_left(document):
    data = render_docx(document)
    assert "<w:evenAndOddHeaders" in part(data, "word/settings.xml")
    word = Document(io.BytesIO(data))
    section = word.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for paragraph, side in ((odd, "right"), (even, "left")):
        xml = paragraph._p.xml
        assert 'w:fldCharType="begin"' in xml and "PAGE" in xml
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert f'<w:jc w:val="{side}"/>' in xml
        assert f'w:{side}="320"' in xml  # one 3号 character in


def test_appendix_tables_repeat_their_header_row_and_the_ledger_is_landscape(document):
    word = Document(io.BytesIO(render_docx(document)))
    ledger, letters = word.tables
    assert "<w:tblHeader/>" in ledger.rows[0]._tr.xml
    assert "<w:tblHeader/>" not in ledger.rows[1]._tr.xml
    assert [c.text for c in letters.rows[0].cells][:2] == ["序号", "单位"]
    appendix = {t["key"]: t for t in document["appendices"]}
    assert [c.text for c in ledger.rows[0].cells] == appendix["ledger"]["columns"]
    assert "进展情况" in appendix["ledger"]["columns"] and len(ledger.rows[0].cells) == 9
    assert len(ledger.rows) == len(appendix["ledger"]["rows"]) + 1
    orientations = [s.page_width > s.page_height for s in word.sections]
    assert orientations == [False, True, False]


def test_narrative_with_field_codes_html_and_urls_prints_as_text(report):
    hostile = (
        '{ PAGE } <w:fldSimple w:instr="INCLUDETEXT c:\\\\x"/> <img src="http://127.0.0.1/x">'
        " https://example.com/a \x07 ]]> &amp;"
    )
    report.sections.filter(order=1).update(text=hostile)
    data = render_docx(build_document(report, today=datetime.date(2022, 1, 10)))
    body, _appendix = docx_text(data)
    assert '{ PAGE } <w:fldSimple w:instr="INCLUDETEXT c:\\\\x"/>' in body
    assert '<img src="http://127.0.0.1/x"> https://example.com/a  ]]> &amp;' in body
    xml = part(data, "word/document.xml")
    assert "<w:fldSimple" not in xml and "<w:hyperlink" not in xml
    assert xml.count("<w:instrText") == 0  # fields only in the footers
    assert "INCLUDETEXT" not in part(data, "word/footer1.xml")


def test_the_same_document_renders_to_the_same_bytes(document):
    assert render_docx(document) == render_docx(document)


def test_the_command_writes_a_docx_when_the_output_ends_in_docx(report, tmp_path):
    out = tmp_path / "report.docx"
    call_command("annual_report", org="test", year=2021, output=str(out))
    body, _appendix = docx_text(out.read_bytes())
    assert "理论学习中心组学习3次" in squeeze(body)


def test_the_report_page_offers_both_formats(login, year_data, report):
    from django.urls import reverse

    page = login(year_data.office).get(reverse("reports:report-detail", args=[report.pk]))
    html = page.content.decode()
    assert 'name="format" value="pdf"' in html and 'name="format" value="docx"' in html


def test_office_exports_the_draft_as_docx_marked_for_comments(login, year_data, report):
    from django.urls import reverse

    from reports.models import ReportExport

    client = login(year_data.office)
    client.post(reverse("reports:export-create", args=[report.pk]), {"format": "docx"})
    export = ReportExport.objects.get()
    assert export.format == "docx" and export.state == "done" and export.version is None
    download = client.get(reverse("reports:export-download", args=[export.pk]))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    # The ASCII fallback and the RFC 5987 Chinese name both end in .docx.
    assert '.docx"' in download["Content-Disposition"]
    assert download["Content-Disposition"].endswith(".docx")
    body, _appendix = docx_text(b"".join(download.streaming_content))
    assert "征求意见稿" in body and "理论学习中心组学习3次" in squeeze(body)


def test_a_large_docx_is_rendered_by_celery(
    login, year_data, report, settings, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from config.celery_app import app
    from reports.models import ReportExport

    settings.REPORT_ASYNC_ROWS = 0
    app.conf.task_always_eager = True
    try:
        client = login(year_data.office)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            client.post(reverse("reports:export-create", args=[report.pk]), {"format": "docx"})
        export = ReportExport.objects.get()
        assert export.state == "pending"
        for callback in callbacks:
            callback()
    finally:
        app.conf.task_always_eager = False
    status = client.get(reverse("reports:export-detail", args=[export.pk])).content.decode()
    assert "hx-trigger" not in status and "下载 Word" in status


def test_a_replacing_first_draft_leaves_a_final_alone(year_data, report):
    from reports.services import (
        SignoffRefused,
        report_submit,
        version_approve,
    )

    version_approve(
        version=report_submit(report=report, by=year_data.office), by=year_data.principal
    )
    with pytest.raises(SignoffRefused, match="开始新版本"):
        report_generate_draft(
            organisation=year_data.org, year=2021, outline=report.outline, replace=True
        )


def test_signature_and_date_stand_right_four_characters_in_without_indent(document):
    word = Document(io.BytesIO(render_docx(document)))
    texts = [p.text for p in word.paragraphs]
    at = texts.index(document["signature"])
    for paragraph in word.paragraphs[at : at + 2]:
        assert paragraph.alignment == 2  # right
        ind = paragraph._p.pPr.ind
        assert ind.get(qn("w:firstLineChars")) == "0" and ind.get(qn("w:firstLine")) == "0"
        assert paragraph.paragraph_format.right_indent == Pt(64)
    assert word.paragraphs[at + 1].text == document["date"] == "2021年12月31日"


def test_properties_are_written_in_schema_order(document):
    """Word refuses a file whose run, paragraph or table properties are out of order."""
    data = render_docx(document)
    for name in ("word/document.xml", "word/styles.xml"):
        xml = part(data, name)
        assert not re.search(r"<w:tblLook [^>]*/><w:tblLayout", xml)
        assert not re.search(r"<w:sz [^>]*/>(<w:szCs [^>]*/>)?<w:w ", xml)
        assert not re.search(r"<w:jc [^>]*/>(<[^>]*/>)*<w:ind ", xml)
        assert not re.search(r"<w:ind [^>]*/>(<[^>]*/>)*<w:snapToGrid ", xml)


def test_the_docx_title_breaks_where_the_pdfs_does(document):
    word = Document(io.BytesIO(render_docx(document)))
    title = next(p for p in word.paragraphs if p.style.name == "公文标题")
    assert title.text.split("\n") == document["title_lines"] and len(document["title_lines"]) > 1


def test_the_ledger_table_has_the_excel_ledgers_nine_columns(document):
    word = Document(io.BytesIO(render_docx(document)))
    head = [c.text for c in word.tables[0].rows[0].cells]
    assert head == [
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


def test_a_draft_highlights_its_marked_passages(report):
    report.sections.filter(order=1).update(text="总体情况：【请填写：本单位一年来的总体情况】")
    data = render_docx(build_document(report, today=datetime.date(2022, 1, 10)))
    xml = part(data, "word/document.xml")
    assert re.search(r'<w:highlight w:val="yellow"/>.*?本单位一年来的总体情况', xml)
    assert "<w:framePr" in xml  # 征求意见稿 in the top margin, not on a line of the text block


def test_the_command_writes_the_final_only_from_an_approved_version(year_data, report, tmp_path):
    from django.core.management.base import CommandError

    from reports.services import report_submit, version_approve

    out = tmp_path / "final.docx"
    with pytest.raises(CommandError, match="尚无定稿"):
        call_command("annual_report", org="test", year=2021, output=str(out), final=True)
    report.dated = None
    report.save()
    with pytest.raises(CommandError, match="未填写成文日期"):
        call_command("annual_report", org="test", year=2021, output=str(out), final=True)
    report.dated = datetime.date(2021, 12, 31)
    report.save()
    version = report_submit(report=report, by=year_data.office)
    version_approve(version=version, by=year_data.principal)
    call_command("annual_report", org="test", year=2021, output=str(out), final=True)
    body, _appendix = docx_text(out.read_bytes())
    assert "征求意见稿" not in body and "理论学习中心组学习3次" in squeeze(body)
