"""What a user types comes back out of the Excel ledgers as text (issue #7).

The forms take any printable text, and control characters other than NUL (Django refuses only
NUL). A title with a control character used to break every later export of the ledger (openpyxl
refuses the row: a 500), and a title starting with "=" was written as a live formula.
Since issue #13 such a title also gets a leading apostrophe, so that it stays text as CSV.
"""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accountability.models import WorkRecord, WorkRecordKind

TITLE_COLUMN = 4  # 序号, 日期, 单位, 类别, 事项


@pytest.mark.parametrize(
    ("typed", "exported"),
    [
        # A leading apostrophe keeps them text even once saved as CSV (issue #13).
        (
            '=HYPERLINK("http://example.com/x","点此查看")',
            '\'=HYPERLINK("http://example.com/x","点此查看")',
        ),
        ("=1+1", "'=1+1"),
        ("+SUM(A1:A9)", "'+SUM(A1:A9)"),
        ("@cmd", "'@cmd"),
        ("\x01理论\x1b[31m学习\x07", "理论[31m学习"),
    ],
    ids=["hyperlink-formula", "formula", "plus", "at", "control-characters"],
)
def test_a_typed_title_comes_out_of_the_ledger_as_text(world, client, typed, exported):
    kinds = WorkRecordKind.ensure_presets(world.org)
    client.force_login(world.office)
    response = client.post(
        reverse("accountability:workrecord-create"),
        {
            "date": timezone.localdate().isoformat(),
            "unit": world.works.pk,
            "kind": kinds["theory_study"].pk,
            "title": typed,
            "participant_count": "3",
        },
    )
    assert response.status_code == 302
    assert WorkRecord.objects.get().title == typed

    response = client.get(reverse("accountability:workrecord-list"), {"export": "xlsx"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = next(sheet.iter_rows(min_row=3))[TITLE_COLUMN]
    assert cell.value == (exported or typed)
    assert cell.data_type == "s"
