"""What makes WeasyPrint fast on this report, kept apart from what the report looks like.

Measured on the report with a 1,000-row ledger (176 pages, ~12 s of CPU before):

* ``with_stack_room``: CPython 3.11 keeps Python frames in 16 KB chunks and frees a chunk as soon
  as the frame at its base returns. WeasyPrint's inline layout of a table cell calls small
  helpers (``resolve_one_percentage``, 16 per text box) exactly across such a boundary, so every
  one of those calls mapped and unmapped a chunk: 270,000 mmap/munmap pairs, ~2 s. Rendering
  from a frame that asks for a large stack puts the whole layout in one roomy chunk.
* ``ReportHTML``: the stock user-agent stylesheet gives *every* element six pseudo-element styles
  (``::marker``, ``::footnote-call``, ``::footnote-marker``, ``::note-*``), computed for the
  10,000 table cells too. The report has no lists, footnotes or notes; markers stay on ``li`` and
  ``summary``. ~1.2 s and 70 MB.
* ``no_cyclic_gc``: the layout allocates millions of boxes that reference counting frees; the
  cyclic collector's full passes over them were another ~2.5 s. Cycles left behind are collected
  after the render. The HTML is parsed inside it too.
* ``ReportHTML(appendix_tables=...)``: the appendix rows are put into the parsed tree as
  elements, not written as HTML for tinyhtml5 (pure Python) to parse back: the same tree (a row
  whose text the parser would change, a CR or a NUL, sends the rows back to the parser). The
  1,000-row ledger's HTML took ~0.5 s of CPU to write and parse on a busy machine, the skeleton
  and the rows now ~0.02 s; the PDF is byte for byte the same.
* ``stylesheets``: the font configuration and parsed stylesheets are kept per thread, so the
  @font-face files are read and registered once, not per export.
* ``one_pass_subset``: WeasyPrint subsets each font with HarfBuzz twice, the second pass only to
  drop the empty glyphs after the last one used, which HarfBuzz 6's first pass (glyph ids
  retained) already leaves out. One pass, also without the vertical metrics (the text is
  horizontal; the PDF carries the widths): the same glyphs, 70 -> 25 ms of the demo report's
  0.31 s for its four CJK fonts (a 26 MB collection among them), smaller files. Its glyph
  arrays are made as ``hb_codepoint_t[]``: cffi parses every new type string with pycparser
  (~4 ms on a busy machine) and keeps it for good, and WeasyPrint's ``hb_codepoint_t[N]`` was a
  new string for every glyph count, so up to four parses per export of a new document.
* font files read when asked for: WeasyPrint's ``Font.__init__`` copies each font file whole
  into Python (57 MB for the four: the Noto Serif and Sans CJK collections are 26 and 19 MB)
  although only the HarfBuzz subset, made from the face HarfBuzz has mapped, is embedded. The
  copy is now made only if something reads ``file_content`` before the subset replaces it (a
  variable or colour font, the stock subsetting as a fallback, a font embedded whole). The
  1,000-row report's peak memory 379 -> 291 MB; ~6 ms of each demo render, ~0.1 s of a first
  render in a fresh process (the collections' pages are not faulted in).

Measured side by side with the commit before (CPU, a busy machine, medians): demo report 0.40
-> 0.37 s, 1,000-row report 10.4 -> 10.1 s with the deferred font read, the appendix rows written
without the template loop (reports.pdf.render.table_rows_html, ~0.1 s of the large report) and
pydyf's streams deflated at level 6 instead of 9 (~14 ms of the demo; not kept: it meant
swapping pydyf's zlib module, too much reach into a dependency for 4 %).
Pages rendered with pdftoppm are pixel for pixel the same.

Where the rest goes (1,000-row report, py-spy, 30 Nov 2026): table layout ~47 %, drawing ~22 %,
cascade and box building ~11 %. The appendix markup is already as light as it gets: one text box
per line of a cell (15,045 text boxes and 15,020 line boxes for 10,651 cells, no inline boxes),
no per-cell classes in the ledger and letter tables. What is left is WeasyPrint's own work per
line: Pango lays a wrapped line out three times while breaking it and once more to draw it
(``pango_layout_get_line_readonly`` ~10 %), and per box ``resolve_percentages`` (~7 %),
``strut`` and ``Layout.setup`` (~13 %). Tried and not kept: the borders on ``col`` and ``tr``
instead of the cells (the same collapsed grid; cascade and boxes 1.17 -> 1.14 s of a 12-17 s
render), CFF subsets left subroutinized (subsetting 46 -> 65 ms, a larger file). Each page's
table keeps its subtree in a reference cycle (``TableColumnBox.get_cells``), so ~330,000 objects
of the large report wait for the cyclic collector: its first pass once GC is back on is ~0.4 s.
"""

import gc
import re
import threading
from contextlib import contextmanager
from importlib.resources import files
from xml.etree.ElementTree import SubElement

import cssselect2
import weasyprint
import weasyprint.pdf.fonts
from weasyprint import CSS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset
from weasyprint.text.fonts import FontConfiguration, get_hb_object_data

# Large enough that the frame gets its own chunk (allocated to fit it, rounded up to a power of
# two) with some 250 KB left over for the frames of the layout, far more than it goes deep.
STACK_ROOM = 32768  # slots of 8 bytes


def with_stack_room(function, *args, **kwargs):
    return function(*args, **kwargs)


with_stack_room.__code__ = with_stack_room.__code__.replace(co_stacksize=STACK_ROOM)


@contextmanager
def no_cyclic_gc():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# Universal pseudo-element rules of the stock stylesheet, and what they become here.
UA_REWRITES = [
    (re.compile(r"^::marker \{", re.M), "li::marker, summary::marker {"),
    (re.compile(r"^::(?:footnote|note)-[a-z-]+ \{[^}]*\}\n", re.M), ""),
    # The counter styles reach the document through HTML._ua_counter_style, not this sheet.
    (re.compile(r"^@counter-style .*\n", re.M), ""),
]


def _report_ua_text():
    """The stock user-agent stylesheet with the rewrites, or None if it no longer has the rules
    they expect (a newer WeasyPrint): then the stock sheet is used as it is."""
    text = (files(weasyprint.css) / "html5_ua.css").read_text("utf-8")
    for pattern, replacement in UA_REWRITES:
        text, count = pattern.subn(replacement, text)
        if not count:
            return None
    return text


_ua = {}


def report_ua_stylesheets():
    if "sheets" not in _ua:
        text = _report_ua_text()
        _ua["sheets"] = [CSS(string=text, counter_style=CounterStyle())] if text else None
    return _ua["sheets"]


# What the HTML parser would change in a cell's text: carriage returns become line feeds, NUL
# characters are dropped. Rows with either (or with a cell that is not a string) are parsed.
PARSER_CHANGES = re.compile("[\r\x00]")


def rows_can_skip_the_parser(tables):
    return all(
        isinstance(cell, str) and not PARSER_CHANGES.search(cell)
        for table in tables
        for row in table.get("rows") or ()
        for cell in row
    )


def append_rows(tbody, table):
    """The <tr> elements table_rows_html writes, made as the parser would make them from it."""
    centred = set(table.get("centred") or ())
    plain, num = {}, {"class": "num"}
    for row in table["rows"]:
        tr = SubElement(tbody, "tr")
        for index, cell in enumerate(row):
            td = SubElement(tr, "td", num if index in centred else plain)
            if cell:
                td.text = cell


class ReportHTML(HTML):
    """HTML laid out with the report's user-agent stylesheet (see the module docstring).

    ``appendix_tables``: the appendix tables whose <tbody> the HTML leaves empty, in the order of
    the document's ``table.ledger`` elements; their rows are put into the parsed tree as
    elements (see the module docstring)."""

    def __init__(self, *args, appendix_tables=None, **kwargs):
        super().__init__(*args, **kwargs)
        if appendix_tables is None:
            return
        found = [
            element
            for element in self.etree_element.iter("table")
            if "ledger" in element.get("class", "").split()
        ]
        if len(found) != len(appendix_tables):
            raise ValueError(f"{len(appendix_tables)} appendix tables, {len(found)} in the HTML")
        for element, table in zip(found, appendix_tables, strict=True):
            tbody = element.find("tbody")
            if tbody is None or len(tbody) or (tbody.text or "").strip():
                raise ValueError("an appendix table's <tbody> is not empty")
            append_rows(tbody, table)
        # The tree changed: wrapped anew, as HTML.__init__ wraps it.
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(
            self.etree_element, content_language=None
        )

    def _ua_stylesheets(self, forms=False):
        ours = None if forms else report_ua_stylesheets()
        return ours or super()._ua_stylesheets(forms)


_local = threading.local()


def stylesheets(texts, fetcher):
    """(FontConfiguration, [CSS]) for the stylesheet ``texts``, parsed once per thread (Pango's
    font map is not shared between threads) and again only when a text changes, e.g. when an
    office puts its own fonts into REPORT_FONT_DIR."""
    key = tuple(texts)
    cached = getattr(_local, "stylesheets", None)
    if cached is None or cached[0] != key:
        fonts = FontConfiguration()
        sheets = [CSS(string=text, font_config=fonts, url_fetcher=fetcher) for text in texts]
        cached = _local.stylesheets = (key, fonts, sheets)
    return cached[1], cached[2]


DROPPED_TABLES = (
    *(b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT"),
    *(b"SVG ", b"VORG", b"vhea", b"vmtx"),
)


def one_pass_subset(self, to_unicode, hinting):
    """Font._harfbuzz_subset in one HarfBuzz pass (see the module docstring)."""
    subset = harfbuzz_subset
    request = ffi.gc(subset.hb_subset_input_create_or_fail(), subset.hb_subset_input_destroy)
    glyphs = sorted(to_unicode)
    harfbuzz.hb_set_add_sorted_array(
        subset.hb_subset_input_glyph_set(request),
        ffi.new("hb_codepoint_t[]", glyphs),
        len(glyphs),
    )
    flags = (
        subset.HB_SUBSET_FLAGS_RETAIN_GIDS
        | subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED
        | subset.HB_SUBSET_FLAGS_DESUBROUTINIZE
    )
    if not hinting:
        flags |= subset.HB_SUBSET_FLAGS_NO_HINTING
    if self.missing:
        flags |= subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
    subset.hb_subset_input_set_flags(request, flags)
    tags = sorted(harfbuzz.hb_tag_from_string(name, -1) for name in DROPPED_TABLES)
    harfbuzz.hb_set_add_sorted_array(
        subset.hb_subset_input_set(request, subset.HB_SUBSET_SETS_DROP_TABLE_TAG),
        ffi.new("hb_codepoint_t[]", tags),
        len(tags),
    )
    face = ffi.gc(subset.hb_subset_or_fail(self.hb_face, request), harfbuzz.hb_face_destroy)
    content = get_hb_object_data(face) if face != ffi.NULL else None
    if content:
        self.file_content = content
    else:  # as WeasyPrint would have done
        _stock_subset(self, to_unicode, hinting)


_stock_subset = getattr(weasyprint.pdf.fonts.Font, "_harfbuzz_subset", None)
if _stock_subset is not None and harfbuzz_subset is not None:
    weasyprint.pdf.fonts.Font._harfbuzz_subset = one_pass_subset


# Font file contents read only when something asks for them (see the module docstring).
_font_init = threading.local()
_UNREAD = object()


def _face_data(obj, *args):
    """get_hb_object_data, except for the whole-file read in Font.__init__."""
    if getattr(_font_init, "deferring", False) and not args:
        return _UNREAD
    return get_hb_object_data(obj, *args)


def _deferring_init(self, *args, **kwargs):
    _font_init.deferring = True
    try:
        _stock_font_init(self, *args, **kwargs)
    finally:
        _font_init.deferring = False


def _get_file_content(self):
    content = self.__dict__.get("_file_content", _UNREAD)
    if content is _UNREAD:
        content = self.__dict__["_file_content"] = get_hb_object_data(self.hb_face)
    return content


def _set_file_content(self, content):
    self.__dict__["_file_content"] = content


_stock_font_init = weasyprint.pdf.fonts.Font.__init__
_stock_face_data = getattr(weasyprint.pdf.fonts, "get_hb_object_data", None)
if _stock_face_data is get_hb_object_data and "file_content" not in vars(weasyprint.pdf.fonts.Font):
    weasyprint.pdf.fonts.get_hb_object_data = _face_data
    weasyprint.pdf.fonts.Font.__init__ = _deferring_init
    weasyprint.pdf.fonts.Font.file_content = property(_get_file_content, _set_file_content)
