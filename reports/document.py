"""A report as a document: sections, resolved figures and appendices, ready to print or freeze.

``build_document(report)`` reads the records once (a fixed number of queries) and returns a
plain dict that is exactly what gets printed; ``ReportExport.frozen`` stores it, so the same PDF
(and DOCX) can be produced again later from the export alone, whatever happened to the records.

The dict (``DOCUMENT_VERSION`` 2), every value JSON-serialisable:

- ``version``: 2; ``draft``: True for a draft (征求意见稿), False for the final export;
- ``title``: the title; ``title_lines``: the same broken between words, symmetric (GB/T 9704
  §7.3.3), one string per line;
- ``year``, ``organisation`` (the bureau's name), ``author`` and ``signature`` (落款);
- ``date``: 成文日期 in Chinese ("2021年12月31日"), or "（成文日期）" in a draft without one;
  ``date_iso``: the ISO date or "";
- ``sections``: ``[{"level", "heading", "text"}]`` as typed, tokens and marks unreplaced;
- ``values``: figure key -> printed text; ``labels``: figure key -> readable name;
- ``placeholders``: the marked passages (【请填写：…】) still in the text (a draft only);
- ``no_data``: no record at all for the year;
- ``appendices``: ``[{"key", "label", "title", "columns", "widths", "rows", "landscape",
  "empty"}]``: "附件1"…, the table's title, its column headers (the same as the Excel ledger),
  relative column widths, the rows as lists of strings, the page orientation, and the sentence
  printed when there is no row.

``printable_sections(document)`` numbers the sections and fills the figures in: what the PDF
template and the DOCX writer both print, so the two carry the same text.
"""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .figures import FigureContext, tokens_in
from .figures.markup import placeholders_in, runs
from .title import title_lines

DOCUMENT_VERSION = 2
DATE_PLACEHOLDER = "（成文日期）"

CHINESE_NUMERALS = "一二三四五六七八九十"


def chinese_number(n):
    """1 -> 一, 12 -> 十二, 20 -> 二十 (outlines never reach a hundred sections)."""
    if n <= 10:
        return CHINESE_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CHINESE_NUMERALS[tens - 1]
    return f"{head}十{CHINESE_NUMERALS[ones - 1] if ones else ''}"


def numbered(sections):
    """Add "一、" / "（一）" numbers; sub-items restart under each heading."""
    out, first, second = [], 0, 0
    for section in sections:
        number = ""
        if section["level"] == 1:
            first, second = first + 1, 0
            number = f"{chinese_number(first)}、"
        elif section["level"] == 2:
            second += 1
            number = f"（{chinese_number(second)}）"
        out.append({**section, "number": number})
    return out


class ExportBlocked(Exception):
    """The report cannot be printed (yet): ``problems`` says why, one readable line each."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))

    @property
    def message(self):
        return _("报告还有%(n)d处问题，请先在编辑页修正后再导出：%(list)s") % {
            "n": len(self.problems),
            "list": "；".join(self.problems),
        }


def chinese_date(value):
    return f"{value.year}年{value.month}月{value.day}日"


def report_sections(report):
    return [
        {"level": s.level, "heading": s.heading, "text": s.text}
        for s in report.sections.order_by("order", "pk")
    ]


def resolve_report(report, sections=None, today=None):
    """(figures by key, FigureContext) for the report's narrative."""
    sections = report_sections(report) if sections is None else sections
    tokens = [t for s in sections for t in tokens_in(s["heading"]) + tokens_in(s["text"])]
    context = FigureContext(report.organisation, report.year, today=today or timezone.localdate())
    return context.resolve(tokens), context


def figure_problems(figures):
    """One readable line per figure that does not resolve: its label, never its raw code."""
    return [
        _("数据项“%(label)s”：%(error)s") % {"label": r.label or r.key, "error": r.error}
        for r in figures.values()
        if not r.ok
    ]


def placeholder_problems(sections):
    out = []
    for section in sections:
        where = section["heading"] or _("无标题段落")
        for text in (section["heading"], section["text"]):
            for asked in placeholders_in(text):
                out.append(_("“%(where)s”中待填写：%(what)s") % {"where": where, "what": asked})
    return out


def report_problems(report, *, sections=None, figures=None, today=None):
    """Everything that stands between the report and its final version, as readable Chinese:
    figures that do not resolve, passages still marked 【请填写：…】, a missing 成文日期."""
    sections = report_sections(report) if sections is None else sections
    if figures is None:
        figures, _context = resolve_report(report, sections, today)
    problems = figure_problems(figures) + placeholder_problems(sections)
    if not report.dated:
        problems.append(_("未填写成文日期"))
    return problems


@translation.override("zh-hans")  # the frozen figures and appendix labels are Chinese
def build_document(report, *, today=None, appendices=True, final=False):
    """The printable document (see the module docstring).

    A draft (``final=False``) keeps marked passages as they are and prints "（成文日期）" when
    the date is empty; it is refused only for figures that do not resolve (a number cannot be
    printed). The final version (``final=True``) is refused with ExportBlocked listing every
    problem ``report_problems`` finds.
    """
    from .appendices import appendix_tables

    sections = report_sections(report)
    figures, context = resolve_report(report, sections, today)
    if final:
        problems = report_problems(report, sections=sections, figures=figures)
    else:
        problems = figure_problems(figures)
    if problems:
        raise ExportBlocked(problems)
    dated = report.dated
    organisation = report.organisation
    return {
        "version": DOCUMENT_VERSION,
        "draft": not final,
        "title": report.title,
        "title_lines": title_lines(
            report.title, keep=[organisation.body_name, organisation.short_name, organisation.name]
        ),
        "year": report.year,
        "organisation": organisation.name,
        "author": report.signature,
        "signature": report.signature,
        "date": chinese_date(dated) if dated else DATE_PLACEHOLDER,
        "date_iso": dated.isoformat() if dated else "",
        "sections": sections,
        "values": {key: r.text for key, r in figures.items()},
        "labels": {key: r.label for key, r in figures.items()},
        "placeholders": [] if final else placeholder_problems(sections),
        "no_data": not context.has_data(),
        "appendices": appendix_tables(report, context.today) if appendices else [],
    }


def printable_sections(document):
    """Sections with numbers and paragraphs, tokens replaced by the frozen values.

    Each section gets ``number`` ("一、" / "（一）" / ""), ``heading`` and ``paragraphs`` as plain
    strings, and ``heading_runs`` / ``runs`` (one list per paragraph) of ``(kind, text)`` pairs,
    kind "text", "figure" or "placeholder", for a writer that marks placeholders in a draft.
    """
    values = document["values"]

    def fill(text):
        return "".join(piece for _kind, piece in runs(text, values))

    from .figures.markup import paragraphs

    out = []
    for s in numbered(document["sections"]):
        lines = paragraphs(s["text"])
        out.append(
            {
                **s,
                "heading": fill(s["heading"]),
                "heading_runs": runs(s["heading"], values),
                "paragraphs": [fill(p) for p in lines],
                "runs": [runs(p, values) for p in lines],
            }
        )
    return out


def document_appendices(document):
    """The appendix tables of a document, also of one frozen before version 2."""
    if "appendices" in document:
        return document["appendices"]
    from .appendices import legacy_tables

    return legacy_tables(document)
