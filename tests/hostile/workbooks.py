"""Crafted workbooks that cost a reader far more than their size (issue #13), built from raw XML.

Each builder takes its size as an argument: the tests build tiny ones against lowered limits,
``bench/bench_import_bounds.py`` builds them full size against the real limits.
"""

import io
import random
import zipfile

from common.xlsx_guard import usage
from rectification import importer

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER = list(importer.COLUMNS.values())

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>'
    '<sheet name="问题清单" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}">'
    '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellXfs>'
    "</styleSheet>"
)


def _inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def header_row():
    cells = "".join(_inline(f"{chr(65 + i)}1", label) for i, label in enumerate(HEADER))
    return f'<row r="1">{cells}</row>'


def sheet(body, dimension=None):
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">{dim}'
        f"<sheetData>{body}</sheetData></worksheet>"
    )


def shared(strings):
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}" count="{len(strings)}" '
        f'uniqueCount="{len(strings)}">{items}</sst>'
    )


def package(
    sheet_xml, *, shared_xml=None, styles_xml=STYLES, extra=None, compresslevel=6, stored=False
):
    """A zip in the shape openpyxl reads; ``sheet_xml`` may be str, bytes or an iterable of
    byte chunks (written as they come, for members too large to hold)."""
    stream = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(stream, "w", method, compresslevel=compresslevel) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", styles_xml)
        archive.writestr("xl/sharedStrings.xml", shared_xml or shared([]))
        if isinstance(sheet_xml, str | bytes):
            archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        else:
            with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
                for chunk in sheet_xml:
                    member.write(chunk)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return stream.getvalue()


# -- the crafted files -------------------------------------------------------------------------
def zip_bomb(megabytes):
    """A worksheet of ``megabytes`` MB of blanks inside <sheetData>: ~1000:1 compressed."""
    head, tail = sheet("\x00").encode().split(b"\x00")
    blank = b" " * (1024 * 1024)

    def chunks():
        yield head
        for _ in range(megabytes):
            yield blank
        yield tail

    return package(chunks(), compresslevel=9)


def empty_rows(count, *, dimension=False):
    """The header, then ``count`` empty rows and no <dimension>: openpyxl reads to the end."""

    def chunks():
        head, tail = sheet("\x00", dimension="A1:H1" if dimension else None).encode().split(b"\x00")
        yield head + header_row().encode()
        batch = []
        for number in range(2, count + 2):
            batch.append(f'<row r="{number}"/>')
            if len(batch) == 10_000:
                yield "".join(batch).encode()
                batch = []
        yield "".join(batch).encode() + tail

    return package(chunks())


def far_row(number=1_048_576):
    """The header and one cell in row ``number``: a reader yields every row in between."""
    return package(sheet(header_row() + f'<row r="{number}">{_inline(f"A{number}", "x")}</row>'))


def huge_shared_string(chars, *, compressible=True, seed=0):
    """One shared string of ``chars`` characters and no row that uses it."""
    if compressible:
        text = "长" * chars
    else:
        rng = random.Random(seed)
        text = "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(chars))
    return package(sheet(header_row()), shared_xml=shared([text]))


def many_shared_strings(count):
    strings = [str(i) for i in range(count)]
    return package(sheet(header_row()), shared_xml=shared(strings), stored=True)


def many_columns(columns=16_384):
    """The header and one row with a cell in the last of ``columns`` columns."""
    ref = _column_letters(columns) + "2"
    return package(sheet(header_row() + f'<row r="2">{_inline(ref, "x")}</row>'))


def wide_dimension(columns=16_384, rows=20_000):
    """A <dimension> that claims ``columns`` × ``rows``: openpyxl pads every row to it."""
    ref = f"A1:{_column_letters(columns)}{rows}"
    body = header_row() + "".join(f'<row r="{n}">{_inline(f"A{n}", "x")}</row>' for n in (2, 3))
    return package(sheet(body, dimension=ref))


def many_cells(rows, columns):
    """Rows full of small cells within the row and column bounds."""
    letters = [_column_letters(i) for i in range(1, columns + 1)]

    def chunks():
        head, tail = sheet("\x00").encode().split(b"\x00")
        yield head + header_row().encode()
        for number in range(2, rows + 2):
            yield (
                f'<row r="{number}">'
                + "".join(f'<c r="{col}{number}"><v>1</v></c>' for col in letters)
                + "</row>"
            ).encode()
        yield tail

    return package(chunks())


def long_cell(chars):
    """One inline cell of ``chars`` characters, stored uncompressed (no ratio to trip on)."""
    body = header_row() + f'<row r="2">{_inline("A2", "长" * chars)}</row>'
    return package(sheet(body), stored=True)


def deep_styles(depth):
    """styles.xml nested ``depth`` levels deep (kept under 1 MB, so that no ratio check
    stops it first)."""
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}">'
        + "<fonts>" * depth
        + "</fonts>" * depth
        + "</styleSheet>"
    )
    return package(sheet(header_row()), styles_xml=styles)


def many_styles(count, *, stored=False):
    """styles.xml with ``count`` cell formats: openpyxl builds an object for each."""
    xfs = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>' * count
    styles = STYLES.replace(
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellXfs>',
        f'<cellXfs count="{count}">{xfs}</cellXfs>',
    )
    return package(sheet(header_row()), styles_xml=styles, stored=True)


def entity_bomb():
    """The "billion laughs" in the shared strings."""
    lol = (
        '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
        + f']><sst xmlns="{NS}"><si><t>&j;</t></si></sst>'
    )
    return package(sheet(header_row()), shared_xml=lol)


def many_members(count):
    return package(sheet(header_row()), extra={f"xl/media/x{i}.bin": b"x" for i in range(count)})


def utf16_shared_strings(count=600_000):
    """A shared-strings part in UTF-16: expat reads it, a check that looks for "<" did not."""
    xml = shared([str(i) for i in range(count)]).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return package(sheet(header_row()), shared_xml=xml.encode("utf-16"))


def junk_parts(parts=6, elements=790_000, seed=1):
    """Parts that are not in the workbook but whose root says "worksheet", each with
    ``elements`` small elements (random names, so that they compress only a few times)."""
    rng = random.Random(seed)
    names = "abdefghijklmnopqstuvwxyz"  # no c: a <c> would count as a cell
    extra = {}
    for i in range(parts):
        body = "".join(f"<{rng.choice(names)}/>" for _ in range(elements))
        extra[f"xl/worksheets/junk{i}.xml"] = (
            f'<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData/>{body}</worksheet>'
        )
    return package(sheet(header_row()), extra=extra)


def long_comments(megabytes=16, seed=1):
    """The worksheet padded with one comment of ``megabytes`` MB: expat 2.5 parses a comment
    that spans reads again at every read (quadratic)."""
    rng = random.Random(seed)
    body = bytearray(b" " * (megabytes * 1024 * 1024))
    for i in range(0, len(body), 20):
        body[i] = rng.choice(b"abcdefghijklmnopqrstuvwxyz")
    head, tail = sheet("\x00").encode().split(b"\x00")
    return package(head + header_row().encode() + b"<!--" + bytes(body) + b"-->" + tail)


def legit(rows, *, text="按照要求完成整改并建立长效机制"):
    """A well-formed list of ``rows`` measures (shared strings, as Excel writes them)."""
    strings = [*HEADER, "方面一", "问题描述", text, "李分管", "基建处", "张处长", "长期坚持"]

    def chunks():
        head, tail = sheet("\x00", dimension=f"A1:H{rows + 1}").encode().split(b"\x00")
        first = "".join(f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(8))
        yield head + f'<row r="1">{first}</row>'.encode()
        for n in range(2, rows + 2):
            yield (
                f'<row r="{n}"><c r="A{n}" t="s"><v>8</v></c><c r="B{n}"><v>{n}</v></c>'
                f'<c r="C{n}" t="s"><v>9</v></c><c r="D{n}" t="s"><v>10</v></c>'
                f'<c r="E{n}" t="s"><v>11</v></c><c r="F{n}" t="s"><v>12</v></c>'
                f'<c r="G{n}" t="s"><v>13</v></c><c r="H{n}" t="s"><v>14</v></c></row>'
            ).encode()
        yield tail

    return package(chunks(), shared_xml=shared(strings))


def _column_letters(number):
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# -- at the edge of the limits -----------------------------------------------------------------
# Each shape spends one budget of ``common.xlsx_guard.Limits`` to its last unit (``over=False``:
# the worst file a guarded reader lets through in that shape) or one unit past it (``over=True``:
# refused only after nearly all of it was read). A shape is a base that spends most of the budget
# plus ``pad`` units of filler that weigh exactly one unit each; the guard's own ``usage`` says
# how much the base spends, so the edge is exact whatever the header and the packaging cost.


def _grid(cells, columns, cell, *, first_row=2):
    """<row>s holding ``cells`` cells, ``columns`` to a row; ``cell(ref, index)`` is one's XML."""
    letters = [_column_letters(i) for i in range(1, columns + 1)]
    out, index, number = [], 0, first_row
    while index < cells:
        width = min(columns, cells - index)
        cells_xml = "".join(cell(f"{letters[i]}{number}", index + i) for i in range(width))
        out.append(f'<row r="{number}">{cells_xml}</row>')
        index += width
        number += 1
    return "".join(out)


def _width(limits, cells):
    """Columns enough to keep ``cells`` within the sheet's rows (the header takes one)."""
    return min(limits.max_columns, max(len(HEADER), -(-cells // (limits.max_rows - 2))))


def _number_cell(ref, i):
    return f'<c r="{ref}"><v>{i % 10}</v></c>'


def _cells_shape(limits, pad):
    """Numbers in cells; ``pad`` more cells (budget: cells)."""
    cells = int(limits.max_cells * 0.9) + pad
    return package(sheet(header_row() + _grid(cells, _width(limits, cells), _number_cell)))


def _dates_shape(limits, pad):
    """ISO dates (``t="d"``), which openpyxl parses one by one (budget: cells)."""
    cells = int(limits.max_cells * 0.9) + pad

    def cell(ref, i):
        return f'<c r="{ref}" t="d"><v>2026-06-{1 + i % 28:02d}T08:30:00</v></c>'

    return package(sheet(header_row() + _grid(cells, _width(limits, cells), cell)))


def _text_shape(limits, pad):
    """Inline strings in most of the cells, sharing the text budget; ``pad`` more characters
    spread over the last ones (budget: text characters)."""
    cells = int(limits.max_cells * 0.9)
    each = min(int(limits.max_text_chars * 0.9) // cells, limits.max_cell_chars // 2)
    room = limits.max_cell_chars - each  # what one cell can take of the pad
    extra = [0] * cells
    for i in range(cells - 1, -1, -1):
        extra[i], pad = min(pad, room), pad - min(pad, room)

    def cell(ref, i):
        return _inline(ref, "长" * (each + extra[i]))

    return package(sheet(header_row() + _grid(cells, _width(limits, cells), cell)))


def _shared_strings_shape(limits, pad):
    """Distinct shared strings, each used by one cell while cells last; ``pad`` more strings
    (budget: shared strings)."""
    count = int(limits.max_shared_strings * 0.9) + pad
    each = max(1, min(int(limits.max_text_chars * 0.8) // count, 40))
    strings = [f"{i:0{each}d}"[-each:] for i in range(count)]
    cells = min(count, int(limits.max_cells * 0.9))

    def cell(ref, i):
        return f'<c r="{ref}" t="s"><v>{i}</v></c>'

    body = header_row() + _grid(cells, _width(limits, cells), cell)
    return package(sheet(body), shared_xml=shared(strings))


RUN = '<r><rPr><b/><i/><sz val="11"/><color rgb="FFFF0000"/><rFont val="SimSun"/></rPr><t>x</t></r>'
RUN_WEIGHT = 27  # elements, attributes included, each run property three times


def _rich_shared_shape(limits, pad):
    """Shared strings of formatted runs (openpyxl builds a font object for each run), then
    ``pad`` empty <t/> in the last one (budget: shared-string elements)."""
    runs = int(limits.max_shared_elements * 0.9) // (RUN_WEIGHT + 1)
    strings = ["<si>" + RUN + "</si>"] * runs
    strings[-1] = "<si>" + RUN + "<t/>" * pad + "</si>"
    xml = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}">' + "".join(strings) + "</sst>"
    cells = min(runs, int(limits.max_cells * 0.9))

    def cell(ref, i):
        return f'<c r="{ref}" t="s"><v>{i}</v></c>'

    body = header_row() + _grid(cells, _width(limits, cells), cell)
    return package(sheet(body), shared_xml=xml, stored=True)


def _rich_inline_shape(limits, pad):
    """Inline strings of formatted runs in the cells, then ``pad`` empty elements after the
    sheet data (budget: worksheet elements)."""
    per_cell = 8
    cells = int(limits.max_sheet_elements * 0.9) // (per_cell * RUN_WEIGHT + 4)
    cells = min(cells, int(limits.max_cells * 0.9))

    def cell(ref, i):
        return f'<c r="{ref}" t="inlineStr"><is>{RUN * per_cell}</is></c>'

    body = header_row() + _grid(cells, _width(limits, cells), cell)
    xml = sheet(body).replace("</worksheet>", "<x/>" * pad + "</worksheet>")
    return package(xml, stored=True)


def _styles_shape(limits, pad):
    """Cell formats, each an object openpyxl builds; ``pad`` more (budget: elements of the
    other parts)."""
    count = int(limits.max_elements * 0.9) + pad
    styles = STYLES.replace(
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellXfs>',
        "<cellXfs>" + "<xf/>" * count + "</cellXfs>",
    )
    return package(sheet(header_row()), styles_xml=styles, stored=True)


def _padded_rows_shape(limits, pad):
    """A <dimension> as wide and tall as allowed, one cell per row: openpyxl pads each row to
    the full width (budget: rows)."""
    rows = int(limits.max_rows * 0.9) + pad
    ref = f"A1:{_column_letters(limits.max_columns)}{rows}"
    body = header_row() + "".join(
        f'<row r="{n}">{_number_cell(f"A{n}", n)}</row>' for n in range(2, rows + 1)
    )
    return package(sheet(body, dimension=ref))


def _bytes_shape(limits, pad):
    """XML comments, which no counter but the bytes sees, each as long as a piece of markup may
    be, filling each part to the per-part size and the workbook to its total size, compressed
    several times less than the ratio allowed; ``pad`` more bytes in a part of their own
    (budget: total uncompressed bytes)."""
    rng = random.Random(1)
    stride = max(2, limits.max_ratio // 4)  # one random letter in every ``stride`` bytes
    longest = limits.max_markup_bytes // 2 - 16

    def comments(size):
        out = []
        while size > 0:
            length = min(size, longest)
            if length < 8:
                out.append(b" " * length)
                break
            body = bytearray(b" " * (length - 7))
            for i in range(0, len(body), stride):
                body[i] = rng.choice(b"abcdefghijklmnopqrstuvwxyz")
            out.append(b"<!--" + bytes(body) + b"-->")
            size -= length
        return b"".join(out)

    head, tail = sheet("\x00").encode().split(b"\x00")
    base = head + header_row().encode()
    room = int(limits.max_member_bytes * 0.95)
    parts = max(1, int(limits.max_total_bytes * 0.95) // room)
    first = base + comments(room - len(base) - len(tail)) + tail
    extra = {f"xl/extra{i}.xml": b"<x>" + comments(room - 7) + b"</x>" for i in range(parts - 1)}
    if pad:  # a part of exactly ``pad`` bytes
        extra["xl/pad.xml"] = b"<x>" + comments(pad - 7) + b"</x>" if pad >= 7 else b" " * pad
    return package(first, extra=extra)


def _edge(shape, counter, limit):
    def build(limits, *, over=False):
        used = usage(io.BytesIO(shape(limits, 0)))[counter]
        return shape(limits, getattr(limits, limit) - used + over)

    return build


# name -> (build(limits, over=…), the guard's refusal reason when over)
EDGES = {
    "cells": (_edge(_cells_shape, "cells", "max_cells"), "cells"),
    "dates": (_edge(_dates_shape, "cells", "max_cells"), "cells"),
    "text": (_edge(_text_shape, "text_chars", "max_text_chars"), "text"),
    "shared_strings": (
        _edge(_shared_strings_shape, "shared_strings", "max_shared_strings"),
        "shared-strings",
    ),
    "rich_shared": (
        _edge(_rich_shared_shape, "shared_elements", "max_shared_elements"),
        "elements",
    ),
    "rich_inline": (_edge(_rich_inline_shape, "sheet_elements", "max_sheet_elements"), "elements"),
    "styles": (_edge(_styles_shape, "other_elements", "max_elements"), "elements"),
    "padded_rows": (_edge(_padded_rows_shape, "rows", "max_rows"), "rows"),
    "bytes": (_edge(_bytes_shape, "total_bytes", "max_total_bytes"), "total-size"),
}
