"""The report laid out on two cores: a forked child lays out and draws the second part.

WeasyPrint lays pages out one after the other, on one core. Yet a page's layout depends only on
where it starts (its ``resume_at`` in ``context.page_maker``), the page type and a few counters:
the second half of a long ledger comes out the same whoever lays it out, once its start is known.
So the report is laid out in two parts at once, the parent's and a forked child's:

* **The appendices apart** (``render_parts``). A report whose appendix tables are short (under
  LONG_TABLE_ROWS rows) is written as two HTML documents, the report and its appendices: the
  appendices begin on a page of their own, so their pages are the same in either. The child is
  forked as soon as the HTML is written; each process styles, lays out and draws its own
  document, and only the page numbers wait for the parent's page count.
* **A long table cut inside** (``render``, ``plan``). A report with a long appendix table (a
  1,000-row ledger) is one document. The parent lays out until it has seen two whole pages of
  the table, takes their rows per page, guesses the row that starts the page half way through
  what is left, and forks a child that lays out from there.
* **The check** (a long table). The child reports where each of its pages starts. The parent
  goes on laying out; it stops at the first of its pages that starts exactly where one of the
  child's pages starts, with the same counters and page groups. From there on the child's pages
  are the pages the parent would have made. The first such page is taken, whatever the timing,
  so the result is the same every time (a 定稿 is reproducible byte for byte). Rows of unequal
  height may make the guess miss; page breaks laid out from two starts usually meet again a few
  pages on (the child's first MATCH_PAGES pages are looked at); if they do not, the parent lays
  out everything itself and the child is stopped.
* **Page numbers.** Page numbers and left/right sides live only in the margin boxes, which
  WeasyPrint makes after the layout; the report's left and right pages, first or not, have the
  same margins (``_sides_alike`` checks). Once the parent tells the child which of its pages is
  which, the child makes its margin boxes with the right numbers and sides and draws its pages
  to PDF while the parent draws its own.
* **The join.** The child's pages are appended to the parent's PDF with pikepdf; the outline is
  rebuilt from both parts' bookmarks by WeasyPrint's own tree-making, written as WeasyPrint
  writes it. Each part embeds its own font subsets.
* **One core, the same bytes.** Where no child can be forked (a process with other threads: a
  threaded web server, where a lock another thread holds would stay locked in the child), or
  REPORT_PDF_PARALLEL is off, or the child fails or stops answering, the parent makes the same
  two parts itself: the appendices' document after the report's, or, for a long table, the same
  split found here (``InProcess`` lays out the pages from the guess between its own, only as
  far as the split needs: the guess and at most MATCH_PAGES pages). So the
  PDF does not depend on where it is made: a 定稿 prints the same bytes in a worker and in a
  web request.

Anything the split does not allow (links or anchors, footnotes, a page with a left/right break
or a fixed box, pages whose margins differ by side) ends in WeasyPrint's own layout of the whole
document.
"""

import contextlib
import copy
import io
import logging
import os
import pickle
import select
import signal
import struct
import threading
from types import SimpleNamespace

import pikepdf
from weasyprint import DEFAULT_OPTIONS
from weasyprint.css.counters import CounterStyle
from weasyprint.document import Document, DocumentMetadata, Page
from weasyprint.formatting_structure import boxes
from weasyprint.formatting_structure.build import build_formatting_structure
from weasyprint.html import get_html_metadata
from weasyprint.layout import initialize_page_maker, layout_document
from weasyprint.layout.background import layout_backgrounds
from weasyprint.layout.page import (
    PageType,
    make_margin_boxes,
    remake_page,
    set_page_type_computed_styles,
)

logger = logging.getLogger(__name__)

# A table with at least this many rows is cut inside; under it, the cut is at the appendices.
LONG_TABLE_ROWS = 80
# The child must have at least this many pages to lay out for the fork to pay.
MIN_CHILD_PAGES = 2
# The page-margin boxes whose content ``plan`` reads.
MARGIN_BOXES = tuple(
    f"@{edge}-{place}"
    for edge, places in (
        ("top", ("left-corner", "left", "center", "right", "right-corner")),
        ("bottom", ("left-corner", "left", "center", "right", "right-corner")),
        ("left", ("top", "middle", "bottom")),
        ("right", ("top", "middle", "bottom")),
    )
    for place in places
)
# The split is looked for among the first this many pages laid out from the guess.
MATCH_PAGES = 30
# Seconds the parent waits for the child's next page, and for its drawn part, before it stops
# the child and lays the rest out itself. No page takes seconds; a whole part may.
PAGE_TIMEOUT, DRAW_TIMEOUT = 30, 600
# Seconds the parent waits for the appendices of a report split where they start: a few pages.
PART_TIMEOUT = 60
# What must be the same on left and right pages for the layout not to depend on the side.
PAGE_GEOMETRY = (
    "size",
    *(
        f"{box}_{side}"
        for box in ("margin", "padding")
        for side in ("top", "right", "bottom", "left")
    ),
    *(f"border_{side}_width" for side in ("top", "right", "bottom", "left")),
    *(f"bleed_{side}" for side in ("top", "right", "bottom", "left")),
)


def can_fork():
    return hasattr(os, "fork") and threading.active_count() == 1


def render(html, stylesheets, font_config, fork=True, progress=None):
    """(PDF bytes, page count) of ``html``, laid out on two cores if it qualifies (``plan``) and on
    one otherwise; None if a page turned out to be one this module does not lay out or the child
    failed once the parent had stopped: the caller then renders the document the plain way."""
    options = {**DEFAULT_OPTIONS, "stylesheets": stylesheets}
    context, root_box = styled_boxes(html, font_config, options)
    drawing = _drawing(html, font_config, options, context)
    splitter = plan(html, root_box, context)
    if splitter is None:  # WeasyPrint's own layout, on the tree already built
        pages = [Page(page) for page in layout_document(html, root_box, context)]
        document = _document(pages, drawing)
        return _write(document), len(pages)
    return _lay_out(html, root_box, context, splitter, drawing, fork, progress)


def render_parts(first, second, stylesheets, font_config, fork=True, progress=None):
    """(PDF bytes, page count) of the HTML documents ``first`` and ``second`` as one, the
    second starting on a page of its own (the report's appendices: each begins with a forced
    page break), laid out at once by a forked child and the parent when ``fork``, one after the
    other otherwise: the same bytes either way. None if either has what the split does not
    allow (links, footnotes, fixed boxes, pages that differ left and right): the caller then
    renders the document whole."""
    if not (_plain_tree(first.etree_element) and _plain_tree(second.etree_element)):
        return None
    options = {**DEFAULT_OPTIONS, "stylesheets": stylesheets}
    child = _fork_part(second, font_config, options) if fork else None
    try:
        context, pages = _lay_out_part(first, font_config, options)
        if not _sides_alike(first, context):
            raise _Unsupported
        offset, right_page = len(pages), context.page_maker[len(pages)][2]
        if child is not None:
            child.use(0, offset, right_page)
        if progress:
            progress(80)
        drawing = _drawing(first, font_config, options, context)
        numbered = [(page, context.page_maker[i + 1][3], i) for i, page in enumerate(pages)]
        ours, our_marks = _draw(first, context, drawing, numbered, total=0)
        theirs = child.drawn(PART_TIMEOUT) if child is not None else None
    except _Unsupported:
        if child is not None:
            child.stop()
        return None
    except BaseException:
        if child is not None:
            child.stop()
        raise
    forked = theirs is not None
    if not forked:  # one core, or the child failed: the second part is made here
        try:
            theirs = _part_drawn(second, font_config, options, offset, right_page)
        except _Unsupported:
            return None
    pdf, their_marks = theirs
    logger.info(
        "Report laid out on %s: pages 1-%d here, the appendices in %s.",
        "two cores" if forked else "one core",
        offset,
        "a second process" if forked else "a second part",
    )
    try:
        joined = join(ours, pdf, our_marks + their_marks)
    finally:
        if child is not None:
            _wait(child.pid)  # after the join: the child's exit (unmapping its memory) is slow
    return joined, offset + len(their_marks)


def _lay_out_part(html, font_config, options):
    """(context, pages) of a whole document laid out, margin boxes not made yet."""
    context, root_box = styled_boxes(html, font_config, options)
    if context.footnotes:
        raise _Unsupported
    initialize_page_maker(context, root_box)
    context.rendered_notes = []
    pages = []
    while True:
        page, resume_at = remake_page(len(pages), context, root_box, html)
        if page.page_type.blank or page.fixed_boxes:
            raise _Unsupported
        pages.append(page)
        if resume_at is None:
            return context, pages


def _part_drawn(html, font_config, options, offset, right_page, laid_out=None):
    """(PDF bytes, [(height, bookmarks)]) of a document whose first page is page ``offset``
    (from 0) of the whole, on the side ``right_page`` says."""
    context, pages = laid_out or _lay_out_part(html, font_config, options)
    if not _sides_alike(html, context):
        raise _Unsupported
    numbered = [(page, context.page_maker[i + 1][3], offset + i) for i, page in enumerate(pages)]
    sides = [right_page if i % 2 == 0 else not right_page for i in range(len(pages))]
    drawing = _drawing(html, font_config, options, context)
    return _draw(html, context, drawing, numbered, offset + len(pages), sides)


def _drawing(html, font_config, options, context):
    return SimpleNamespace(
        metadata=DocumentMetadata(**get_html_metadata(html)),
        url_fetcher=html.url_fetcher,
        font_config=font_config,
        options=options,
        nth=_nth_page_rules(context),
    )


def _fork_part(html, font_config, options):
    """A child that lays ``html`` out at once, then draws it where the parent says, or None."""

    def work(out, into):
        laid_out = _lay_out_part(html, font_config, options)
        decision = _receive(into)
        if decision is not None and decision[0] == "use":
            _kind, _first, offset, right_page = decision
            drawn = _part_drawn(html, font_config, options, offset, right_page, laid_out)
            _send(out, ("pdf", *drawn))

    return _forked(work)


def styled_boxes(html, font_config, options):
    """(layout context, root box) of ``html``: what Document._render makes before the layout."""
    counter_style = CounterStyle()
    context = Document._build_layout_context(html, font_config, counter_style, {}, options)
    root_box = build_formatting_structure(
        html.etree_element,
        context.style_for,
        context.get_image_from_uri,
        html.base_url,
        context.target_collector,
        counter_style,
        context.footnotes,
    )
    return context, root_box


# --- What qualifies, and where to cut ------------------------------------------------------


def plan(html, root_box, context):
    """A splitter for this document (a long appendix table), or None if it is laid out in one
    part. A report whose appendices are short is split where they start (``render_parts``)."""
    if context.footnotes or not _plain_tree(html.etree_element):
        return None
    body = root_box.children[0] if root_box.children else None
    if body is None or body.element_tag != "body":
        return None
    sections = [
        (index, child)
        for index, child in enumerate(body.children)
        if child.element_tag == "section" and "appendix" in (child.element.get("class") or "")
    ]
    if not sections or not _sides_alike(html, context):
        return None
    longest = max(
        (_table_rows(child, (0, index)) for index, child in sections), key=lambda found: found[1]
    )
    if longest[1] >= LONG_TABLE_ROWS:
        return InsideTable(*longest)
    return None


def _nth_page_rules(context):
    """Whether any @page rule selects pages by number (``:nth()``)."""
    return any(
        selector[2].index is not None
        for sheet, _origin, _specificity in context.style_for._sheets
        for _rule, selectors, _declarations in sheet.page_rules
        for selector in selectors
    )


def _plain_tree(root):
    """No links or anchors: nothing that points from one part into the other."""
    return not any(
        element.get("id") or element.get("href") or (element.tag == "a" and element.get("name"))
        for element in root.iter()
    )


def _sides_alike(html, context):
    """Pages of each name have the same geometry left and right, first or not, and no margin
    box prints the page total (unknown until both parts are laid out)."""
    names = {""} | {
        selector[2].name
        for sheet, _origin, _specificity in context.style_for._sheets
        for _rule, selectors, _declarations in sheet.page_rules
        for selector in selectors
        if selector[2].name
    }
    for name in names:
        styles = set()
        for side in ("left", "right"):
            for index in (0, 1):
                page_type = PageType(side, False, name, index, ())
                set_page_type_computed_styles(page_type, html, context.style_for)
                style = context.style_for(page_type)
                styles.add(tuple(style[key] for key in PAGE_GEOMETRY))
                for box in MARGIN_BOXES:
                    margin = context.style_for(page_type, box)
                    if margin is not None and "pages" in repr(margin["content"]):
                        return False
        if len(styles) != 1:
            return False
    return True


def _table_rows(section, path):
    """(path to the tbody, its number of rows) of the section's table, or (None, 0)."""
    for index, child in enumerate(section.children):
        if getattr(child, "is_table_wrapper", False):
            table = child.get_wrapped_table()
            table_path = (*path, index, child.children.index(table))
            groups = [
                (group_index, group)
                for group_index, group in enumerate(table.children)
                if isinstance(group, boxes.TableRowGroupBox) and not group.is_header
            ]
            if len(groups) == 1:
                group_index, group = groups[0]
                return (*table_path, group_index), len(group.children)
    return None, 0


def _nested(key):
    """The skip stack for a flat key: (0, 40) -> {0: {40: None}}."""
    stack = None
    for index in reversed(key):
        stack = {index: stack}
    return stack


def flat(resume_at):
    """A skip stack as a tuple, in document order; None if it branches."""
    key = []
    while resume_at:
        if len(resume_at) != 1:
            return None
        ((index, resume_at),) = resume_at.items()
        key.append(index)
    return tuple(key)


def comparable(entry):
    """What of a page_maker entry decides the page's layout: where it starts, the pending break
    and named page, counters and page groups, but not the page number, side or group counts."""
    resume_at, next_page, _right, (quotes, counters, scopes, groups), _remake = entry
    values = {name: value for name, value in counters.items() if name not in ("page", "pages")}
    return (
        flat(resume_at),
        dict(next_page),
        list(quotes),
        values,
        [sorted(scope - {"page", "pages"}) for scope in scopes],
        [(group[0], group[2]) for group in groups],
    )


class InsideTable:
    """The child starts at a row of a long table, half way through what is left."""

    def __init__(self, tbody_key, rows):
        self.tbody_key, self.rows, self.seen = tbody_key, rows, []

    def guess(self, index, page_maker):
        entry = page_maker[index]
        key = flat(entry[0])
        if key is None or len(key) != len(self.tbody_key) + 1 or key[:-1] != self.tbody_key:
            return None
        self.seen.append(key[-1])
        if len(self.seen) < 3:  # the table's first page has its title: two whole pages first
            return None
        per_page = self.seen[-1] - self.seen[-2]
        if per_page <= 0:
            return None
        pages_left = -(-(self.rows - key[-1]) // per_page)
        ahead = pages_left // 2
        if ahead < 1 or pages_left - ahead < MIN_CHILD_PAGES:
            return None
        resume_at, next_page, right_page, page_state, _remake = entry
        guessed = (
            _nested((*self.tbody_key, key[-1] + ahead * per_page)),
            dict(next_page),
            right_page if ahead % 2 == 0 else not right_page,
            copy.deepcopy(page_state),
            _fresh_remake_state(),
        )
        return index + ahead, guessed


def _fresh_remake_state():
    return {"content_changed": False, "pages_wanted": False, "anchors": [], "content_lookups": []}


# --- The two processes ----------------------------------------------------------------------


def _send(fd, message):
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(struct.pack("!Q", len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def _receive(fd, timeout=None):
    """The next message on ``fd``; None at the end of the pipe, or if nothing came for
    ``timeout`` seconds (a child stuck, e.g. on a lock another thread held when it forked)."""
    header = _read_exactly(fd, 8, timeout)
    if header is None:
        return None
    body = _read_exactly(fd, struct.unpack("!Q", header)[0], timeout)
    return None if body is None else pickle.loads(body)  # noqa: S301 (our own child's)


def _read_exactly(fd, size, timeout=None):
    chunks, left = [], size
    while left:
        if timeout is not None and not select.select([fd], [], [], timeout)[0]:
            return None
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


FAILED = object()  # what ``match`` says when the forked child has gone


class Guess:
    """Where the pages laid out from a guessed start begin: per page, from the guess on, the
    ``comparable`` of its page_maker entry, as far as known. Only the first MATCH_PAGES count,
    however they are laid out, so that a split is the same with or without a fork."""

    def __init__(self, first_index, entry):
        self.first_index, self.entry = first_index, entry
        self.states = {}  # flat key -> (page index, comparable)
        self.first_key = self.last_key = None
        self.ended = False

    def _add(self, index, state):
        if index >= self.first_index + MATCH_PAGES:
            self.ended = True
            return
        self.states[state[0]] = (index, state)
        self.last_key = state[0]
        if self.first_key is None:
            self.first_key = state[0]

    def _more(self):
        """Learn the next page's start (or the end); False if that cannot be known."""
        raise NotImplementedError

    def match(self, entry):
        """The guessed pages' index that starts as the parent's page with ``entry`` does; None
        if none does; False if none ever will; FAILED if the forked child has gone."""
        state = comparable(entry)
        key = state[0]
        if key is None:
            return False
        while self.first_key is None or (not self.ended and self.last_key < key):
            if not self._more():
                return FAILED
        if key < self.first_key:
            return None
        found = self.states.get(key)
        if found is not None and found[1] == state:
            return found[0]
        if self.ended and key > self.last_key:
            return False
        return None

    def stop(self):
        pass


class InProcess(Guess):
    """The guessed pages' starts, found by laying them out here, between the parent's pages
    (one core: the PDF is split where a forked child would have split it, and is the same)."""

    def __init__(self, html, root_box, context, first_index, entry):
        super().__init__(first_index, entry)
        self.html, self.root_box, self.context = html, root_box, context
        self.maker = [entry] * (first_index + 1)
        self.own = _context_state(context)
        self.index = first_index
        self._add(first_index, comparable(entry))

    def _more(self):
        if self.ended:
            return True
        parents = _context_state(self.context)
        vars(self.context).update(self.own)
        self.context.page_maker = self.maker
        try:
            _page, resume_at = remake_page(self.index, self.context, self.root_box, self.html)
        finally:
            self.own = _context_state(self.context)
            vars(self.context).update(parents)
        self.index += 1
        if resume_at is None:
            self.ended = True
        else:
            self._add(self.index, comparable(self.maker[self.index]))
        return True


def _context_state(context):
    """The layout context's attributes, copied one level deep (a page's layout changes them)."""
    return {
        name: copy.copy(value) if isinstance(value, list | dict | set) else value
        for name, value in vars(context).items()
    }


class Child(Guess):
    """The forked child, seen from the parent."""

    def __init__(self, pid, reader, writer, first_index, entry):
        super().__init__(first_index, entry)
        self.pid, self.reader, self.writer = pid, reader, writer

    def _more(self):
        message = _receive(self.reader, PAGE_TIMEOUT)
        if message is None or message[0] == "error":
            logger.warning(
                "The report's second layout process failed: %s",
                message[1] if message else "no answer",
            )
            return False
        if message[0] == "state":
            self._add(*message[1:])
        elif message[0] == "end":
            self.ended = True
        else:
            return False
        return True

    def use(self, child_index, parent_index, right_page):
        """Tell the child which of its pages are kept, and where they go; it draws them. A
        child that has gone does not hear it: ``drawn`` then says so."""
        with contextlib.suppress(OSError):
            _send(self.writer, ("use", child_index, parent_index, right_page))
        os.close(self.writer)
        self.writer = None

    def drawn(self, timeout=None):
        """(PDF bytes, [(height, bookmarks)] per page) the child drew, or None if it failed."""
        timeout = timeout or DRAW_TIMEOUT
        message = _receive(self.reader, timeout)
        while message is not None and message[0] in ("state", "end"):  # not read before
            message = _receive(self.reader, timeout)
        if message is None or message[0] != "pdf":
            logger.warning(
                "The report's second layout process failed: %s",
                message[1] if message and message[0] == "error" else "no answer",
            )
            self.stop()
            return None
        os.close(self.reader)
        self.reader = None
        return message[1], message[2]

    def stop(self):
        for fd in (self.writer, self.reader):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.writer = self.reader = None
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        _wait(self.pid)


def _wait(pid):
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _fork(html, root_box, context, drawing, first_index, entry):
    """A child laying out from the guessed ``entry`` on (``_child_main``), or None."""
    return _forked(
        lambda out, into: _child_main(
            html, root_box, context, drawing, first_index, entry, out, into
        ),
        first_index,
        entry,
    )


def _forked(work, first_index=0, entry=None):
    """A Child running ``work(out, into)`` (its pipes to and from the parent) in a forked
    process, or None if no process can be forked (no memory or processes to spare: then one
    core it is). The child never returns: it exits when ``work`` does, or fails, which it tells
    the parent."""
    to_parent_r, to_parent_w = os.pipe()
    to_child_r, to_child_w = os.pipe()
    try:
        pid = os.fork()
    except OSError as error:
        logger.warning("The report's second layout process could not start: %s", error)
        for fd in (to_parent_r, to_parent_w, to_child_r, to_child_w):
            os.close(fd)
        return None
    if pid:
        os.close(to_parent_w)
        os.close(to_child_r)
        return Child(pid, to_parent_r, to_child_w, first_index, entry)
    status = 1
    try:
        os.close(to_parent_r)
        os.close(to_child_w)
        work(to_parent_w, to_child_r)
        status = 0
    except BaseException as error:  # noqa: BLE001 (reported to the parent, which carries on)
        with contextlib.suppress(OSError):
            _send(to_parent_w, ("error", repr(error)))
    finally:
        os._exit(status)


def _child_main(html, root_box, context, drawing, first_index, entry, out, into):
    page_maker = context.page_maker
    context.page_maker = page_maker + [entry] * (first_index + 1 - len(page_maker))
    pages, index = [], first_index
    while True:
        _send(out, ("state", index, comparable(context.page_maker[index])))
        page, resume_at = remake_page(index, context, root_box, html)
        if page.page_type.blank or page.fixed_boxes:
            raise ValueError("a blank page or a fixed box")
        pages.append(page)
        index += 1
        if resume_at is None:
            break
    if context.reported_footnotes:
        raise ValueError("footnotes")
    _send(out, ("end",))
    decision = _receive(into)
    if decision is None or decision[0] != "use":
        return
    _kind, child_index, parent_index, right_page = decision
    ours = pages[child_index - first_index :]
    total = parent_index + len(ours)
    numbered = [
        (page, context.page_maker[child_index + offset + 1][3], parent_index + offset)
        for offset, page in enumerate(ours)
    ]
    sides = [right_page if offset % 2 == 0 else not right_page for offset in range(len(ours))]
    pdf, heights_and_bookmarks = _draw(html, context, drawing, numbered, total, sides)
    _send(out, ("pdf", pdf, heights_and_bookmarks))


def _finish_pages(html, context, numbered, total, sides=None, nth=True):
    """Margin boxes and backgrounds, as layout_document adds them, with the real page numbers;
    one bookmark per element, as there.

    Without ``nth`` (no ``@page :nth()`` rule), a page's type says only whether it is the first
    page, not which page it is: the margin boxes' styles are then computed once per kind of page
    instead of once per page (WeasyPrint makes a new page type, and new styles, for each page)."""
    finished, bookmarked, styled = [], set(), set()
    for position, (page, state, index) in enumerate(numbered):
        side = page.page_type.side
        if sides is not None:
            side = "right" if sides[position] else "left"
        page_type = page.page_type._replace(side=side, index=index)
        if not nth:
            page_type = page_type._replace(index=min(index, 1), groups=())
        if page_type != page.page_type:
            page.page_type = page_type
            if page_type not in styled:
                set_page_type_computed_styles(page_type, html, context.style_for)
                styled.add(page_type)
        for box in page.descendants():
            if box.bookmark_label:
                key = (box.element, box.element_tag)
                if key in bookmarked:
                    box.bookmark_label = ""
                bookmarked.add(key)
        state = copy.deepcopy(state)
        state[1]["page"] = [index + 1]
        state[1]["pages"] = [total]
        root, footnote_area, note_area = page.children
        children = [root]
        if footnote_area.children:
            children.append(footnote_area)
        if note_area.children:
            children.append(note_area)
        context.current_page = index + 1
        children.extend(make_margin_boxes(context, page, state))
        page.children = tuple(children)
        layout_backgrounds(page, context.get_image_from_uri)
        finished.append(Page(page))
    return finished


def _draw(html, context, drawing, numbered, total, sides=None):
    pages = _finish_pages(html, context, numbered, total, sides, drawing.nth)
    return _write(_document(pages, drawing)), [(page.height, page.bookmarks) for page in pages]


def _document(pages, drawing):
    return Document(
        pages,
        drawing.metadata,
        drawing.url_fetcher,
        drawing.font_config,
        {},
        drawing.options["output_intent"],
    )


def _write(document):
    from .tuning import with_stack_room

    return with_stack_room(document.write_pdf)


def _lay_out(html, root_box, context, splitter, drawing, fork, progress=None):
    initialize_page_maker(context, root_box)
    context.rendered_notes = []
    pages, child, split = [], None, None
    try:
        while True:
            index = len(pages)
            if child is None and splitter is not None:
                guess = splitter.guess(index, context.page_maker)
                if guess is not None:
                    splitter = None
                    child = fork and _fork(html, root_box, context, drawing, *guess)
                    child = child or InProcess(html, root_box, context, *guess)
            if child is not None and split is None and index > 0:
                found = child.match(context.page_maker[index])
                if found is FAILED:  # the forked child has gone: its guess, followed here
                    child.stop()
                    child = InProcess(html, root_box, context, child.first_index, child.entry)
                    found = child.match(context.page_maker[index])
                if found is False:
                    child.stop()
                    child = None
                elif found is not None:
                    split = (index, found)
                    if isinstance(child, Child):
                        break
            page, resume_at = remake_page(index, context, root_box, html)
            if page.page_type.blank or page.fixed_boxes:
                raise _Unsupported
            pages.append(page)
            if resume_at is None:
                break
    except BaseException as error:  # the child is not left behind, whatever happened here
        if child is not None:
            child.stop()
        if isinstance(error, _Unsupported):
            return None
        raise
    if child is not None and split is None:
        child.stop()
    if progress:
        progress(80)
    if split is None:
        return _serial_finish(html, context, drawing, pages)
    at, child_index = split
    late = child_index - child.first_index
    logger.info(
        "Report laid out on %s: pages 1-%d here, the rest in %s (%s).",
        "two cores" if isinstance(child, Child) else "one core",
        at,
        "a second process" if isinstance(child, Child) else "a second part",
        f"{late} page{'s' if late > 1 else ''} after its guess" if late else "at its guess",
    )
    numbered = [(page, context.page_maker[i + 1][3], i) for i, page in enumerate(pages)]
    # The first part is drawn while the child draws its own: the total is not known yet, and
    # only a `counter(pages)` would print it (``plan`` refuses margin boxes that have one).
    if isinstance(child, Child):
        try:
            child.use(child_index, at, context.page_maker[at][2])
            first, first_bookmarks = _draw(html, context, drawing, numbered, total=0)
            theirs = child.drawn()
        except BaseException:
            child.stop()
            raise
        if theirs is None:  # the child failed after all: the rest is laid out here
            while True:
                page, resume_at = remake_page(len(pages), context, root_box, html)
                pages.append(page)
                if resume_at is None:
                    break
        else:
            second, second_bookmarks = theirs
            try:
                merged = join(first, second, first_bookmarks + second_bookmarks)
            finally:
                _wait(child.pid)  # after the join: the child's exit (unmapping memory) is slow
            return merged, at + len(second_bookmarks)
    else:
        first, first_bookmarks = _draw(html, context, drawing, numbered[:at], total=0)
    numbered = [(page, context.page_maker[i + 1][3], i) for i, page in enumerate(pages)]
    second, second_bookmarks = _draw(html, context, drawing, numbered[at:], total=len(pages))
    return join(first, second, first_bookmarks + second_bookmarks), len(pages)


class _Unsupported(Exception):
    """A page this module does not lay out: a blank page (a left/right break), a fixed box."""


def _serial_finish(html, context, drawing, pages):
    states = [(page, context.page_maker[i + 1][3], i) for i, page in enumerate(pages)]
    pdf, _bookmarks = _draw(html, context, drawing, states, total=len(pages))
    return pdf, len(pages)


# --- The join -------------------------------------------------------------------------------


def join(first, second, heights_and_bookmarks):
    """One PDF of the pages of ``first`` then ``second``, its outline made from every page's
    bookmarks as WeasyPrint makes it (reports ``(height, bookmarks)`` per page)."""
    with pikepdf.open(io.BytesIO(first)) as pdf, pikepdf.open(io.BytesIO(second)) as other:
        pdf.pages.extend(other.pages)
        if "/Outlines" in pdf.Root:
            del pdf.Root.Outlines
        pages = [SimpleNamespace(height=h, bookmarks=b) for h, b in heights_and_bookmarks]
        tree = Document.make_bookmark_tree(
            SimpleNamespace(pages=pages), scale=0.75, transform_pages=True
        )
        _add_outlines(pdf, tree)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _add_outlines(pdf, bookmarks, parent=None):
    """weasyprint.pdf.anchors.add_outlines, written with pikepdf."""
    count = len(bookmarks)
    outlines = []
    for title, (page, x, y), children, state in bookmarks:
        destination = pikepdf.Array([pdf.pages[page].obj, pikepdf.Name.XYZ, x, y, 0])
        outline = pdf.make_indirect(
            pikepdf.Dictionary(Title=pikepdf.String(title), Dest=destination)
        )
        children_outlines, children_count = _add_outlines(pdf, children, parent=outline)
        outline.Count = -children_count if state == "closed" else children_count
        if state != "closed":
            count += children_count
        if outlines:
            outline.Prev = outlines[-1]
            outlines[-1].Next = outline
        if children_outlines:
            outline.First = children_outlines[0]
            outline.Last = children_outlines[-1]
        if parent is not None:
            outline.Parent = parent
        outlines.append(outline)
    if parent is None and outlines:
        root = pdf.make_indirect(
            pikepdf.Dictionary(Count=count, First=outlines[0], Last=outlines[-1])
        )
        for outline in outlines:
            outline.Parent = root
        pdf.Root.Outlines = root
    return outlines, count
