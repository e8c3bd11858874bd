"""A bound on the work an uploaded workbook can cause, checked before openpyxl sees it.

openpyxl is not built for hostile input: a sheet without a ``<dimension>`` is read to its end
before a single row can be counted, a row numbered 1,048,576 makes it yield a million empty rows,
a ``<dimension>`` of ``A1:XFD1`` pads every row to 16,384 cells, and the shared-strings table and
the styles are loaded whole. So every workbook the portal reads goes through ``check_workbook``
first. It looks at the zip's directory (number of members, declared sizes, compression ratio),
then streams every XML member through expat (no tree is built, no text kept, no DTD accepted),
counting as it goes and stopping at the first counter past its limit: uncompressed bytes read,
elements, nesting depth, rows (empty ones included, and the row *numbers*, so gaps count too),
columns, cells, characters per cell and in total, shared strings. The work is therefore bounded
by the limits, whatever the file's shape; ``bench/bench_import_bounds.py`` measures it.

The budgets are the workbook's, not one part's: a file of twenty parts that each stop just short
of a per-part limit costs twenty times as much (before #13's follow-up, nineteen junk "worksheets"
of 790,000 elements each passed after 8 s of scanning). They are sized for what a findings list
needs (the importer's 5,000 measures × a dozen columns, with room) so that the worst workbook the
guard lets through is still read within the 2 s budget; attributes count as elements, since each
costs the parsers as much, and no single tag or comment may be longer than a cell's text (expat
parses a long one again at every read). A part that a parser would read as XML in another
encoding than UTF-8 (UTF-16, UCS-4, EBCDIC: no spreadsheet program writes them) is refused
rather than skipped: before, a UTF-16 shared-strings part passed unseen and cost openpyxl 4 s.
Anything else that does not start with ``<`` is a binary part (an image, printer settings) that
openpyxl's read-only mode does not parse.

Limits come from ``settings.XLSX_LIMITS`` (merged over ``DEFAULT_LIMITS``), so that tests can
lower them and keep their crafted files tiny.
"""

import zipfile
from dataclasses import dataclass, fields, replace
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext as _

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_members: int = 300  # files inside the zip
    max_member_bytes: int = 16 * MB  # one member, uncompressed
    max_total_bytes: int = 24 * MB  # all members, uncompressed
    max_ratio: int = 100  # uncompressed / compressed, for members over ratio_floor_bytes
    ratio_floor_bytes: int = 1 * MB
    max_depth: int = 48  # XML nesting
    # One tag, comment or processing instruction (see _Counter); a cell's longest text, 32,767
    # characters of three bytes, fits in one block.
    max_markup_bytes: int = 256 * 1024
    # Element counts include attributes, and each is the workbook's total over its parts.
    # openpyxl builds an object for every style element (~25 µs and ~1 KB each): Excel itself
    # stops at 64,000 cell formats, and a real workbook has a few hundred.
    max_elements: int = 20_000  # in the parts that are neither worksheets nor shared strings
    max_shared_elements: int = 200_000  # in the shared strings (<si>, <t>, rich-text runs)
    max_sheet_elements: int = 400_000  # in the worksheets
    max_rows: int = 5_100  # <row> elements and the highest row number, per sheet
    max_columns: int = 32  # the highest column of any cell or of the sheet's <dimension>
    max_cells: int = 80_000  # <c> elements, in all the worksheets
    max_cell_chars: int = 32_767  # one value, formula or string (Excel's own limit)
    max_text_chars: int = 3_000_000  # all cell and shared-string text in the workbook
    max_shared_strings: int = 80_000  # <si> entries


DEFAULT_LIMITS = Limits()
# A property of a formatted run (<b/>, <sz val=…/> inside <rPr>) becomes an object of its own in
# openpyxl: measured at about three times a plain element's cost, so it counts three times.
RUN_PROPERTY_WEIGHT = 3


def current_limits() -> Limits:
    overrides = getattr(settings, "XLSX_LIMITS", None) or {}
    known = {f.name for f in fields(Limits)}
    return replace(DEFAULT_LIMITS, **{k: v for k, v in overrides.items() if k in known})


class WorkbookRefused(Exception):
    """The workbook is refused; ``message`` says why, in the user's language."""

    def __init__(self, message, *, reason):
        super().__init__(message)
        self.message = message
        self.reason = reason  # a stable code, for tests and the bench


def _mb(n):
    return max(1, n // MB)


def _details(limits):
    return {
        "members": _("压缩包内的文件超过 %(n)d 个") % {"n": limits.max_members},
        "member-size": _("解压后单个部件超过 %(n)d MB") % {"n": _mb(limits.max_member_bytes)},
        "total-size": _("解压后总大小超过 %(n)d MB") % {"n": _mb(limits.max_total_bytes)},
        "ratio": _("压缩比超过 %(n)d 倍，疑似“压缩炸弹”") % {"n": limits.max_ratio},
        "depth": _("内部 XML 嵌套超过 %(n)d 层") % {"n": limits.max_depth},
        "markup": _("内部 XML 的单个标记或注释超过 %(n)d KB")
        % {"n": max(1, limits.max_markup_bytes // 1024)},
        "elements": _("内部 XML 元素数量异常"),
        "rows": _("行数超过 %(n)d 行（空行也计算在内）") % {"n": limits.max_rows},
        "columns": _("列数超过 %(n)d 列") % {"n": limits.max_columns},
        "cells": _("单元格超过 %(n)d 个") % {"n": limits.max_cells},
        "cell-length": _("单个单元格超过 %(n)d 个字符") % {"n": limits.max_cell_chars},
        "text": _("文字总量超过 %(n)d 个字符") % {"n": limits.max_text_chars},
        "shared-strings": _("共享字符串超过 %(n)d 条") % {"n": limits.max_shared_strings},
    }


def _too_big(reason, limits):
    return WorkbookRefused(
        _(
            "文件已拒绝：%(detail)s。为保证系统安全，导入的工作簿须在限定范围内，"
            "请使用下载的模板，只保留需要导入的数据后重试。"
        )
        % {"detail": _details(limits)[reason]},
        reason=reason,
    )


def _unreadable(reason="unreadable"):
    return WorkbookRefused(
        _("上传的文件不是有效的 Excel（.xlsx）文件，请使用下载的模板填写。"), reason=reason
    )


class _Counter:
    """A file-like wrapper that stops reading once more than ``limit`` bytes came out, or once
    a stretch of ``block`` bytes aligned on a multiple of ``block`` holds no ``>``.

    Every piece of markup (a tag with its attributes, a comment, a processing instruction) ends
    with ``>``, and expat 2.5 parses a piece that spans several reads again from its start at
    every read: a 16 MB comment cost openpyxl 5.5 s that way. A stretch of 2 × ``block`` bytes
    without ``>`` always covers one aligned block, so markup is held under 2 × ``block`` bytes
    by a test that costs one ``in`` per block. (Text between tags may be as long, up to
    ``max_cell_chars``; the block is sized to let that through.)
    """

    def __init__(self, raw, limit, on_exceed, *, block, on_markup):
        self.raw, self.limit, self.on_exceed, self.read_bytes = raw, limit, on_exceed, 0
        self.block, self.on_markup, self.pending = block, on_markup, b""

    def read(self, size=-1):
        chunk = self.raw.read(65536 if size is None or size < 0 else min(size, 65536))
        self.read_bytes += len(chunk)
        if self.read_bytes > self.limit:
            raise self.on_exceed()
        data = self.pending + chunk if self.pending else chunk
        block, start = self.block, 0
        while len(data) - start >= block:
            if data.find(b">", start, start + block) < 0:
                raise self.on_markup()
            start += block
        self.pending = data[start:]
        return chunk


def _column_number(ref):
    """'AB12' -> 28; None when ``ref`` does not start with letters."""
    number = 0
    for index, ch in enumerate(ref):
        if "A" <= ch <= "Z":
            number = number * 26 + ord(ch) - 64
        elif "a" <= ch <= "z":
            number = number * 26 + ord(ch) - 96
        else:
            return number if index else None
        if index > 3:  # more letters than XFD has: far past any limit
            return 1 << 30
    return number or None


def _row_number(ref):
    digits = "".join(ch for ch in ref if ch.isdigit())
    if not digits or len(digits) > 9:
        return 1 << 30 if digits else None
    return int(digits)


class _Budget:
    """What the whole workbook has spent so far: every part draws on the same counters."""

    def __init__(self, limits):
        self.limits = limits
        self.text_chars = 0
        self.total_bytes = 0
        self.other_elements = 0  # parts that are neither worksheets nor shared strings
        self.sheet_elements = 0
        self.shared_elements = 0
        self.cells = 0
        self.shared = 0
        self.rows = 0  # the most rows (or the highest row number) of any one sheet


class _Refuse(Exception):
    """Raised inside expat's callbacks: the DTD or entity declaration it saw."""


class _MemberScan:
    """Counts one XML member with expat's callbacks: no tree, no text kept, only lengths."""

    def __init__(self, budget):
        self.budget = budget
        self.limits = budget.limits
        self.depth = self.rows = 0
        self.row_number = self.column = 0
        self.kind = None
        self.text_length = 0
        self.run_properties = 0  # the depth of the <rPr> being read, if any

    def start(self, tag, attributes):
        # ``attributes`` is a flat [name, value, name, value, …] list (ordered_attributes):
        # cheaper than a dict, and its length is what the parsers will spend on it.
        limits, budget = self.limits, self.budget
        name = tag.rpartition(" ")[2]
        self.depth += 1
        if self.depth > limits.max_depth:
            raise _too_big("depth", limits)
        weight = 1 + len(attributes) // 2
        if self.run_properties:
            weight *= RUN_PROPERTY_WEIGHT
        elif name == "rPr":
            self.run_properties = self.depth
        if self.kind is None:
            self.kind = name
        self.text_length = 0
        if self.kind == "worksheet":
            budget.sheet_elements += weight
            if budget.sheet_elements > limits.max_sheet_elements:
                raise _too_big("elements", limits)
            if name == "row":
                self.rows += 1
                ref = _attribute(attributes, "r")
                self.row_number = (_row_number(ref) if ref else None) or self.row_number + 1
                self.column = 0
                budget.rows = max(budget.rows, self.rows, self.row_number)
                if budget.rows > limits.max_rows:
                    raise _too_big("rows", limits)
            elif name == "c":
                budget.cells += 1
                ref = _attribute(attributes, "r")
                self.column = (_column_number(ref) if ref else None) or self.column + 1
                if self.column > limits.max_columns:
                    raise _too_big("columns", limits)
                if budget.cells > limits.max_cells:
                    raise _too_big("cells", limits)
            elif name == "dimension":
                _check_dimension(_attribute(attributes, "ref") or "", limits)
        elif self.kind == "sst":
            budget.shared_elements += weight
            if budget.shared_elements > limits.max_shared_elements:
                raise _too_big("elements", limits)
            if name == "si":
                budget.shared += 1
                if budget.shared > limits.max_shared_strings:
                    raise _too_big("shared-strings", limits)
        else:
            budget.other_elements += weight
            if budget.other_elements > limits.max_elements:
                raise _too_big("elements", limits)

    def end(self, tag):
        if self.depth == self.run_properties:
            self.run_properties = 0
        self.depth -= 1
        self.text_length = 0

    def text(self, data):
        # Every run of text counts, inside a value or not: a tree builder keeps it all.
        limits = self.limits
        self.text_length += len(data)
        if self.text_length > limits.max_cell_chars:
            raise _too_big("cell-length", limits)
        self.budget.text_chars += len(data)
        if self.budget.text_chars > limits.max_text_chars:
            raise _too_big("text", limits)


def _attribute(attributes, wanted):
    for index in range(0, len(attributes), 2):
        if attributes[index] == wanted:
            return attributes[index + 1]
    return None


def _refuse_declaration(*args):
    raise _Refuse


def _scan_member(stream, budget):
    scan = _MemberScan(budget)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.ordered_attributes = True
    # Text in one callback per run (up to the buffer), not one per line or entity reference.
    parser.buffer_text = True
    parser.buffer_size = 65536
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.CharacterDataHandler = scan.text
    # No DTD at all: no entity expansion ("billion laughs"), nothing external.
    parser.StartDoctypeDeclHandler = _refuse_declaration
    parser.EntityDeclHandler = _refuse_declaration
    parser.ExternalEntityRefHandler = _refuse_declaration
    while chunk := stream.read(65536):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _check_dimension(ref, limits):
    for corner in ref.split(":"):
        column, row = _column_number(corner), _row_number(corner)
        if (column or 0) > limits.max_columns:
            raise _too_big("columns", limits)
        if (row or 0) > limits.max_rows:
            raise _too_big("rows", limits)


# How a part that a reader would parse as XML in another encoding than UTF-8 begins (XML 1.0
# appendix F): expat also reads UTF-16, with or without a byte-order mark; libxml2 (openpyxl's
# ``fromstring``) also UCS-4 and EBCDIC. No spreadsheet program writes them, and the checks
# here read UTF-8 (see _Counter), so such a part is refused rather than skipped as a binary.
_FOREIGN = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"Lo\xa7\x94")


def _kind_of(archive, info):
    """Whether to scan the part as XML ("xml"), skip it as a binary no reader parses as XML
    ("binary"), or refuse it ("foreign")."""
    with archive.open(info) as member:
        head = member.read(64)
    # UTF-16 or UCS-4 without a byte-order mark, even after blanks: "<" next to a zero byte.
    wide = b"\x00" in head[:4] and (b"<\x00" in head or b"\x00<" in head)
    if wide or head.startswith(_FOREIGN):
        return "foreign"
    return "xml" if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") else "binary"


def check_workbook(upload, limits: Limits | None = None) -> None:
    """Raise ``WorkbookRefused`` unless ``upload`` (a file object) is a workbook within bounds.

    The file position is put back at the start afterwards.
    """
    _check(upload, limits or current_limits())


def usage(upload) -> dict[str, int]:
    """What ``upload`` spends of each budget, counted without limits (for tests and bench/)."""
    budget = _check(upload, Limits(**{f.name: 1 << 60 for f in fields(Limits)}))
    return {
        "total_bytes": budget.total_bytes,
        "other_elements": budget.other_elements,
        "sheet_elements": budget.sheet_elements,
        "shared_elements": budget.shared_elements,
        "rows": budget.rows,
        "cells": budget.cells,
        "text_chars": budget.text_chars,
        "shared_strings": budget.shared,
    }


def _check(upload, limits):
    budget = _Budget(limits)
    upload.seek(0)
    try:
        try:
            archive = zipfile.ZipFile(upload)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise _unreadable() from error
        with archive:
            members = archive.infolist()
            if len(members) > limits.max_members:
                raise _too_big("members", limits)
            declared = 0
            for info in members:
                if info.file_size > limits.max_member_bytes:
                    raise _too_big("member-size", limits)
                declared += info.file_size
                if declared > limits.max_total_bytes:
                    raise _too_big("total-size", limits)
                if (
                    info.file_size > limits.ratio_floor_bytes
                    and info.file_size > limits.max_ratio * max(info.compress_size, 1)
                ):
                    raise _too_big("ratio", limits)
            for info in members:
                if info.is_dir():
                    continue
                try:
                    kind = _kind_of(archive, info)
                    if kind == "foreign":
                        raise _unreadable("encoding")
                    if kind == "binary":
                        continue  # images and other binaries: openpyxl's read-only mode skips them
                    with archive.open(info) as raw:
                        # The declared size may lie: count what actually comes out.
                        limit = min(
                            info.file_size,
                            limits.max_member_bytes,
                            limits.max_total_bytes - budget.total_bytes,
                        )
                        stream = _Counter(
                            raw,
                            limit,
                            lambda: _too_big("total-size", limits),
                            block=max(1, limits.max_markup_bytes // 2),
                            on_markup=lambda: _too_big("markup", limits),
                        )
                        _scan_member(stream, budget)
                        budget.total_bytes += stream.read_bytes
                except WorkbookRefused:
                    raise
                except (expat.ExpatError, _Refuse) as error:
                    raise _unreadable("xml") from error
                except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as error:
                    # Bad CRC, damaged deflate stream, encrypted member...
                    raise _unreadable("zip") from error
                except NotImplementedError as error:  # a compression method zipfile lacks
                    raise _unreadable("zip") from error
    finally:
        upload.seek(0)
    return budget
