"""Importing a findings list: all rows or none, every bad row named with its reason."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from rectification import importer
from rectification.models import Finding, FindingImport, Measure

HEADER = [
    "问题方面",
    "问题序号",
    "问题描述",
    "整改措施",
    "牵头领导",
    "责任处室",
    "责任人",
    "整改时限",
]


def xlsx(rows, header=HEADER, title_row=False):
    workbook = Workbook()
    sheet = workbook.active
    if title_row:
        sheet.append(["市委第三巡察组反馈问题整改清单"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return SimpleUploadedFile("清单.xlsx", stream.getvalue())


def good_rows():
    return [
        [
            "落实主体责任方面",
            1,
            "主体责任压力传导不到位",
            "签订责任书",
            "李分管",
            "基建处",
            "张处长",
            "2026-06-30",
        ],
        ["", 1, "", "每季度专题研究", "李分管", "基建处", "张处长", "长期坚持"],
        [
            "作风建设方面",
            2,
            "公务接待不规范",
            "修订接待制度",
            "王书记",
            "财务处",
            "赵外单位",
            "2026年9月30日",
        ],
    ]


def _upload(client, rect, upload):
    return client.post(
        reverse("rectification:import-upload", args=[rect.inspection.pk]), {"file": upload}
    )


def test_good_file_previews_then_creates_everything(login, rect_empty):
    rect = rect_empty
    client = login(rect.office)
    response = _upload(client, rect, xlsx(good_rows(), title_row=True))
    assert response.status_code == 302
    batch = FindingImport.objects.get()
    preview = client.get(response["Location"])
    assert "将新增 2 个方面的 2 个问题、3 条整改措施" in preview.text
    assert not Finding.objects.filter(inspection=rect.inspection).exists()
    confirm = client.post(response["Location"])
    assert confirm.status_code == 302
    created = Measure.objects.filter(finding__inspection=rect.inspection).order_by("pk")
    assert [m.description for m in created] == ["签订责任书", "每季度专题研究", "修订接待制度"]
    assert created[1].is_ongoing and created[1].deadline is None
    assert str(created[2].deadline) == "2026-09-30"
    assert created[0].history.get().history_user == rect.office
    batch.refresh_from_db()
    assert batch.confirmed_at is not None


@pytest.fixture
def rect_empty(rect):
    Measure.objects.filter(finding__inspection=rect.inspection).delete()
    rect.inspection.findings.all().delete()
    return rect


def test_each_responsible_person_hears_once_of_the_imported_measures(login, rect_empty):
    from notices.models import Notice

    client = login(rect_empty.office)
    client.post(_upload(client, rect_empty, xlsx(good_rows()))["Location"])
    people = set(
        Measure.objects.filter(finding__inspection=rect_empty.inspection).values_list(
            "responsible_person_id", flat=True
        )
    ) - {rect_empty.office.pk}
    assert people
    told = Notice.objects.filter(kind=Notice.Kind.MEASURE_ASSIGNED)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(people)
    assert all(rect_empty.inspection.title in notice.text for notice in told)


def test_confirming_twice_creates_nothing_more(login, rect_empty):
    client = login(rect_empty.office)
    url = _upload(client, rect_empty, xlsx(good_rows()))["Location"]
    client.post(url)
    response = client.post(url, follow=True)
    assert "已经导入过" in response.text
    assert Measure.objects.filter(finding__inspection=rect_empty.inspection).count() == 3


def _problems(rect, rows, **kwargs):
    result = importer.parse(xlsx(rows, **kwargs), rect.inspection)
    assert result.rows == []
    return {problem.row: problem.message for problem in result.problems}


def test_missing_columns_are_named(rect_empty):
    problems = _problems(rect_empty, [], header=HEADER[:5])
    assert "缺少必需的列：责任处室、责任人、整改时限" in problems[1]


def test_unknown_unit_and_leader_are_reported_by_row(rect_empty):
    rows = good_rows()
    rows[0][5] = "不存在处"
    rows[2][4] = "查无此人"
    problems = _problems(rect_empty, rows)
    assert "责任处室“不存在处”不存在" in problems[2]
    assert "牵头领导“查无此人”不是本单位人员" in problems[4]


def test_person_of_another_organisation_is_unknown(rect_empty):
    rows = good_rows()
    rows[0][6] = "钱外局"
    assert "责任人“钱外局”不是本单位人员" in _problems(rect_empty, rows)[2]


def test_bad_date_is_reported(rect_empty):
    rows = good_rows()
    rows[0][7] = "下个月"
    assert "“整改时限”不是有效日期：下个月" in _problems(rect_empty, rows)[2]


def test_duplicate_row_names_the_first(rect_empty):
    rows = good_rows()
    rows.append(list(rows[0]))
    assert "与第 2 行重复" in _problems(rect_empty, rows)[5]


def test_finding_number_already_registered_is_refused(rect):
    rows = good_rows()  # number 1 is the fixture's finding
    assert "问题序号 1 在本轮巡视巡察中已存在" in _problems(rect, rows)[2]


def test_a_deadline_before_the_feedback_date_is_refused_as_by_hand(rect_empty):
    rows = good_rows()
    rows[0][7] = "2001-01-31"
    assert "2001-01-31早于巡视巡察反馈日期" in _problems(rect_empty, rows)[2]


def test_every_bad_row_is_listed_and_nothing_imported(login, rect_empty):
    rows = good_rows()
    rows[0][5] = "不存在处"
    rows[2][7] = "2026-13-45"
    response = _upload(login(rect_empty.office), rect_empty, xlsx(rows))
    assert response.status_code == 200
    assert "第 2 行" in response.text and "第 4 行" in response.text
    assert "未导入任何数据" in response.text
    assert not FindingImport.objects.exists()
    assert not Finding.objects.filter(inspection=rect_empty.inspection).exists()


def test_not_an_excel_file_is_refused(login, rect_empty):
    upload = SimpleUploadedFile("清单.xlsx", b"%PDF-1.4 this is not a workbook")
    response = _upload(login(rect_empty.office), rect_empty, upload)
    assert "不是有效的 Excel" in response.text
    assert not FindingImport.objects.exists()


def test_empty_file_has_nothing_to_import(rect_empty):
    assert "没有可导入的数据行" in _problems(rect_empty, [])[None]


def test_preview_belongs_to_its_uploader(login, rect_empty, world):
    from accountability.models import Role
    from tests.factories import UserFactory

    url = _upload(login(rect_empty.office), rect_empty, xlsx(good_rows()))["Location"]
    colleague = UserFactory(username="office2", unit=world.root, roles=[Role.OFFICE])
    assert login(colleague).post(url).status_code == 404
    assert not Measure.objects.filter(finding__inspection=rect_empty.inspection).exists()


def test_unit_head_may_not_import(login, rect):
    response = _upload(login(rect.head), rect, xlsx(good_rows()))
    assert response.status_code == 403
    assert not FindingImport.objects.exists()


def test_template_downloads_and_parses_back(login, rect_empty):
    response = login(rect_empty.office).get(
        reverse("rectification:import-template", args=[rect_empty.inspection.pk])
    )
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER
    result = importer.parse(SimpleUploadedFile("t.xlsx", content), rect_empty.inspection)
    assert result.ok, result.problems


def test_previews_older_than_a_day_are_dropped(login, rect_empty):
    import datetime

    from django.utils import timezone

    client = login(rect_empty.office)
    old = _upload(client, rect_empty, xlsx(good_rows()))["Location"]
    FindingImport.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))
    _upload(client, rect_empty, xlsx(good_rows()))
    assert FindingImport.objects.count() == 1
    assert client.post(old).status_code == 404


def test_each_imported_row_gets_one_creation_history_row_in_chunks(login, rect_empty, monkeypatch):
    """The history copy runs in chunks on SQLite (no ``ANY``): every row is covered once."""
    monkeypatch.setattr(importer, "HISTORY_CHUNK", 2)
    rect = rect_empty
    client = login(rect.office)
    response = _upload(client, rect, xlsx(good_rows()))
    assert client.post(response["Location"]).status_code == 302
    measures = Measure.objects.filter(finding__inspection=rect.inspection)
    assert measures.count() == 3
    history = Measure.history.filter(id__in=measures.values("pk"), history_type="+")
    assert sorted(history.values_list("id", flat=True)) == sorted(
        measures.values_list("pk", flat=True)
    )
