"""Document (a dict, see reports.document) -> DOCX bytes with python-docx.

The DOCX is printed from the very dict the PDF is printed from (``printable_sections``), so its
text and figures are the PDF's. Where Word keeps the 公文 layout:

* the section: A4, margins 37 / 26 / 35 / 28 mm (text block 156 × 225 mm) and the document grid
  ``w:docGrid type="linesAndChars"``: 22 lines (pitch 579 twips) of 28 characters (``charSpace``
  computed from the 3号 body size);
* fonts by role, each written into the East Asian slot as well as the Latin ones, names from
  ``settings.REPORT_DOCX_FONTS`` (an office with licensed 方正小标宋 / 仿宋_GB2312 names them);
* "— N —" page numbers: real PAGE fields in odd (right, one character in) and even (left, one
  character in) footers, with ``w:evenAndOddHeaders`` in settings.xml;
* the title broken between words where the PDF breaks it (``title_lines``);
* appendices as tables (``document["appendices"]``: the same columns, widths and rows as the
  PDF's, the ledger with the Excel ledger's nine columns) whose header row repeats
  (``w:tblHeader``), rows kept whole (``w:cantSplit``), landscape sections where the PDF's are;
* a draft carries 征求意见稿 in a frame in the top margin and its marked passages highlighted.

Narrative is only ever written as literal text runs (``w:t``): a typed ``{ PAGE }``, HTML or URL
prints as those characters. The output is reproducible byte for byte: fixed core properties and
fixed zip timestamps, so a 定稿 renders to the same bytes every time.
"""

import io
import re
import zipfile
from datetime import datetime, time

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

from ..document import document_appendices, printable_sections

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Font names by role. Defaults are the faces Windows and WPS ship; settings.REPORT_DOCX_FONTS
# (a dict by role) puts an office's licensed fonts first.
DEFAULT_FONTS = {
    "title": "宋体",  # 方正小标宋简体 where licensed
    "body": "仿宋",  # 仿宋_GB2312
    "heading": "黑体",
    "subheading": "楷体",  # 楷体_GB2312
    "number": "宋体",
}

BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
NUMBER_PT = 14  # 4号
TABLE_PT = 10.5  # 5号
LINE_PITCH = 579  # twips: 225 mm / 22 lines
TEXT_WIDTH_MM = 156
CHARS_PER_LINE = 28
BODY_WIDTH_PERCENT = 98  # w:w, the glyphs' width (see _setup_styles)

# Children of w:rPr and w:pPr in schema order: Word refuses a file with them out of order.
RPR_ORDER = (  # noqa: SIM905
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
    "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
).split()
PPR_ORDER = (  # noqa: SIM905
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId "
    "cnfStyle rPr sectPr pPrChange"
).split()

TBLPR_ORDER = (  # noqa: SIM905
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription"
).split()


def _el(tag, **attrs):
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _put(parent, child, order):
    """Put ``child`` into ``parent`` in schema order, replacing one of the same tag."""
    local = child.tag.split("}")[1]
    for old in parent.findall(child.tag):
        parent.remove(old)
    later = set(order[order.index(local) + 1 :])
    for index, existing in enumerate(parent):
        if existing.tag.split("}")[1] in later:
            parent.insert(index, child)
            return
    parent.append(child)


# XML 1.0 refuses these characters; python-docx would raise on them. Typed text never needs them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Every part gets the same timestamp: the zip is then the same bytes for the same document.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def fonts():
    configured = getattr(settings, "REPORT_DOCX_FONTS", None) or {}
    return {role: configured.get(role) or name for role, name in DEFAULT_FONTS.items()}


def clean(text):
    return _XML_INVALID.sub("", str(text or ""))


def char_space():
    """``w:charSpace`` so that 28 characters of the 3号 body fill the 156 mm line.

    Word's character pitch on a lines-and-chars grid is the body size plus charSpace/4096 pt.
    """
    pitch_pt = TEXT_WIDTH_MM / 25.4 * 72 / CHARS_PER_LINE
    return round((pitch_pt - BODY_PT) * 4096)


def _set_fonts(rpr_parent, name):
    """All four font slots, the East Asian one above all (Word picks CJK glyphs from it)."""
    rpr = rpr_parent.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        _put(rpr, rfonts, RPR_ORDER)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(slot), name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)


def _style(document, name, *, font, size, base="Normal", outline=None):
    from docx.enum.style import WD_STYLE_TYPE

    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles[base]
    style.font.size = Pt(size)
    _set_fonts(style.element, font)
    if outline is not None:
        _put(style.element.get_or_add_pPr(), _el("w:outlineLvl", val=str(outline)), PPR_ORDER)
    return style


def _char_style(document, name, *, font):
    from docx.enum.style import WD_STYLE_TYPE

    style = document.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    _set_fonts(style.element, font)
    return style


def _setup_styles(document, names):
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.bold = False
    _set_fonts(normal.element, names["body"])
    # A 3号 glyph (16 pt) is a hair wider than the grid's 15.79 pt cell: LibreOffice then gives
    # each character two cells (15 a line; it ignores letter spacing here, not glyph width).
    # At 98 % width the glyph fits one cell; Word keeps its 28 a line by the grid either way.
    _put(normal.element.get_or_add_rPr(), _el("w:w", val=str(BODY_WIDTH_PERCENT)), RPR_ORDER)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.widow_control = False
    # The document defaults too: Word and LibreOffice size the grid from them.
    rpr_default = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    if rpr_default is not None:
        rpr = rpr_default.find(qn("w:rPr"))
        for tag in ("w:sz", "w:szCs"):
            _put(rpr, _el(tag, val=str(BODY_PT * 2)), RPR_ORDER)
        font = names["body"]
        _put(rpr, _el("w:rFonts", ascii=font, hAnsi=font, eastAsia=font, cs=font), RPR_ORDER)
        lang = rpr.find(qn("w:lang"))
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")
    styles = {
        "title": _style(document, "公文标题", font=names["title"], size=TITLE_PT, outline=0),
        "heading": _style(document, "公文一级标题", font=names["heading"], size=BODY_PT, outline=1),
        "body": _style(document, "公文正文", font=names["body"], size=BODY_PT),
        "table": _style(document, "公文表格", font=names["body"], size=TABLE_PT),
        "subheading": _char_style(document, "公文二级标题", font=names["subheading"]),
        "footer": _style(document, "公文页码", font=names["number"], size=NUMBER_PT),
    }
    # The 2号 title, the page numbers and the 5号 tables keep their own size off the 3号 grid
    # (on it each title character would take two cells).
    for key in ("title", "footer", "table"):
        _no_grid(styles[key].element.get_or_add_pPr())
        _put(styles[key].element.get_or_add_rPr(), _el("w:w", val="100"), RPR_ORDER)
    styles["title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styles["title"].paragraph_format.keep_with_next = True
    styles["heading"].paragraph_format.keep_with_next = True
    for key in ("heading", "body"):
        _first_line_chars(styles[key].element.get_or_add_pPr(), 2)
    table_fmt = styles["table"].paragraph_format
    table_fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
    return styles


def _first_line_chars(ppr, chars):
    ind = _el("w:ind", firstLineChars=str(chars * 100), firstLine=str(chars * BODY_PT * 20))
    _put(ppr, ind, PPR_ORDER)


def _no_indent(paragraph):
    """No first-line indent: the style's ``firstLineChars`` would win over a bare ``firstLine``."""
    ppr = paragraph._p.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = _el("w:ind")
        _put(ppr, ind, PPR_ORDER)
    ind.set(qn("w:firstLineChars"), "0")
    ind.set(qn("w:firstLine"), "0")
    return paragraph


def _no_grid(ppr):
    """The paragraph keeps its own line height and character width, off the document grid."""
    _put(ppr, _el("w:snapToGrid", val="0"), PPR_ORDER)


def _page_setup(section, *, landscape=False):
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.right_margin = Mm(28), Mm(37)
        section.bottom_margin, section.left_margin = Mm(26), Mm(35)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    # The number's line sits 7 mm below the text block (GB/T 9704 §7.5).
    section.footer_distance = Mm(35 - 7) - Pt(NUMBER_PT * 1.3) if not landscape else Mm(12)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(char_space()))


def _page_field(paragraph):
    """ "— " PAGE " —" with PAGE as a real field (Word and WPS recompute it)."""
    paragraph.add_run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None)):
        run = paragraph.add_run()
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
    paragraph.add_run("1")
    end = paragraph.add_run()
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "end")
    end._r.append(fld)
    paragraph.add_run(" —")


def _footers(document, section, style):
    document.settings.odd_and_even_pages_header_footer = True
    one_char = Pt(BODY_PT)
    odd = section.footer.paragraphs[0]
    odd.style = style
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = one_char
    _page_field(odd)
    even = section.even_page_footer.paragraphs[0]
    even.style = style
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = one_char
    _page_field(even)


def _paragraph(document, style, text="", *, run_style=None, lead=""):
    paragraph = document.add_paragraph(style=style)
    if lead:
        paragraph.add_run(clean(lead), style=run_style)
    if text:
        paragraph.add_run(clean(text))
    return paragraph


def _add_runs(paragraph, runs, *, run_style=None):
    """Literal text runs; a passage still marked 【请填写：…】 (a draft only) is highlighted."""
    for kind, piece in runs:
        text = clean(piece)
        if not text:
            continue
        run = paragraph.add_run(text, style=run_style)
        if kind == "placeholder":
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return paragraph


def _draft_mark(document, names):
    """征求意见稿 in the top margin at the right, as the PDF prints it: a frame, so that it takes
    no line of the text block."""
    paragraph = document.add_paragraph()
    ppr = paragraph._p.get_or_add_pPr()
    frame = _el(
        "w:framePr",
        w=str(int(Mm(40).twips)),
        hSpace="0",
        wrap="around",
        vAnchor="page",
        hAnchor="margin",
        xAlign="right",
        y=str(int(Mm(21).twips)),
    )
    _put(ppr, frame, PPR_ORDER)
    _no_grid(ppr)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _no_indent(paragraph)
    run = paragraph.add_run(_("征求意见稿"))
    run.font.size = Pt(NUMBER_PT)
    _set_fonts(run._r, names["heading"])
    return paragraph


def _cell_xml(width, text, style_id, center):
    tc = OxmlElement("w:tc")
    tcpr = OxmlElement("w:tcPr")
    tcw = OxmlElement("w:tcW")
    tcw.set(qn("w:w"), str(width))
    tcw.set(qn("w:type"), "dxa")
    tcpr.append(tcw)
    tc.append(tcpr)
    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    pstyle = OxmlElement("w:pStyle")
    pstyle.set(qn("w:val"), style_id)
    ppr.append(pstyle)
    if center:
        jc = OxmlElement("w:jc")
        jc.set(qn("w:val"), "center")
        ppr.append(jc)
    p.append(ppr)
    text = clean(text)
    if text:
        r = OxmlElement("w:r")
        # a line break in the text (an assessment column's full marks under its name) is a
        # w:br, as the PDF's <br>
        for index, line in enumerate(text.split("\n")):
            if index:
                r.append(OxmlElement("w:br"))
            t = OxmlElement("w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = line
            r.append(t)
        p.append(r)
    tc.append(p)
    return tc


def _table(document, head, widths_pct, rows, *, text_width_twips, style_id, centered):
    """A bordered table built straight in XML (a 1,000-row ledger in well under a second)."""
    widths = [round(text_width_twips * pct / 100) for pct in widths_pct]
    table = document.add_table(rows=0, cols=len(head))
    table.style = document.styles["Table Grid"]
    tbl = table._tbl
    tblpr = tbl.tblPr
    _put(tblpr, _el("w:tblW", w=str(sum(widths)), type="dxa"), TBLPR_ORDER)
    _put(tblpr, _el("w:tblLayout", type="fixed"), TBLPR_ORDER)
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(width))

    def row_xml(cells, header=False):
        tr = OxmlElement("w:tr")
        trpr = OxmlElement("w:trPr")
        trpr.append(OxmlElement("w:cantSplit"))
        if header:
            trpr.append(OxmlElement("w:tblHeader"))  # repeats on every page
        tr.append(trpr)
        for index, (width, text) in enumerate(zip(widths, cells, strict=True)):
            tr.append(_cell_xml(width, text, style_id, header or index in centered))
        return tr

    tbl.append(row_xml(head, header=True))
    for cells in rows:
        tbl.append(row_xml(cells))
    return table


# Columns printed centred: numbers, dates and short states.
CENTRED = {"序号", "类型", "层级", "签订日期", "状态", "整改时限", "销号情况"}


def _appendix(document, styles, table):
    landscape = bool(table.get("landscape"))
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page_setup(section, landscape=landscape)
    _no_indent(_paragraph(document, styles["heading"], table["label"]))
    title_p = _paragraph(document, styles["title"], table["title"])
    title_p.paragraph_format.space_after = Pt(14)
    rows = table.get("rows") or []
    if not rows:
        _paragraph(document, styles["body"], table.get("empty", ""))
        return
    columns = list(table["columns"])
    widths = list(table.get("widths") or [1] * len(columns))
    total = sum(widths) or 1
    width_mm = 297 - 37 - 35 if landscape else TEXT_WIDTH_MM
    _table(
        document,
        columns,
        [w * 100 / total for w in widths],
        [[str(cell) for cell in row] for row in rows],
        text_width_twips=int(Mm(width_mm).twips),
        style_id=styles["table"].style_id,
        centered={i for i, name in enumerate(columns) if name in CENTRED}
        | set(table.get("centred", [])),
    )


def _core_properties(document, doc):
    props = document.core_properties
    props.title = clean(doc["title"])[:255]
    props.author = clean(doc.get("author", ""))[:255]
    props.last_modified_by = props.author
    props.subject = props.comments = props.keywords = props.category = ""
    props.revision = 1
    try:
        stamp = datetime.combine(datetime.fromisoformat(doc["date_iso"]).date(), time(9, 0))
    except (KeyError, TypeError, ValueError):
        stamp = datetime(2000, 1, 1, 9, 0)
    props.created = props.modified = stamp
    props.last_printed = stamp


def _reproducible_zip(raw):
    """The same parts, in the same order, every one stamped ZIP_DATE."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


@translation.override("zh-hans")  # an official document is Chinese whatever the UI language
def render_docx(document):
    """DOCX bytes of ``document`` (the dict ``build_document`` returns, as the PDF gets it)."""
    names = fonts()
    word = Document()
    # The stock template's one empty paragraph would be a blank first line.
    body = word.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)
    styles = _setup_styles(word, names)
    section = word.sections[0]
    _page_setup(section)
    _footers(word, section, styles["footer"])

    if document.get("draft"):
        _draft_mark(word, names)
    # The title broken between words where the PDF breaks it (reports/title.py).
    title = word.add_paragraph(style=styles["title"])
    for index, line in enumerate(document.get("title_lines") or [document["title"]]):
        if index:
            title.add_run().add_break()
        title.add_run(clean(line))
    _paragraph(word, styles["body"])  # GB/T 9704: one empty line under the title
    if document.get("no_data"):
        _paragraph(
            word,
            styles["body"],
            _(
                "系统中尚无%(year)s年度的工作记实、整改和责任书记录，以下各项数字均为零，"
                "请核实后再报送。"
            )
            % {"year": document["year"]},
        )
    for section_ in printable_sections(document):
        number, heading_runs = section_["number"], section_["heading_runs"]
        if section_["level"] == 1:
            p = word.add_paragraph(style=styles["heading"])
            _add_runs(p, [("text", number), *heading_runs])
            for runs in section_["runs"]:
                _add_runs(word.add_paragraph(style=styles["body"]), runs)
        elif section_["level"] == 2:
            paragraphs = section_["runs"] or [[]]
            for index, runs in enumerate(paragraphs):
                p = word.add_paragraph(style=styles["body"])
                if index == 0:
                    _add_runs(p, [("text", number), *heading_runs], run_style=styles["subheading"])
                _add_runs(p, runs)
        else:
            for runs in section_["runs"]:
                _add_runs(word.add_paragraph(style=styles["body"]), runs)

    # 落款 and 成文日期: two empty lines above, right-aligned four characters in (as the PDF).
    for index, text in enumerate((document["signature"], document["date"])):
        p = _paragraph(word, styles["body"], text)
        fmt = p.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _no_indent(p)
        fmt.right_indent = Pt(BODY_PT * 4)
        if index == 0:
            fmt.space_before = Twips(LINE_PITCH * 2)

    for table in document_appendices(document):
        _appendix(word, styles, table)

    _core_properties(word, document)
    raw = io.BytesIO()
    word.save(raw)
    return _reproducible_zip(raw.getvalue())
