"""The PDF as printed: GB/T 9704 page and text block, fonts embedded and subset, page numbers."""

import re
import shutil

import pytest

from reports.pdf import render_pdf
from reports.pdf.fetcher import LocalOnlyFetcher
from reports.pdf.fonts import FANDOL_FANG, font_css
from reports.presets.sw2021 import SECTIONS

from .pdf_helpers import MM, fonts, page_sizes, text, words, write


def document(**overrides):
    doc = {
        "title": "测试局党组关于2021年度全面从严治党主体责任落实情况的报告",
        "year": 2021,
        "organisation": "测试局",
        "author": "中共测试局党组",
        "signature": "中共测试局党组",
        "date": "2021年12月31日",
        "date_iso": "2021-12-31",
        "sections": [{"level": lv, "heading": h, "text": t} for lv, h, t in SECTIONS],
        "values": {},
        "no_data": False,
        "ledger": [
            [
                str(i),
                "巡察组｜方面",
                f"{i}. 问题",
                "措施",
                "李",
                "办公室",
                "张",
                "2021-06-30",
                "已销号",
            ]
            for i in range(1, 30)
        ],
        "letters": [["1", "办公室", "责任书", "党风廉政建设责任书", "2021-02-01", "张", "已签订"]],
    }
    doc["values"] = {"year": "2021", "org": "测试局党组"}
    doc.update(overrides)
    return doc


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory, django_db_blocker):
    pdf, _pages = render_pdf(document())
    return write(tmp_path_factory.mktemp("pdf"), pdf)


def test_every_page_is_a4(pdf_path):
    sizes = page_sizes(pdf_path)
    assert len(sizes) >= 8
    a4 = sorted((595.28, 841.89))
    assert all(sorted((w, h)) == pytest.approx(a4, abs=0.5) for w, h in sizes)
    assert sizes[0] == pytest.approx((595.28, 841.89), abs=0.5)  # the report itself: portrait


def test_the_ledger_appendix_is_printed_landscape(pdf_path):
    sizes = page_sizes(pdf_path)
    assert any(w > h for w, h in sizes)


def test_body_text_sits_in_the_156_by_225_mm_block(pdf_path):
    # the page number sits 7 mm below the block: everything above that line is body text
    body = [w for w in words(pdf_path) if w[0] <= 3 and w[2] < (262 + 4) * MM]
    left = min(w[1] for w in body)
    right = max(w[3] for w in body)
    top = min(w[2] for w in body)
    bottom = max(w[4] for w in body)
    assert left == pytest.approx(28 * MM, abs=1.5)
    assert right <= (28 + 156) * MM + 1
    assert right >= (28 + 156) * MM - 17  # a full line reaches the right edge (within a char)
    assert top == pytest.approx(37 * MM, abs=8)  # the first line's glyphs, within the leading
    assert bottom <= (37 + 225) * MM + 1


def test_body_lines_are_22_to_the_page(pdf_path):
    page2 = sorted({round(w[4]) for w in words(pdf_path) if w[0] == 2 and w[2] < 266 * MM})
    assert len(page2) == 22


def test_page_numbers_alternate_right_and_left(pdf_path):
    numbers = {w[0]: w for w in words(pdf_path) if w[5].isdigit() and w[2] > 262 * MM}
    odd, even = numbers[1], numbers[2]
    assert odd[5] == "1" and even[5] == "2"
    assert odd[1] > 150 * MM  # right-hand page: number near the right edge
    assert even[3] < 60 * MM  # left-hand page: number near the left edge
    first_page = text(pdf_path).split("\f")[0]
    assert re.search(r"—\s*1\s*—", first_page)


def test_every_font_is_embedded_and_subset(pdf_path):
    rows = fonts(pdf_path)
    assert rows
    assert all(emb == "yes" and sub == "yes" for _name, emb, sub in rows), rows


def test_title_body_heading_and_subheading_use_their_fonts(pdf_path):
    names = " ".join(name for name, _e, _s in fonts(pdf_path))
    for expected in ("Noto-Serif-CJK-SC", "Report-Body", "Noto-Sans-CJK-SC", "Report-Subheading"):
        assert expected in names


def test_pdf_carries_title_and_author(pdf_path):
    import subprocess

    info = subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True, text=True).stdout
    assert "测试局党组关于2021年度" in info
    assert "Author:          中共测试局党组" in info


def test_narrative_markup_is_printed_as_text(tmp_path):
    doc = document(
        sections=[
            {"level": 0, "heading": "", "text": '<img src="file:///etc/passwd"> http://127.0.0.1/x'}
        ],
        ledger=None,
        letters=None,
    )
    fetcher = LocalOnlyFetcher()
    pdf, _ = render_pdf(doc, fetcher=fetcher)
    printed = text(write(tmp_path, pdf))
    assert '<img src="file:///etc/passwd">' in printed
    assert fetcher.refused == []  # escaped: WeasyPrint never even asked
    assert "root:" not in printed


def test_office_fonts_come_first_in_every_stack(settings, tmp_path):
    shutil.copy(FANDOL_FANG, tmp_path / "body.otf")
    settings.REPORT_FONT_DIR = tmp_path
    css = font_css()
    assert css.index('"Office Body"') < css.index('"Report Body"')
    pdf, _ = render_pdf(document(ledger=None, letters=None))
    names = [name for name, _e, _s in fonts(write(tmp_path, pdf))]
    assert any(name.endswith("Office-Body") for name in names)
    assert not any(name.endswith("Report-Body") for name in names)


def test_a_year_without_data_says_so(tmp_path):
    pdf, _ = render_pdf(document(no_data=True, ledger=[], letters=[]))
    printed = text(write(tmp_path, pdf)).replace(" ", "").replace("\n", "")
    assert "尚无2021年度" in printed
    assert "本年度无巡视巡察反馈问题" in printed


def test_a_full_line_holds_28_characters(pdf_path):
    lines = [w[5] for w in words(pdf_path) if w[0] == 2 and w[2] < 262 * MM]
    chinese_only = [line for line in lines if not any(c.isascii() for c in line)]
    assert max(len(line) for line in chinese_only) == 28


# -- every page, appendices included (document version 2) ------------------------------------
LEDGER_COLUMNS = ["序号", "问题", "整改措施", "牵头领导", "责任处室", "责任人", "整改时限"]
LEDGER_COLUMNS += ["进展情况", "销号情况"]


def document_v2(ledger_rows=11, letter_rows=17, **overrides):
    """11 ledger rows and 17 letters leave one row alone on a page unless rows are kept
    together (measured with the layout before the fix)."""
    from reports.appendices import LEDGER_WIDTHS, LETTER_WIDTHS

    doc = document(ledger=None, letters=None)
    doc.pop("ledger"), doc.pop("letters")
    doc.update(
        version=2,
        draft=False,
        title_lines=["测试局党组关于2021年度", "全面从严治党主体责任落实情况的报告"],
        sections=[{"level": 0, "heading": "", "text": "正文。"}],
        appendices=[
            {
                "key": "ledger",
                "label": "附件1",
                "title": "2021年度巡视巡察整改台账",
                "columns": LEDGER_COLUMNS,
                "widths": LEDGER_WIDTHS,
                "landscape": True,
                "empty": "无",
                "rows": [
                    [str(i), f"{i}. 反馈问题：主体责任落实不到位", "整改措施：建立健全工作台账"]
                    + [
                        "李副局长",
                        "办公室",
                        "张三",
                        "2021-06-30",
                        "正在调度",
                        "已销号（2021-07-02）",
                    ]
                    for i in range(1, ledger_rows + 1)
                ],
            },
            {
                "key": "letters",
                "label": "附件2",
                "title": "2021年度党风廉政建设责任书（函告书）签订情况表",
                "columns": ["序号", "单位", "类型", "层级", "标题", "签订日期", "签订人", "状态"],
                "widths": LETTER_WIDTHS,
                "landscape": False,
                "empty": "无",
                "rows": [
                    [str(i), "交通运输综合行政执法支队", "责任书", "负责人—重点岗位"]
                    + ["2021年度党风廉政建设责任书", "2021-02-01", "张处长", "逾期未签"]
                    for i in range(1, letter_rows + 1)
                ],
            },
        ],
    )
    doc.update(overrides)
    return doc


@pytest.fixture(scope="module")
def v2_path(tmp_path_factory, django_db_blocker):
    pdf, _pages = render_pdf(document_v2())
    return write(tmp_path_factory.mktemp("pdf2"), pdf)


def _is_landscape(sizes, page):
    w, h = sizes[page - 1]
    return w > h


def test_every_portrait_page_keeps_to_the_156_by_225_mm_block(v2_path):
    sizes = page_sizes(v2_path)
    for page in range(1, len(sizes) + 1):
        if _is_landscape(sizes, page):
            continue
        body = [w for w in words(v2_path) if w[0] == page and w[2] < 262 * MM]
        assert min(w[1] for w in body) >= 28 * MM - 1, page
        assert max(w[3] for w in body) <= (28 + 156) * MM + 1, page
        assert max(w[4] for w in body) <= (37 + 225) * MM + 1, page


def test_every_landscape_page_keeps_to_its_block_and_its_page_number(v2_path):
    sizes = page_sizes(v2_path)
    landscape = [p for p in range(1, len(sizes) + 1) if _is_landscape(sizes, p)]
    assert len(landscape) >= 2
    for page in landscape:
        on_page = [w for w in words(v2_path) if w[0] == page]
        number = [w for w in on_page if w[3] < 35 * MM]
        body = [w for w in on_page if w[3] >= 35 * MM]
        # the number: at the foot of the sheet held upright, i.e. down the left edge, 7 mm
        # outside the block; odd pages at its lower end, even pages at its upper end
        assert [w[5] for w in number if w[5].isdigit()] == [str(page)], page
        assert max(w[3] for w in number) == pytest.approx(28 * MM, abs=4)
        if page % 2:
            assert min(w[2] for w in number) > 120 * MM
        else:
            assert max(w[4] for w in number) < 90 * MM
        assert min(w[1] for w in body) >= 35 * MM - 1
        assert max(w[3] for w in body) <= (297 - 37) * MM + 1, page
        assert max(w[4] for w in body) <= (210 - 26) * MM + 1, page


def _rows_by_page(path):
    sizes = page_sizes(path)
    rows = {}
    for page, x0, _y0, _x1, _y1, word in words(path):
        left = (35 if _is_landscape(sizes, page) else 28) * MM
        if page > 1 and word.isdigit() and left <= x0 < left + 9 * MM:
            rows.setdefault(page, []).append(int(word))
    return rows


def test_no_table_row_stands_alone_at_the_head_or_foot_of_a_page(v2_path):
    rows = _rows_by_page(v2_path)
    assert sum(len(r) for r in rows.values()) == 11 + 17
    assert all(len(r) >= 2 for r in rows.values()), rows


def test_the_pdf_ledger_has_the_excel_ledgers_columns(v2_path):
    header = [w for w in words(v2_path) if w[0] == 2 and w[2] < 75 * MM]
    printed = "".join(w[5] for w in sorted(header, key=lambda w: (round(w[2]), w[1])))
    for column in LEDGER_COLUMNS:
        assert column in printed, column


def test_the_title_breaks_between_words_in_a_symmetric_block(v2_path):
    first = [w for w in words(v2_path) if w[0] == 1 and w[2] < 37 * MM + 60]
    lines = {}
    for w in first:
        lines.setdefault(round(w[4]), []).append(w)
    title = [sorted(ws, key=lambda w: w[1]) for _y, ws in sorted(lines.items())][:2]
    assert ["".join(w[5] for w in line) for line in title] == [
        "测试局党组关于2021年度",
        "全面从严治党主体责任落实情况的报告",
    ]
    centre = (28 + 156 / 2) * MM
    for line in title:  # each line centred: the block is symmetric
        assert (line[0][1] + line[-1][3]) / 2 == pytest.approx(centre, abs=3)


def test_a_draft_is_marked_and_shows_where_the_date_goes(tmp_path):
    doc = document_v2(draft=True, date="（成文日期）", date_iso="", appendices=[])
    printed = text(write(tmp_path, render_pdf(doc)[0])).replace(" ", "")
    assert "征求意见稿" in printed and "（成文日期）" in printed


def test_a_final_version_carries_no_draft_mark(v2_path):
    assert "征求意见稿" not in text(v2_path)


def test_word_field_codes_and_urls_in_the_narrative_print_as_text(tmp_path):
    typed = '{ INCLUDEPICTURE "http://127.0.0.1:9/x.png" } { PAGE } <b>粗</b>【请填写：本单位做法】'
    doc = document_v2(sections=[{"level": 0, "heading": "", "text": typed}], appendices=[])
    fetcher = LocalOnlyFetcher()
    pdf, _ = render_pdf(doc, fetcher=fetcher)
    printed = "".join(text(write(tmp_path, pdf)).split())
    assert '{INCLUDEPICTURE"http://127.0.0.1:9/x.png"}' in printed
    assert "<b>粗</b>" in printed and "{PAGE}" in printed
    assert fetcher.refused == []


def test_the_title_and_level_one_headings_are_bookmarked(pdf_path):
    import pikepdf

    with pikepdf.open(pdf_path) as pdf, pdf.open_outline() as outline:
        title = outline.root[0]
        assert title.title.startswith("测试局党组关于2021年度")
        headings = [item.title for item in title.children]
    assert len(headings) == sum(1 for level, _h, _t in SECTIONS if level == 1)
    assert headings[0] == "一、强化思想政治建设，领导作用进一步发挥。"


def test_the_report_stylesheet_still_finds_the_rules_it_rewrites():
    # A WeasyPrint whose user-agent sheet changed would quietly lose the speed-up (it falls back
    # to the stock sheet): this says so, so that the rewrites can be brought up to date.
    from reports.pdf.tuning import _report_ua_text

    text = _report_ua_text()
    assert text is not None
    assert "li::marker" in text and "::footnote-call" not in text
    assert "bookmark-level" in text


def test_fonts_are_still_subset_in_one_pass_without_vertical_metrics(pdf_path):
    # A WeasyPrint that renamed or reshaped its subsetting would quietly lose the speed-up (the
    # stock routine stays): this says so. The embedded fonts carry no vertical metrics.
    import io

    import pikepdf
    import weasyprint.pdf.fonts
    from fontTools.ttLib import TTFont

    from reports.pdf.tuning import one_pass_subset

    assert weasyprint.pdf.fonts.Font._harfbuzz_subset is one_pass_subset
    embedded = []
    with pikepdf.open(pdf_path) as pdf:
        for font in pdf.pages[0].Resources.Font.values():
            if "/DescendantFonts" not in font:
                continue
            descriptor = font.DescendantFonts[0].FontDescriptor
            for key in ("/FontFile2", "/FontFile3"):
                if key in descriptor:
                    embedded.append(descriptor[key].read_bytes())
    assert embedded
    for data in embedded:
        tables = set(TTFont(io.BytesIO(data)).keys())
        assert "vmtx" not in tables and "vhea" not in tables
        assert "cmap" in tables or "CFF " in tables


def test_a_closure_date_stays_on_one_line_in_the_ledger(v2_path):
    # The 销号情况 column is wide enough for "（2021-07-02）": its closing bracket used to wrap
    # onto a line of its own.
    ledger = [page for page in text(v2_path).split("\f") if "整改台账" in page]
    assert ledger
    assert "（2021-07-02）" in ledger[0]


def test_font_files_are_still_read_only_when_asked_for():
    # Font.__init__ used to copy every font file whole (the 26 MB Noto collection among them)
    # although only the subset is embedded: a WeasyPrint that reshaped it would quietly bring the
    # copy back (the stock __init__ stays): this says so.
    import weasyprint.pdf.fonts

    from reports.pdf import tuning

    assert weasyprint.pdf.fonts.get_hb_object_data is tuning._face_data
    assert isinstance(vars(weasyprint.pdf.fonts.Font)["file_content"], property)


def test_appendix_rows_are_the_rows_the_template_loop_wrote():
    # table_rows_html replaced this loop of templates/reports/pdf/report.html.
    from django.template import engines

    from reports.pdf.render import table_rows_html

    loop = engines["django"].from_string(
        "{% for row in table.rows %}<tr>{% for cell in row %}<td"
        '{% if forloop.counter0 in table.centred %} class="num"{% endif %}>{{ cell }}</td>'
        "{% endfor %}</tr>{% endfor %}"
    )
    rows = [
        ["1", "<b>问题</b> & “措施”", 'O\'Neil "引号"', ""],
        ["2", "a\nb", "2021-06-30", "已销号"],
    ]
    for table in ({"rows": rows, "centred": [0, 2]}, {"rows": rows}, {"rows": []}):
        assert table_rows_html(table) == loop.render({"table": table})


def test_appendix_rows_put_into_the_tree_are_the_rows_the_parser_makes():
    # ReportHTML puts the appendix rows into the parsed tree as elements: the same tree as
    # table_rows_html's HTML parsed, and back to the parser for what it would change (a CR).
    from xml.etree.ElementTree import tostring

    from weasyprint import HTML

    from reports.pdf.render import _report_html, report_html
    from reports.pdf.tuning import ReportHTML, rows_can_skip_the_parser

    rows = [
        ["1", "<b>问题</b> & “措施” &amp;", 'O\'Neil "引号"', ""],
        ["2", "a\nb  c", " 2021-06-30 ", "已销号"],
    ]
    doc = document(
        appendices=[
            {
                "key": "ledger",
                "title": "台账",
                "columns": ["序号", "问题", "措施", "状态"],
                "widths": [10, 40, 30, 20],
                "rows": rows,
                "centred": [0, 2],
                "landscape": True,
            },
            {
                "key": "empty",
                "title": "空表",
                "columns": ["序号"],
                "widths": [100],
                "rows": [],
                "empty": "无",
            },
            {
                "key": "letters",
                "title": "责任书",
                "columns": ["序号", "单位"],
                "widths": [30, 70],
                "rows": [["1", "办公室"]],
            },
        ]
    )
    tables = [table for table in doc["appendices"] if table["rows"]]
    assert rows_can_skip_the_parser(doc["appendices"])
    parsed = HTML(string=report_html(doc)).etree_element
    direct = ReportHTML(
        string=_report_html(doc, doc["appendices"], rows=False), appendix_tables=tables
    ).etree_element
    assert tostring(direct) == tostring(parsed)
    assert len(direct.findall(".//tbody/tr")) == 3

    assert not rows_can_skip_the_parser([{"rows": [["1", "a\r\nb"]]}])
    assert not rows_can_skip_the_parser([{"rows": [["1", "a\x00b"]]}])
    assert not rows_can_skip_the_parser([{"rows": [[1, "a"]]}])
