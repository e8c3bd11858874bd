"""Crafted workbooks that cost a reader far more than their size (issue #13), built from raw XML.

Each builder takes its size as an argument: the tests build tiny ones against lowered limits,
``bench/bench_import_bounds.py`` builds them full size against the real limits.
"""

import io
import random
import zipfile

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
