"""Excel (.xlsx) ledgers: streamed with openpyxl's write-only mode so that size stays flat."""

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .downloads import content_disposition


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[object], object]
    width: int = 14


def _plain(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date | int | float) or value is None:
        return value
    return str(value)


# A cell starting with one of these is a formula to Excel, WPS or LibreOffice once read from CSV.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(sheet, value):
    """A cell's value as typed in: text stays text.

    Control characters cannot be stored in the file's XML (openpyxl refuses the whole row), and
    a text that starts with "=", "+", "-", "@", a tab or a carriage return (a title typed as
    "=HYPERLINK(…)") would otherwise be a formula in the reader's Excel, at the latest once the
    ledger is saved as CSV.
    """
    value = _plain(value)
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith(FORMULA_STARTS):
        return value
    # Written as text, and with a leading apostrophe (OWASP's CSV-injection advice), so that it
    # stays text even once the ledger is saved as CSV and opened again (issue #13).
    cell = WriteOnlyCell(sheet, value="'" + value)
    cell.data_type = "s"
    return cell


def write_workbook(title: str, columns: list[Column], rows: Iterable, stream) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A3"
    title_cell = WriteOnlyCell(sheet, value=title)
    title_cell.font = Font(bold=True, size=14)
    sheet.append([title_cell])
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2DCDB")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(sheet, column.value(row)) for column in columns])
    workbook.save(stream)


def xlsx_response(filename: str, title: str, columns: list[Column], rows: Iterable, *, fallback=""):
    """A download of ``rows`` named ``filename`` (without ".xlsx"; Chinese is welcome,
    ``fallback`` is the ASCII name); the file is built in a temporary file, not in memory."""
    stream = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    write_workbook(title, columns, rows, stream)
    stream.seek(0)
    response = FileResponse(
        stream,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition(
        f"{filename}.xlsx", f"{fallback or 'ledger'}.xlsx"
    )
    return response
