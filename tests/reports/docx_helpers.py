"""Read a DOCX back: its text by paragraph and table cell, and its XML parts."""

import io
import re
import subprocess
import zipfile
from collections import Counter

from docx import Document
from docx.oxml.ns import qn

PAGE_NUMBER = re.compile(r"—\s*\d+\s*—")


def docx_text(data):
    """(body text, appendix text): paragraphs in order, then every table cell."""
    document = Document(io.BytesIO(data))
    body, appendix, in_appendix = [], [], False
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            text = "".join(t.text or "" for t in block.iter(qn("w:t")))
            if re.fullmatch(r"附件\d+", text.strip()):
                in_appendix = True
            (appendix if in_appendix else body).append(text)
        elif block.tag == qn("w:tbl"):
            appendix.extend(t.text or "" for t in block.iter(qn("w:t")))
    return "\n".join(body), "\n".join(appendix)


def part(data, name):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name).decode()


def pdf_text(path):
    """(body text, appendix text) of a PDF, page numbers left out."""
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = PAGE_NUMBER.sub("", text)
    match = re.search(r"^\s*附件\s*1\s*$", text, flags=re.M)
    if match is None:
        return text, ""
    return text[: match.start()], text[match.start() :]


def squeeze(text):
    return re.sub(r"\s+", "", text)


def chars(text):
    return Counter(squeeze(text))
