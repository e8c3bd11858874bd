"""A report as a document: sections, resolved figures and appendices, ready to print or freeze.

``build_document(report)`` reads the records once (a fixed number of queries) and returns a
plain dict that is exactly what gets printed; ``ReportExport.frozen`` stores it, so the same PDF
can be produced again later from the export alone, whatever happened to the records since.
"""

import re
from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _

from .figures import FigureContext, tokens_in
from .figures.markup import Token

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
    """The report cannot be printed: some figures do not resolve."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(problems))

    @property
    def message(self):
        return _("报告中有%(n)d处数据项无法取得数值，请先在编辑页修正后再导出：%(list)s") % {
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
    context = FigureContext(report.organisation, report.year, today=today or date.today())
    return context.resolve(tokens), context


# A passage the office must write itself (the presets mark them so).
MARKED_RE = re.compile(r"【请填写[：:][^】]*】")


def _problems(report, sections, figures, *, final):
    problems = [f"{{{{{key}}}}}：{r.error}" for key, r in figures.items() if not r.ok]
    if final:
        for index, s in enumerate(sections, start=1):
            for match in MARKED_RE.finditer(f"{s['heading']}\n{s['text']}"):
                where = s["heading"] or _("第%(n)d段") % {"n": index}
                problems.append(
                    _("“%(where)s”尚待填写：%(mark)s") % {"where": where, "mark": match.group(0)}
                )
        if not report.dated:
            problems.append(_("成文日期未填写"))
    return problems


def report_problems(report, *, today=None):
    """What stands between the report and its 定稿, as readable Chinese (empty: none)."""
    sections = report_sections(report)
    figures, _context = resolve_report(report, sections, today)
    return _problems(report, sections, figures, final=True)


@translation.override("zh-hans")  # the frozen figures and appendix labels are Chinese
def build_document(report, *, today=None, appendices=True, final=False):
    """The printable document, or ExportBlocked listing every figure that does not resolve
    (and, for the final document, every passage still to write and an empty 成文日期)."""
    from .appendices import duty_letter_rows, ledger_rows

    sections = report_sections(report)
    figures, context = resolve_report(report, sections, today)
    problems = _problems(report, sections, figures, final=final)
    if problems:
        raise ExportBlocked(problems)
    dated = report.dated or today or date.today()
    return {
        "title": report.title,
        "year": report.year,
        "organisation": report.organisation.name,
        "author": report.signature,
        "signature": report.signature,
        "date": chinese_date(dated),
        "date_iso": dated.isoformat(),
        "sections": sections,
        "values": {key: r.text for key, r in figures.items()},
        "no_data": not context.has_data(),
        "ledger": ledger_rows(report.organisation, report.year, context.today)
        if appendices and report.include_ledger
        else None,
        "letters": duty_letter_rows(report.organisation, report.year, context.today)
        if appendices and report.include_letters
        else None,
    }


def printable_sections(document):
    """Sections with numbers and paragraphs, tokens replaced by the frozen values."""
    from .figures.markup import TOKEN_RE, paragraphs

    values = document["values"]

    def fill(text):
        return TOKEN_RE.sub(
            lambda m: values.get(Token(m.group(1), m.group(2) or "").key, m.group(0)), text
        )

    return [
        {**s, "heading": fill(s["heading"]), "paragraphs": [fill(p) for p in paragraphs(s["text"])]}
        for s in numbered(document["sections"])
    ]
