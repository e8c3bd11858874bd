"""Ledger cells that a spreadsheet would take for a formula stay text, even saved as CSV (#13)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from common.excel import Column, write_workbook

DANGEROUS = [
    '=HYPERLINK("http://evil.example","点击")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


def _ledger(values):
    stream = io.BytesIO()
    write_workbook("整改台账", [Column("标题", lambda row: row)], values, stream)
    stream.seek(0)
    sheet = load_workbook(stream).active
    return [row[0] for row in sheet.iter_rows(min_row=3)]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_formula_like_cell_is_written_as_text_with_a_leading_apostrophe(value):
    (cell,) = _ledger([value])
    assert cell.data_type == "s"
    assert cell.value == "'" + value


def test_saved_as_csv_no_cell_starts_a_formula():
    cells = _ledger(DANGEROUS)
    out = io.StringIO()
    csv.writer(out).writerows([[cell.value] for cell in cells])
    for (text,) in csv.reader(io.StringIO(out.getvalue())):
        assert not text.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_ordinary_text_and_numbers_are_unchanged():
    cells = _ledger(["整改完成", "2026-06-30", -5, 3.5])
    assert [cell.value for cell in cells] == ["整改完成", "2026-06-30", -5, 3.5]
