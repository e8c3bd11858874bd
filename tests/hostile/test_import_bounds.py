"""Workbooks that cost far more than their size are refused before openpyxl parses them (#13).

The guard's limits are lowered here (``settings.XLSX_LIMITS``) so that every crafted file stays a
few kilobytes; ``bench/bench_import_bounds.py`` builds the full-size ones against the real limits
and measures CPU and memory.
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from common.xlsx_guard import WorkbookRefused, check_workbook, current_limits
from rectification import importer
from rectification.models import Finding, FindingImport
from tests.rectification.factories import InspectionFactory

from . import workbooks as w

SMALL = {
    "max_members": 20,
    "max_member_bytes": 300_000,
    "max_total_bytes": 400_000,
    "max_ratio": 50,
    "ratio_floor_bytes": 20_000,
    "max_depth": 30,
    "max_elements": 300,
    "max_shared_elements": 300,
    "max_sheet_elements": 3_000,
    "max_rows": 60,
    "max_columns": 12,
    "max_cells": 400,
    "max_cell_chars": 500,
    "max_text_chars": 5_000,
    "max_shared_strings": 100,
}

CRAFTED = {
    "zip bomb": (lambda: w.zip_bomb(1), {"member-size", "ratio"}),
    "empty rows, no dimension": (lambda: w.empty_rows(1_000), {"rows"}),
    "empty rows, small dimension": (lambda: w.empty_rows(1_000, dimension=True), {"rows"}),
    "row 1,048,576": (w.far_row, {"rows"}),
    "huge shared string": (lambda: w.huge_shared_string(100_000), {"ratio", "member-size"}),
    "long random shared string": (
        lambda: w.huge_shared_string(2_000, compressible=False),
        {"cell-length"},
    ),
    "many shared strings": (lambda: w.many_shared_strings(500), {"elements", "shared-strings"}),
    "long inline cell": (lambda: w.long_cell(1_000), {"cell-length"}),
    "column XFD": (w.many_columns, {"columns"}),
    "dimension A1:XFD20000": (w.wide_dimension, {"columns"}),
    "many cells": (lambda: w.many_cells(50, 12), {"cells"}),
    "deep styles": (lambda: w.deep_styles(100), {"depth"}),
    "many styles": (lambda: w.many_styles(1_000, stored=True), {"elements"}),
    "entity bomb": (w.entity_bomb, {"xml"}),
    "many zip members": (lambda: w.many_members(50), {"members"}),
}


@pytest.fixture
def small_limits(settings):
    settings.XLSX_LIMITS = SMALL


@pytest.mark.parametrize("case", CRAFTED)
def test_the_guard_refuses_each_crafted_shape_for_its_reason(small_limits, case):
    build, reasons = CRAFTED[case]
    with pytest.raises(WorkbookRefused) as refused:
        check_workbook(io.BytesIO(build()))
    assert refused.value.reason in reasons
    assert "文件" in refused.value.message


def test_a_workbook_within_the_limits_passes(small_limits):
    check_workbook(io.BytesIO(w.legit(40)))


def test_the_import_template_passes_the_real_limits(world):
    stream = io.BytesIO()
    importer.template_workbook(stream, world.org)
    check_workbook(stream)
    assert stream.tell() == 0


def test_the_real_limits_leave_room_for_the_largest_allowed_list():
    """5,000 rows of the template's 8 columns, below a title of up to 5 rows (the bench reads
    such a list in full: ``legit_5000_rows``)."""
    limits = current_limits()
    rows = importer.MAX_ROWS + importer.HEADER_SEARCH_ROWS
    assert limits.max_rows >= rows
    assert limits.max_cells >= rows * len(importer.COLUMNS)
    assert limits.max_columns >= len(importer.COLUMNS)


def test_not_a_zip_is_unreadable():
    with pytest.raises(WorkbookRefused) as refused:
        check_workbook(io.BytesIO(b"PK\x03\x04 not really"))
    assert "不是有效的 Excel" in refused.value.message


@pytest.mark.parametrize("case", ["empty rows, no dimension", "row 1,048,576", "deep styles"])
def test_the_upload_page_refuses_a_crafted_workbook_in_chinese_and_keeps_nothing(
    small_limits, login, world, case
):
    inspection = InspectionFactory(organisation=world.org)
    client = login(world.office)
    upload = SimpleUploadedFile("清单.xlsx", CRAFTED[case][0]())
    response = client.post(
        reverse("rectification:import-upload", args=[inspection.pk]), {"file": upload}
    )
    assert response.status_code == 200
    assert "文件已拒绝" in response.text
    assert not FindingImport.objects.exists()
    assert not Finding.objects.filter(inspection=inspection).exists()


def test_empty_rows_count_toward_the_row_cap(monkeypatch, world):
    """Before #13 the empty rows were skipped before the cap was counted."""
    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(importer.COLUMNS.values()))
    for _ in range(5):
        sheet.append([None] * 8)
    sheet.append(["方面", 1, "问题", "措施", "李分管", "基建处", "张处长", "长期坚持"])
    stream = io.BytesIO()
    workbook.save(stream)
    inspection = InspectionFactory(organisation=world.org)
    result = importer.parse(SimpleUploadedFile("x.xlsx", stream.getvalue()), inspection)
    assert not result.ok
    assert any("一次最多导入 3 行" in problem.message for problem in result.problems)


# -- the edges of every budget (#13: "refused or accepted within 2 s, whatever its shape") ----
# The shapes of ``workbooks.EDGES`` against limits in the real ones' proportions, 1/200 of the size.
EDGE = {
    **SMALL,
    "max_rows": 60,
    "max_columns": 12,
    "max_cells": 400,
    "max_text_chars": 15_000,
    "max_sheet_elements": 2_000,
    "max_shared_elements": 1_000,
    "max_shared_strings": 400,
}


@pytest.fixture
def edge_limits(settings):
    settings.XLSX_LIMITS = EDGE
    return current_limits()


@pytest.mark.parametrize("shape", w.EDGES)
def test_a_workbook_spending_a_budget_to_its_last_unit_is_read_in_full(edge_limits, shape):
    build, _reason = w.EDGES[shape]
    data = build(edge_limits)
    check_workbook(io.BytesIO(data))
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    assert sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True)) >= 1


@pytest.mark.parametrize("shape", w.EDGES)
def test_one_unit_past_a_budget_is_refused_for_that_budget(edge_limits, shape):
    build, reason = w.EDGES[shape]
    with pytest.raises(WorkbookRefused) as refused:
        check_workbook(io.BytesIO(build(edge_limits, over=True)))
    assert refused.value.reason == reason


def test_the_budgets_are_the_workbooks_not_each_parts(small_limits):
    """Three parts rooted <worksheet>, each under the element budget, together over it: before,
    nineteen such parts passed after 8 s of scanning."""
    data = w.junk_parts(parts=3, elements=1_200)
    assert w.usage(io.BytesIO(data))["sheet_elements"] > SMALL["max_sheet_elements"]
    with pytest.raises(WorkbookRefused) as refused:
        check_workbook(io.BytesIO(data))
    assert refused.value.reason == "elements"


def test_a_utf16_part_is_refused_not_skipped(small_limits):
    """openpyxl's expat reads UTF-16; the guard skipped any part not starting with "<"."""
    with pytest.raises(WorkbookRefused) as refused:
        check_workbook(io.BytesIO(w.utf16_shared_strings(10)))
    assert refused.value.reason == "encoding"
    assert "不是有效的 Excel" in refused.value.message


def test_an_image_part_is_not_parsed_as_xml(small_limits):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)
    check_workbook(io.BytesIO(w.package(w.sheet(w.header_row()), extra={"xl/media/a.png": png})))


def test_markup_longer_than_the_limit_is_refused(settings):
    """A comment spanning reads is parsed again from its start at each read (expat 2.5)."""
    settings.XLSX_LIMITS = {**SMALL, "max_markup_bytes": 4096}
    with pytest.raises(WorkbookRefused) as refused:
        check_workbook(io.BytesIO(_comment_of(5_000)))
    assert refused.value.reason == "markup"
    assert "4 KB" in refused.value.message


def _comment_of(size):
    head, tail = w.sheet("\x00").encode().split(b"\x00")
    return w.package(head + w.header_row().encode() + b"<!--" + b"x " * (size // 2) + b"-->" + tail)


def test_a_cell_of_the_longest_text_fits_in_the_markup_bound():
    """32,767 characters of three bytes in UTF-8: the text between two tags, not one piece of
    markup, yet the bound is by bytes between ">"s."""
    check_workbook(io.BytesIO(w.long_cell(current_limits().max_cell_chars)))


def test_the_zip_directory_is_checked_before_any_xml_is_parsed(small_limits):
    """A zip bomb behind an XML part that would be refused for its DTD: refused for its size."""
    data = w.zip_bomb(1)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<!DOCTYPE x [<!ENTITY a "b">]><x/>')
        for name, content in parts.items():
            if name != "[Content_Types].xml":
                archive.writestr(name, content)
    with pytest.raises(WorkbookRefused) as refused:
        check_workbook(io.BytesIO(stream.getvalue()))
    assert refused.value.reason in {"member-size", "ratio"}


def test_the_refusal_names_the_limit_in_chinese(edge_limits):
    build, _reason = w.EDGES["cells"]
    with pytest.raises(WorkbookRefused) as refused:
        check_workbook(io.BytesIO(build(edge_limits, over=True)))
    assert refused.value.message.startswith("文件已拒绝：单元格超过 400 个")


@pytest.mark.parametrize("over", [False, True])
def test_the_upload_page_at_the_edge_of_the_cells(edge_limits, login, world, over):
    """Just under: the rows are read and checked (and refused for their content, since they
    are numbers, not findings); just over: refused for the file, naming the limit, and
    nothing is staged or imported either way."""
    inspection = InspectionFactory(organisation=world.org)
    client = login(world.office)
    upload = SimpleUploadedFile("清单.xlsx", w.EDGES["cells"][0](edge_limits, over=over))
    response = client.post(
        reverse("rectification:import-upload", args=[inspection.pk]), {"file": upload}
    )
    assert response.status_code == 200
    if over:
        assert "文件已拒绝：单元格超过 400 个" in response.text
    else:
        assert "文件已拒绝" not in response.text
        assert "第 50 行" in response.text  # the last row was read: its checks speak
    assert not FindingImport.objects.exists()
    assert not Finding.objects.filter(inspection=inspection).exists()
