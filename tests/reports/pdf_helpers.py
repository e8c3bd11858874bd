"""Read a PDF back the way a checker would: poppler's pdftotext -bbox and pdffonts."""

import re
import subprocess
from pathlib import Path

MM = 72 / 25.4


def words(pdf_path):
    """[(page number, xMin, yMin, xMax, yMax, text)] for every word, in points."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    result, page = [], 0
    for line in out.splitlines():
        if line.strip().startswith("<page "):
            page += 1
            continue
        m = re.search(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>',
            line,
        )
        if m:
            result.append((page, *map(float, m.groups()[:4]), m.group(5)))
    return result


def page_sizes(pdf_path):
    out = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "1000", str(pdf_path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        tuple(map(float, m)) for m in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)
    ]


def fonts(pdf_path):
    """[(name, emb, sub)] from pdffonts."""
    out = subprocess.run(
        ["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    rows = []
    for line in out:
        parts = line.split()
        # name ... emb sub uni object ID: the flags are the 5th-3rd from the end
        rows.append((parts[0], parts[-5], parts[-4]))
    return rows


def text(pdf_path):
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout


def write(tmp_path: Path, pdf: bytes, name="report.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path
