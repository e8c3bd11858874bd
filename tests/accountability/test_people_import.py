"""A new bureau's units and people from one workbook (accountability/people_import.py): every
row checked and explained in Chinese, all rows or none, and only by the system administrator."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accountability.models import RoleAssignment, Unit, User
from tests.hostile.conftest import row_counts

URL = reverse("accountability:unit-import")
TEMPLATE = reverse("accountability:unit-import-template")
UNIT_HEADER = ["单位名称*", "类型*", "上级单位", "排序", "负责人", "分管领导"]
PEOPLE_HEADER = ["用户名*", "姓名*", "所在单位*", "职务", "电话", "电子邮件"]


def workbook(units=(), people=(), *, unit_header=UNIT_HEADER, people_header=PEOPLE_HEADER):
    book = Workbook()
    sheet = book.active
    sheet.title = "单位"
    sheet.append(unit_header)
    for row in units:
        sheet.append(list(row))
    sheet = book.create_sheet("人员")
    sheet.append(people_header)
    for row in people:
        sheet.append(list(row))
    stream = io.BytesIO()
    book.save(stream)
    return SimpleUploadedFile("名单.xlsx", stream.getvalue())


def upload(client, file):
    return client.post(URL, {"file": file})


def problems(response):
    return [str(problem) for problem in response.context["problems"]]


UNITS = [
    ("医政处", "处室", "", 3, "YIZHENG", "leader"),  # a person of the sheet, one already here
    ("市中心医院", "直属单位", "局机关", "", "yuanzhang"),
    ("办公室", "处室", "市中心医院", ""),
    ("党支部", "党支部", "市中心医院/办公室", ""),
]
PEOPLE = [
    ("yizheng", "钱立", "医政处", "处长", "0000-1234", "qian@example.gov.cn"),
    ("YuanZhang", "李华", "市中心医院", "院长", "", ""),
    ("bangongshi", "周敏", "市中心医院/办公室", "", "", ""),
    ("caiwu", "吴刚", "财务处", "科员", "", ""),
]


@pytest.mark.django_db
def test_the_system_administrator_previews_then_imports_units_and_people(login, world):
    client = login(world.admin)
    before = Unit.objects.count(), User.objects.count()

    preview = upload(client, workbook(UNITS, PEOPLE))

    assert preview.status_code == 200 and not problems(preview)
    assert "将新增 4 个单位、4 名人员" in preview.text
    assert (Unit.objects.count(), User.objects.count()) == before  # a preview saves nothing
    rows = preview.context["preview"]["rows"]

    response = client.post(URL, {"rows": rows}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("accountability:unit-list")
    said = [str(message) for message in response.context["messages"]]
    assert said[0].startswith("已导入 4 个单位、4 名人员。")
    hospital = Unit.objects.get(organisation=world.org, name="市中心医院")
    assert hospital.parent == world.root and hospital.kind == Unit.Kind.SUBORDINATE
    office = Unit.objects.get(parent=hospital, name="办公室")
    branch = Unit.objects.get(name="党支部")
    assert branch.parent == office and branch.path.startswith(hospital.path)
    # No parent given: the organisation's one top unit; the order as written, else 0.
    medical = Unit.objects.get(name="医政处")
    assert (medical.parent, medical.order, office.order) == (world.root, 3, 0)
    assert (medical.head.username, medical.leader_in_charge) == ("yizheng", world.leader)
    assert hospital.head.full_name == "李华" and hospital.leader_in_charge is None
    zhou = User.objects.get(username="bangongshi")
    assert (zhou.full_name, zhou.unit, zhou.organisation) == ("周敏", office, world.org)
    assert User.objects.get(username="caiwu").unit == world.finance
    for person in User.objects.filter(username__in=[row[0] for row in PEOPLE]):
        # Added as the system administrator adds people by hand: no password, no role.
        assert not person.has_usable_password()
        assert not RoleAssignment.objects.filter(user=person).exists()
        assert person.history.first().history_user == world.admin
    # The same file again: every row is taken now, and nothing more is added.
    again = upload(client, workbook(UNITS, PEOPLE))
    assert len(problems(again)) == 8 and User.objects.filter(username="yizheng").count() == 1


@pytest.mark.django_db
def test_every_bad_row_is_named_in_chinese_and_nothing_is_saved(login, world):
    client = login(world.admin)
    counts = row_counts()
    units = [
        ("", "处室", "", ""),  # row 2
        ("档案室", "科室", "", ""),  # row 3
        ("基建处", "处室", "局机关", ""),  # row 4: taken under 局机关
        ("新处", "处室", "不存在的处", "-1"),  # row 5
        ("后面的科", "处室", "更后面的处", ""),  # row 6: its parent comes later
        ("更后面的处", "处室", "", "", "nobody", "stranger"),  # row 7: no such people here
    ]
    people = [
        ("office", "重名", "财务处", "", "", ""),  # taken
        ("OFFICE2", "甲", "财务处", "", "", ""),
        ("office2", "乙", "财务处", "", "", ""),  # taken by the row above, whatever the capitals
        ("bad name", "", "财务处", "", "", "not-an-address"),
        ("nounit", "丙", "", "", "", ""),
        ("strange", "丁", "另一处", "", "", ""),  # the other organisation's unit
    ]

    response = upload(client, workbook(units, people))

    assert problems(response) == [
        "“单位”第2行：请填写单位名称。",
        "“单位”第3行：类型须是以下之一：机关本级、处室、直属单位、党支部。",
        "“单位”第4行：局机关之下已有名为“基建处”的单位。",
        "“单位”第5行：上级单位：没有名为“不存在的处”的单位（须是已有单位，或写在本表之前的行）。",
        "“单位”第5行：排序须是不小于 0 的整数。",
        "“单位”第6行：上级单位：没有名为“更后面的处”的单位（须是已有单位，或写在本表之前的行）。",
        "“单位”第7行：负责人“nobody”不是本党组织的人员，也不在“人员”表中（请填写用户名）。",
        "“单位”第7行：分管领导“stranger”不是本党组织的人员，也不在“人员”表中（请填写用户名）。",
        "“人员”第2行：用户名“office”已被使用（不区分大小写），请换一个。",
        "“人员”第4行：用户名“office2”已被使用（不区分大小写），请换一个。",
        "“人员”第5行：用户名只能由字母、数字和 @ . + - _ 组成，不能有空格。",
        "“人员”第5行：请填写姓名。",
        "“人员”第5行：电子邮件地址“not-an-address”不正确。",
        "“人员”第6行：请填写所在单位。",
        "“人员”第7行：所在单位：没有名为“另一处”的单位（须是已有单位，或写在本表之前的行）。",
    ]
    assert "发现 15 处问题，未导入任何数据" in response.text
    assert response.context["preview"] is None
    assert row_counts() == counts


@pytest.mark.django_db
def test_a_name_found_twice_asks_for_its_parent(login, world):
    client = login(world.admin)
    units = [("办公室", "处室", "基建处", ""), ("办公室", "处室", "财务处", "")]
    response = upload(client, workbook(units, [("a1", "甲", "办公室", "", "", "")]))
    assert problems(response) == [
        "“人员”第2行：所在单位：名为“办公室”的单位不止一个，请写成“上级单位/办公室”。"
    ]
    response = upload(client, workbook(units, [("a1", "甲", "财务处/办公室", "", "", "")]))
    assert not problems(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("名单.xlsx", b"not a workbook"), "不是有效的 Excel"),
        (workbook(unit_header=["名称", "类型"]), "“单位”工作表缺少必需的列：单位名称"),
        (workbook(), "文件中没有可导入的数据行。"),
    ],
)
def test_a_file_that_cannot_be_read_is_explained(login, world, file, message):
    response = upload(login(world.admin), file)
    assert message in " ".join(problems(response))
    assert response.context["preview"] is None


@pytest.mark.django_db
def test_a_tampered_or_changed_preview_imports_nothing(login, world):
    client = login(world.admin)
    rows = upload(client, workbook(UNITS[:1], PEOPLE[:1])).context["preview"]["rows"]
    counts = row_counts()

    response = client.post(URL, {"rows": rows[:-2] + "xx"}, follow=True)
    assert "导入内容已过期或不完整" in str(list(response.context["messages"])[0])
    assert row_counts() == counts

    # Between the preview and the confirmation someone took the username: checked again.
    User.objects.create(username="YIZHENG", full_name="别人", organisation=world.org)
    counts = row_counts()
    response = client.post(URL, {"rows": rows})
    assert problems(response) == [
        "“人员”第2行：用户名“yizheng”已被使用（不区分大小写），请换一个。"
    ]
    assert row_counts() == counts


@pytest.mark.django_db
def test_the_template_is_a_workbook_the_import_reads(login, world):
    client = login(world.admin)
    response = client.get(TEMPLATE)
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["单位", "人员", "填写说明"]
    assert [cell.value for cell in book["人员"][1]] == PEOPLE_HEADER
    # Its example rows (a top unit, a department under it, a person there) import as they are.
    preview = upload(client, SimpleUploadedFile("模板.xlsx", content))
    assert not problems(preview)
    assert "将新增 2 个单位、1 名人员" in preview.text


@pytest.mark.django_db
def test_only_the_system_administrator_imports(login, world):
    for who in (world.office, world.principal, world.head, world.inspector, world.stranger):
        client = login(who)
        assert client.get(URL).status_code == 403
        assert upload(client, workbook(UNITS, PEOPLE)).status_code == 403
    assert not Unit.objects.filter(name="市中心医院").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["zip bomb", "row 1,048,576", "column XFD"])
def test_a_crafted_workbook_is_refused_before_it_is_read(login, world, settings, case):
    """The import goes through common.xlsx_guard like the findings import (its limits lowered
    here as in tests/hostile/test_import_bounds.py, so that the files stay small)."""
    from tests.hostile.test_import_bounds import CRAFTED, SMALL

    settings.XLSX_LIMITS = SMALL
    client = login(world.admin)
    counts = row_counts()
    build, _reasons = CRAFTED[case]
    response = upload(client, SimpleUploadedFile("名单.xlsx", build()))
    (said,) = problems(response)
    assert said.startswith("文件已拒绝："), said  # the guard's refusal, not openpyxl's failure
    assert response.context["preview"] is None
    assert row_counts() == counts
