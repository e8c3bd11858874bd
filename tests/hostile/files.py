"""Bytes for the hostile corpus, built when a test asks for them (nothing big is kept in git)."""

import io
import zipfile

from PIL import Image

from rectification import importer

# The smallest file libmagic calls application/pdf and the portal's check accepts.
from tests.samples import ONE_PAGE_PDF

PDF = ONE_PAGE_PDF
# Enough of an ELF / PE header for libmagic to name the executable.
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 100
PE = (
    b"MZ\x90\x00\x03" + b"\x00" * 58 + b"This program cannot be run in DOS mode.\r\n" + b"\x00" * 64
)
SCRIPT = b"<script>alert(document.cookie)</script>"
HTML = b"<!DOCTYPE html><html><body>" + SCRIPT + b"</body></html>"
PNG_THEN_HTML = b"\x89PNG\r\n\x1a\n<html>" + SCRIPT + b"</html>"
JPEG_THEN_HTML = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00<html>" + SCRIPT + b"</html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    + SCRIPT
    + b"</svg>"
)
TEXT = "会议纪要：这是一段纯文本。\n".encode()


def image(fmt):
    stream = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(stream, format=fmt)
    return stream.getvalue()


def png():
    return image("PNG")


def jpeg():
    return image("JPEG")


def truncated_png():
    """A PNG cut off inside its image data: the header says PNG, the picture is broken."""
    stream = io.BytesIO()
    Image.effect_noise((64, 64), 64).convert("RGB").save(stream, format="PNG")
    data = stream.getvalue()
    return data[: len(data) // 2]


def xlsx(organisation):
    """The import template: a workbook whose two example rows are valid for ``organisation``."""
    stream = io.BytesIO()
    importer.template_workbook(stream, organisation)
    return stream.getvalue()


def padded_pdf(size):
    """A valid PDF followed by a comment line, exactly ``size`` bytes long."""
    filler = size - len(PDF) - 2
    return PDF + b"%" + b"0" * filler + b"\n"


def padded_xlsx(data, size):
    """``data`` (an .xlsx) with an extra stored member, so that the file is exactly ``size``
    bytes and still opens in Excel and openpyxl."""

    def build(payload):
        out = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(data)) as source,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            for info in source.infolist():
                target.writestr(info, source.read(info.filename))
            target.writestr(
                zipfile.ZipInfo("docProps/padding.bin"), b"\0" * payload, zipfile.ZIP_STORED
            )
        return out.getvalue()

    first = build(0)
    result = build(size - len(first))
    assert len(result) == size
    return result


def multipart(fields, files, boundary="hostile-boundary-7f3a"):
    """A multipart/form-data body with the file names exactly as given (bytes).

    Django's test client puts ``os.path.basename(name)`` in the header, so a name with ``../``
    or a NUL would never reach the server; a browser (or an attacker) can send anything.
    """
    lines = []
    for name, values in fields.items():
        for value in values if isinstance(values, list | tuple) else [values]:
            lines += [
                f"--{boundary}".encode(),
                f'Content-Disposition: form-data; name="{name}"'.encode(),
                b"",
                str(value).encode(),
            ]
    for field, filename, data in files:
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{field}"; filename="'.encode()
            + filename
            + b'"',
            b"Content-Type: application/octet-stream",
            b"",
            data,
        ]
    lines += [f"--{boundary}--".encode(), b""]
    return b"\r\n".join(lines), f"multipart/form-data; boundary={boundary}"


# -- files that parse as what they claim and still act when opened (issue #13) -------------------
def _pdf_with(catalog_extra=b"", objects=b""):
    return PDF.replace(b"/Pages 2 0 R>>", b"/Pages 2 0 R" + catalog_extra + b">>").replace(
        b"trailer", objects + b"trailer"
    )


PDF_OPEN_JAVASCRIPT = _pdf_with(b"/OpenAction<</S/JavaScript/JS(app.alert(1))>>")
# The name written with a #xx escape, and the script one indirect object away.
PDF_NAMED_JAVASCRIPT = _pdf_with(
    b"/Names<</J#61vaScript 4 0 R>>",
    b"4 0 obj<</Names[(a) 5 0 R]>>endobj\n5 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj\n",
)
PDF_LAUNCH = _pdf_with(b"/OpenAction<</S/Launch/F(cmd.exe)>>")
PDF_EMBEDDED_FILE = _pdf_with(
    b"/Names<</EmbeddedFiles 4 0 R>>",
    b"4 0 obj<</Names[(a.exe) 5 0 R]>>endobj\n"
    b"5 0 obj<</Type/Filespec/F(a.exe)/EF<</F 6 0 R>>>>endobj\n"
    b"6 0 obj<</Type/EmbeddedFile/Length 2>>stream\nMZ\nendstream endobj\n",
)
HTML_AS_PDF = b"%PDF-1.4\n" + HTML
PDF_HEADER_ONLY = b"%PDF-1.7\n" + b"0" * 200 + b"\n%%EOF\n"


def png_then_html():
    """A valid PNG with an HTML page after its end."""
    return png() + HTML


def png_with_html_text():
    """A valid PNG carrying an HTML page in a text chunk."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", HTML.decode())
    stream = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(stream, format="PNG", pnginfo=info)
    return stream.getvalue()


def png_too_many_pixels(width=60_000, height=60_000):
    """A 1×1 PNG whose header claims ``width`` × ``height``: a decompression bomb's shape."""
    import struct
    import zlib

    data = bytearray(png())
    ihdr = 8  # after the signature: length (4), b"IHDR" (4), width, height, ...
    data[ihdr + 8 : ihdr + 16] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr + 4 : ihdr + 8 + 13]))
    data[ihdr + 8 + 13 : ihdr + 8 + 17] = struct.pack(">I", crc)
    return bytes(data)


DOCX_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" '
    b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="%s"/>%s</Types>'
)
DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = b"application/vnd.ms-word.document.macroEnabled.main+xml"


def docx(main=DOCX_MAIN, extra=None, overrides=b""):
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES % (main, overrides))
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
            'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>整改报告'
            "</w:t></w:r></w:p></w:body></w:document>",
        )
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return stream.getvalue()


OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def docx_with_vba():
    return docx(extra={"word/vbaProject.bin": OLE_HEADER + b"\0" * 500})


def docm_renamed():
    return docx(main=DOCM_MAIN)


def broken_ole():
    return OLE_HEADER + b"\0" * 1024


# Opening at page 1 is an ordinary destination, not an action that runs anything.
PDF_OPEN_AT_FIRST_PAGE = _pdf_with(b"/OpenAction[3 0 R/Fit]")
# A script on a page event (additional actions), not on the catalogue.
PDF_PAGE_EVENT_JAVASCRIPT = PDF.replace(
    b"/MediaBox[0 0 595 842]>>", b"/MediaBox[0 0 595 842]/AA<</O<</S/JavaScript/JS(x)>>>>>>"
)
