"""Document (a dict, see reports.document) -> HTML -> PDF bytes with WeasyPrint."""

import logging
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from ..document import document_appendices, printable_sections
from . import parallel as two_cores
from .fetcher import LocalOnlyFetcher
from .fonts import font_css
from .tuning import (
    ReportHTML,
    no_cyclic_gc,
    rows_can_skip_the_parser,
    stylesheets,
    with_stack_room,
)

LAYOUT_CSS = "css/report-pdf.css"

logger = logging.getLogger(__name__)


def report_html(document):
    return _report_html(document, document_appendices(document), rows=True)


@translation.override("zh-hans")  # an official document is Chinese whatever the UI language
def _report_html(document, appendices, rows, part="all"):
    """The report's HTML; with ``rows`` false, every appendix table's <tbody> left empty.
    ``part``: "body" (the report without its appendices), "appendices" (only them) or "all"."""
    return render_to_string(
        "reports/pdf/report.html",
        {
            "document": document,
            "part": part,
            "sections": printable_sections(document) if part != "appendices" else [],
            "title_lines": document.get("title_lines") or [document["title"]],
            "appendices": [
                {**table, "rows_html": table_rows_html(table) if rows else ""}
                for table in appendices
            ]
            if part != "body"
            else [],
        },
    )


def table_rows_html(table):
    """The <tr> rows of an appendix table, cells escaped as {{ }} escapes them.

    Written here rather than by a template loop: the 9,000 cells of a 1,000-row ledger took the
    template engine ~0.1 s, joined here they take ~10 ms."""
    centred = set(table.get("centred") or ())
    return mark_safe(  # noqa: S308 (every cell escaped)
        "".join(
            "<tr>"
            + "".join(
                f'<td class="num">{escape(cell)}</td>'
                if index in centred
                else f"<td>{escape(cell)}</td>"
                for index, cell in enumerate(row)
            )
            + "</tr>"
            for row in table["rows"]
        )
    )


def _in_two(render, sources, styles, fonts, fork, progress):
    """``render(*sources, styles, fonts, fork=, progress=)``'s result, or None (then the caller
    renders the document whole): also if it failed, since the split leans on WeasyPrint's
    internals and a report must print even when a WeasyPrint upgrade moved them."""
    try:
        done = with_stack_room(render, *sources, styles, fonts, fork=fork, progress=progress)
    except Exception:
        logger.exception("The report could not be laid out in two parts; laid out whole.")
        return None
    if done is not None and progress:
        progress(100)
    return done


@lru_cache(maxsize=1)
def _layout_css_text():
    with open(finders.find(LAYOUT_CSS), encoding="utf-8") as handle:
        return handle.read()


def render_pdf(document, *, fetcher=None, naive=False, progress=None, parallel=None):
    """(PDF bytes, page count) of ``document``.

    ``naive`` renders the same HTML the way an unconfigured set-up would (system default CJK
    fonts, whole fonts embedded, no subsetting, none of reports.pdf.tuning): only the bench uses
    it, as a baseline.
    ``progress`` is called with a percentage after each stage.
    ``parallel``: lay the document out on two cores (reports.pdf.parallel: a forked process);
    None for wherever that is safe (a process with one thread) and REPORT_PDF_PARALLEL allows
    it. The PDF is the same either way.
    """
    fetcher = fetcher or LocalOnlyFetcher()
    appendices = document_appendices(document)
    # The appendix rows go straight into the parsed tree (ReportHTML) unless a cell holds what
    # the HTML parser would change (then they are parsed as HTML, as the naive render does).
    direct = not naive and rows_can_skip_the_parser(appendices)
    # A report whose appendices are short is laid out as two documents, the report and its
    # appendices (they start on a page of their own), side by side (reports.pdf.parallel).
    longest = max((len(table.get("rows") or ()) for table in appendices), default=None)
    in_parts = not naive and longest is not None and longest < two_cores.LONG_TABLE_ROWS
    html = None if in_parts else _report_html(document, appendices, rows=not direct)
    if progress:
        progress(20)
    if naive:
        fonts = FontConfiguration()
        styles = [
            CSS(string=_layout_css_text(), url_fetcher=fetcher),
            CSS(
                string="body, h1, h2, .font-title, .font-heading, .font-subheading "
                "{ font-family: sans-serif; }"
            ),
        ]
        doc = HTML(string=html, url_fetcher=fetcher, base_url="static:///").render(
            stylesheets=styles, font_config=fonts, full_fonts=True
        )
        if progress:
            progress(80)
        pdf = doc.write_pdf(full_fonts=True)
    else:
        fonts, styles = stylesheets([font_css(), _layout_css_text()], fetcher)
        tables = [table for table in appendices if table.get("rows")] if direct else None
        if parallel is None:
            parallel = getattr(settings, "REPORT_PDF_PARALLEL", True) and two_cores.can_fork()
        with no_cyclic_gc():
            if in_parts:
                parts = [
                    ReportHTML(
                        string=_report_html(document, appendices, rows=not direct, part=part),
                        url_fetcher=fetcher,
                        base_url="static:///",
                        appendix_tables=tables if part == "appendices" else None,
                    )
                    for part in ("body", "appendices")
                ]
                done = _in_two(two_cores.render_parts, parts, styles, fonts, parallel, progress)
                if done is not None:
                    return done
                html = _report_html(document, appendices, rows=not direct)
            source = ReportHTML(
                string=html, url_fetcher=fetcher, base_url="static:///", appendix_tables=tables
            )
            # Split in two parts the same way with or without a second process, so that the
            # bytes do not depend on where the PDF is made (a 定稿 prints the same anywhere).
            done = _in_two(two_cores.render, [source], styles, fonts, parallel, progress)
            if done is not None:
                return done
            doc = with_stack_room(source.render, stylesheets=styles, font_config=fonts)
            if progress:
                progress(80)
            pdf = with_stack_room(doc.write_pdf)
    if progress:
        progress(100)
    return pdf, len(doc.pages)
