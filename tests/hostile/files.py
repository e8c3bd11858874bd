"""Bytes for the hostile corpus, built when a test asks for them (nothing big is kept in git)."""

import io
import zipfile

from PIL import Image

from rectification import importer

# The smallest file libmagic calls application/pdf and the portal's check accepts.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
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
