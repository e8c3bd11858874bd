"""The report laid out on two cores (reports.pdf.parallel) prints the pages one core prints."""

import logging
import os
import random
import subprocess
import threading

import pikepdf
import pytest

from reports.pdf import parallel, render_pdf

from .pdf_helpers import page_sizes, write
from .test_pdf_layout import document

SPLIT = "Report laid out on"


def pages(tmp_path, pdf, name):
    """Every page rasterised (40 dpi greyscale), as bytes, in order."""
    path = write(tmp_path, pdf, f"{name}.pdf")
    prefix = tmp_path / name
    subprocess.run(
        ["pdftoppm", "-r", "40", "-gray", str(path), str(prefix)], check=True, capture_output=True
    )
    return [png.read_bytes() for png in sorted(tmp_path.glob(f"{name}-*.pgm"))]


def outline(pdf):
    """[(depth, title, page index, x, y)] of the PDF's bookmarks."""
    import io

    rows = []
    with pikepdf.open(io.BytesIO(pdf)) as opened, opened.open_outline() as tree:
        index = {page.objgen: number for number, page in enumerate(opened.pages)}

        def walk(items, depth):
            for item in items:
                dest = item.destination
                point = (round(float(dest[2]), 2), round(float(dest[3]), 2))
                rows.append((depth, item.title, index[dest[0].objgen], *point))
                walk(item.children, depth + 1)

        walk(tree.root, 0)
    return rows


def uneven_ledger(rows, seed=6):
    """Ledger rows of one to six lines: page breaks that a guess from rows per page misses."""
    lengths = random.Random(seed)
    return [
        [
            str(i),
            "巡察组｜方面",
            f"{i}. " + "问题描述不够具体，" * lengths.randint(1, 6),
            "完善制度，" * lengths.randint(1, 4),
            "李",
            "办公室",
            "张",
            "2021-06-30",
            "已销号",
        ]
        for i in range(1, rows + 1)
    ]


@pytest.fixture
def split_log(caplog):
    caplog.set_level(logging.INFO, logger="reports.pdf.parallel")
    return caplog


def splits(caplog, where="two cores"):
    start = f"{SPLIT} {where}"
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith(start)]


@pytest.fixture
def plain(monkeypatch):
    """The PDF as WeasyPrint makes it alone: one layout, one part."""

    def render(doc):
        with monkeypatch.context() as patched:
            patched.setattr(parallel, "render", lambda *args, **kwargs: None)
            patched.setattr(parallel, "render_parts", lambda *args, **kwargs: None)
            return render_pdf(doc)

    return render


def test_the_appendices_laid_out_beside_the_body_print_the_same_pages(tmp_path, split_log, plain):
    doc = document()
    one, one_count = plain(doc)
    two, two_count = render_pdf(doc, parallel=True)
    assert splits(split_log) == [
        f"{SPLIT} two cores: pages 1-{one_count - 3} here, the appendices in a second process."
    ]
    assert two_count == one_count
    assert pages(tmp_path, two, "two") == pages(tmp_path, one, "one")
    assert outline(two) == outline(one)
    assert page_sizes(write(tmp_path, two, "sizes.pdf")) == page_sizes(write(tmp_path, one))
    with pikepdf.open(write(tmp_path, two, "meta.pdf")) as pdf:
        assert str(pdf.docinfo["/Title"]).startswith("测试局党组关于2021年度")
        assert str(pdf.Root.Lang) == "zh-CN"


def test_a_long_ledger_is_cut_inside_and_prints_the_same_pages(tmp_path, split_log, plain):
    doc = document(ledger=uneven_ledger(parallel.LONG_TABLE_ROWS + 20))
    one, one_count = plain(doc)
    two, two_count = render_pdf(doc, parallel=True)
    (message,) = splits(split_log)
    # Rows of one to six lines: the guess from rows per page missed, the page breaks met later.
    assert "after its guess" in message
    here = int(message.split("pages 1-")[1].split(" ")[0])
    assert 10 < here < one_count - 3  # cut inside the ledger, not at an appendix
    assert two_count == one_count
    assert pages(tmp_path, two, "two") == pages(tmp_path, one, "one")
    assert outline(two) == outline(one)


@pytest.mark.parametrize("seed", [6, 1])
def test_one_core_prints_the_same_bytes_as_two(split_log, seed):
    # Seed 6: the page breaks meet the guessed ones a page after the guess, seed 1: six pages.
    for doc in (document(), document(ledger=uneven_ledger(parallel.LONG_TABLE_ROWS + 20, seed))):
        two, _ = render_pdf(doc, parallel=True)
        one, _ = render_pdf(doc, parallel=False)
        assert one == two
    assert len(splits(split_log, "one core")) == len(splits(split_log)) == 2


def test_the_same_document_prints_the_same_bytes_every_time(split_log):
    doc = document(ledger=uneven_ledger(parallel.LONG_TABLE_ROWS + 20))
    first, _ = render_pdf(doc, parallel=True)
    assert render_pdf(doc, parallel=True)[0] == first
    assert len(splits(split_log)) == 2


def test_a_failed_second_process_leaves_its_part_to_the_first(split_log, monkeypatch):
    doc = document(ledger=uneven_ledger(parallel.LONG_TABLE_ROWS + 20, seed=1))
    one, _ = render_pdf(doc, parallel=False)

    def fails(*args):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(parallel, "_child_main", fails)
    two, _ = render_pdf(doc, parallel=True)
    assert "out of memory" in split_log.text
    assert not splits(split_log)
    assert two == one  # split where the child would have split it, all laid out here


@pytest.mark.parametrize("when", ["laying out", "drawing"])
def test_a_child_that_fails_leaves_the_appendices_to_the_first(split_log, monkeypatch, when):
    doc = document()
    one, _ = render_pdf(doc, parallel=False)
    name = "_lay_out_part" if when == "laying out" else "_draw"
    real, parent = getattr(parallel, name), os.getpid()

    def fails(*args, **kwargs):
        if os.getpid() != parent:
            raise MemoryError
        return real(*args, **kwargs)

    monkeypatch.setattr(parallel, name, fails)
    two, _ = render_pdf(doc, parallel=True)
    assert "MemoryError" in split_log.text
    assert splits(split_log, "one core")
    assert two == one


@pytest.mark.parametrize("long_ledger", [False, True])
def test_a_stuck_second_process_is_stopped_and_the_first_carries_on(
    split_log, monkeypatch, long_ledger
):
    doc = document(ledger=uneven_ledger(parallel.LONG_TABLE_ROWS + 20)) if long_ledger else None
    doc = doc or document()
    one, _ = render_pdf(doc, parallel=False)
    # A child that never answers (say, a lock another thread held when it forked).
    parent, lay_out_part = os.getpid(), parallel._lay_out_part

    def stuck(*args):
        if os.getpid() != parent:
            threading.Event().wait()
        return lay_out_part(*args)

    monkeypatch.setattr(parallel, "_child_main", lambda *args: threading.Event().wait())
    monkeypatch.setattr(parallel, "_lay_out_part", stuck)
    monkeypatch.setattr(parallel, "PAGE_TIMEOUT", 0.3)
    monkeypatch.setattr(parallel, "PART_TIMEOUT", 0.3)
    two, _ = render_pdf(doc, parallel=True)
    assert "no answer" in split_log.text
    assert two == one


def test_a_guess_that_never_meets_the_page_breaks_costs_only_time(split_log, monkeypatch, plain):
    # Seed 6's page breaks meet the guessed ones only a page after the guess: not if the guess
    # alone counts.
    monkeypatch.setattr(parallel, "MATCH_PAGES", 1)
    doc = document(ledger=uneven_ledger(parallel.LONG_TABLE_ROWS + 20, seed=6))
    expected, _ = plain(doc)
    assert render_pdf(doc, parallel=True)[0] == expected
    assert render_pdf(doc, parallel=False)[0] == expected
    assert not splits(split_log)
    assert not splits(split_log, "one core")


@pytest.mark.parametrize("long_ledger", [False, True])
def test_a_report_prints_whole_if_the_split_itself_breaks(
    tmp_path, caplog, monkeypatch, plain, long_ledger
):
    # Say a WeasyPrint upgrade moved an internal the split leans on.
    doc = document(ledger=uneven_ledger(parallel.LONG_TABLE_ROWS + 20)) if long_ledger else None
    doc = doc or document()
    expected, _count = plain(doc)

    def moved(*args, **kwargs):
        raise AttributeError("'LayoutContext' object has no attribute 'page_maker'")

    monkeypatch.setattr(parallel, "remake_page", moved)
    pdf, _count = render_pdf(doc, parallel=True)
    assert pdf == expected
    assert "laid out whole" in caplog.text


def test_only_a_process_with_one_thread_forks(split_log, settings):
    settings.REPORT_PDF_PARALLEL = True
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not parallel.can_fork()
        render_pdf(document())
    finally:
        stop.set()
        other.join()
    assert not splits(split_log)
    assert splits(split_log, "one core")


def test_a_document_with_anchors_is_laid_out_on_one_core():
    from xml.etree.ElementTree import Element, SubElement

    def tree(**attributes):
        html = Element("html")
        SubElement(SubElement(html, "body"), "a" if "href" in attributes else "p", attributes)
        return html

    assert parallel._plain_tree(tree())
    assert not parallel._plain_tree(tree(id="a"))
    assert not parallel._plain_tree(tree(href="#a"))


def _sheets(*extra):
    from weasyprint import CSS

    from reports.pdf.fetcher import LocalOnlyFetcher
    from reports.pdf.fonts import font_css
    from reports.pdf.render import _layout_css_text
    from reports.pdf.tuning import stylesheets

    fonts, sheets = stylesheets([font_css(), _layout_css_text()], LocalOnlyFetcher())
    return fonts, [*sheets, *(CSS(string=css, font_config=fonts) for css in extra)]


def _parts(doc):
    from reports.document import document_appendices
    from reports.pdf.render import _report_html
    from reports.pdf.tuning import ReportHTML

    return [
        ReportHTML(string=_report_html(doc, document_appendices(doc), rows=True, part=part))
        for part in ("body", "appendices")
    ]


@pytest.mark.parametrize(
    "css",
    [
        "@page :left { margin-left: 30mm; }",  # the layout would depend on the side
        "@page landscape:first { margin-top: 50mm; }",  # or on being a document's first page
        '@page :left { @bottom-center { content: counter(page) "/" counter(pages); } }',
    ],
)
def test_pages_that_differ_left_and_right_or_print_the_total_are_laid_out_whole(css):
    from weasyprint import DEFAULT_OPTIONS

    doc = document()
    fonts, plain_sheets = _sheets()
    for sheets, alike in ((plain_sheets, True), (_sheets(css)[1], False)):
        html = _parts(doc)[0]
        options = {**DEFAULT_OPTIONS, "stylesheets": sheets}
        context, _root_box = parallel.styled_boxes(html, fonts, options)
        assert parallel._sides_alike(html, context) is alike
    assert parallel.render_parts(*_parts(doc), _sheets(css)[1], fonts, fork=True) is None


@pytest.mark.parametrize(
    "css",
    [
        '@page :first { @top-center { content: "首页"; } }',  # pages told apart by kind only
        '@page :nth(3) { @top-center { content: "第三页"; } }',  # and by number
    ],
)
def test_first_and_numbered_page_rules_print_as_weasyprint_prints_them(tmp_path, css):
    from reports.document import document_appendices
    from reports.pdf.render import _report_html
    from reports.pdf.tuning import ReportHTML

    doc = document()
    fonts, sheets = _sheets(css)
    whole = ReportHTML(string=_report_html(doc, document_appendices(doc), rows=True))
    expected = whole.render(stylesheets=sheets, font_config=fonts).write_pdf()
    two, _count = parallel.render_parts(*_parts(doc), sheets, fonts, fork=True)
    assert pages(tmp_path, two, "two") == pages(tmp_path, expected, "plain")
    assert outline(two) == outline(expected)
