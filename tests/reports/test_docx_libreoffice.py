"""The DOCX in LibreOffice (Debian's libreoffice-writer, headless): it opens without errors and,
converted to PDF there, keeps the 公文 grid of 22 lines of 28 characters on a full page.

One conversion only: LibreOffice takes seconds to start.
"""

import datetime
import shutil
import subprocess
from collections import Counter

from reports.document import build_document
from reports.docx import render_docx
from reports.services import outline_apply_preset, report_generate_draft

from .docx_helpers import PAGE_NUMBER, squeeze

SENTENCE = "局党组坚持把全面从严治党主体责任扛在肩上、抓在手上，"


def body_lines(pdf, page):
    text = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = [squeeze(line) for line in text.splitlines()]
    return [line for line in lines if line and not PAGE_NUMBER.fullmatch(line)]


def test_libreoffice_opens_the_docx_and_keeps_22_lines_of_28_characters(year_data, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing: apt-get install libreoffice-writer-nogui"
    outline = outline_apply_preset(organisation=year_data.org, preset="seven_areas")
    report, _ = report_generate_draft(organisation=year_data.org, year=2021, outline=outline)
    report.dated = datetime.date(2021, 12, 31)
    report.save()
    # A long opening paragraph: page 2 is then a full page of body text.
    report.sections.filter(order=1).update(text=SENTENCE * 40)
    document = build_document(report, today=datetime.date(2022, 1, 10))
    source = tmp_path / "report.docx"
    source.write_bytes(render_docx(document))

    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = tmp_path / "report.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr
    assert "Error" not in done.stderr

    lines = body_lines(pdf, 2)
    assert len(lines) == 22, lines
    lengths = Counter(len(line) for line in lines)
    assert lengths.most_common(1)[0][0] == 28, lengths
    assert max(lengths) <= 29, lines  # a closing mark may hang at the line's end
    # The text LibreOffice lays out is the report's.
    assert squeeze(SENTENCE) in "".join(lines)
    first = "".join(body_lines(pdf, 1))
    assert squeeze(document["title"])[:10] in first
