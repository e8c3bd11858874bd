"""A unit head enters a month of work records with evidence; the office sees letters and progress;
a person of another unit can neither see nor download any of it."""

import datetime

import pytest
from django.utils import timezone

from accountability.models import (
    DutyLetter,
    ResponsibilityItem,
    ResponsibilityList,
    WorkRecord,
    WorkRecordEvidence,
    WorkRecordKind,
)
from tests.samples import ONE_PAGE_PDF

PDF = ONE_PAGE_PDF


@pytest.fixture
def setup(world):
    kinds = WorkRecordKind.ensure_presets(world.org)
    year = timezone.localdate().year
    plan = ResponsibilityList.objects.create(organisation=world.org, year=year)
    ResponsibilityItem.objects.create(
        list=plan,
        area="强化思想政治建设",
        area_order=1,
        title="党组理论学习中心组学习不少于12次",
        kind=kinds["theory_study"],
        target_count=12,
        lead_leader=world.principal,
        frequency=ResponsibilityItem.Frequency.MONTHLY,
    )
    ResponsibilityItem.objects.create(
        list=plan,
        area="落实监督责任",
        area_order=2,
        title="开展廉政谈话",
        kind=kinds["integrity_talk"],
        target_count=4,
        responsible_unit=world.works,
        frequency=ResponsibilityItem.Frequency.QUARTERLY,
    )
    ResponsibilityItem.objects.create(
        list=plan, area="加强作风建设", area_order=3, title="开展警示教育", target_count=2
    )
    issued = datetime.date(year, 1, 5)
    for unit, signed in ((world.works, True), (world.finance, False), (world.root, True)):
        DutyLetter.objects.create(
            organisation=world.org,
            unit=unit,
            year=year,
            title=f"{year}年度{unit.name}党风廉政建设责任书",
            issued_on=issued,
            due_on=issued + datetime.timedelta(days=20),
            signed_on=issued + datetime.timedelta(days=3) if signed else None,
            signatory="负责人" if signed else "",
        )
    return kinds


def test_head_enters_a_month_of_records_with_evidence(
    world, setup, login_as, page, screenshot, tmp_path
):
    evidence = tmp_path / "学习签到表.pdf"
    evidence.write_bytes(PDF)
    today = timezone.localdate()
    login_as(world.head)
    page.goto(f"/a/records/month/?unit={world.works.pk}&month={today:%Y-%m}")
    form = page.locator(".quick-record-form")
    entries = [
        ("theory_study", "理论中心组学习：学习党的二十大精神", "15"),
        ("integrity_talk", "对重点岗位人员开展廉政谈话", "8"),
        ("warning_education", "观看警示教育片《零容忍》", "30"),
    ]
    for day, (code, title, count) in enumerate(entries, start=1):
        expect_rows = day
        form.get_by_label("日期").fill(f"{today:%Y-%m}-{day:02d}")
        form.get_by_label("类别").select_option(label=setup[code].name)
        form.get_by_label("参加人数").fill(count)
        form.get_by_label("佐证材料").set_input_files(str(evidence))
        if code == "warning_education":  # an item without a kind is linked by hand
            form.get_by_label("落实责任事项").select_option(label="开展警示教育")
        form.locator('[name="title"]').fill(title)
        form.locator('[name="title"]').press("Enter")  # Enter submits: no mouse needed
        page.locator("#month-records tbody tr", has_text=title).wait_for()
        form = page.locator(".quick-record-form")
        assert page.locator("#month-records tbody tr").count() == expect_rows
    screenshot("accountability_month_entry")
    assert WorkRecord.objects.filter(unit=world.works).count() == 3
    assert WorkRecordEvidence.objects.filter(record__unit=world.works).count() == 3
    linked = WorkRecord.objects.get(kind=setup["warning_education"])
    assert [item.title for item in linked.responsibility_items.all()] == ["开展警示教育"]
    # Bad input stays on the page with a Chinese message and saves nothing.
    form.get_by_label("日期").fill("2001-01-01")
    form.locator('[name="title"]').fill("错月的记录")
    form.locator('[name="title"]').press("Enter")
    page.get_by_text("日期必须在").wait_for()
    screenshot("accountability_month_entry_error")
    assert not WorkRecord.objects.filter(title="错月的记录").exists()
    # Correct one record on its own page: the change shows in its history.
    page.goto("/a/records/")
    screenshot("accountability_ledger")
    page.get_by_role("link", name="对重点岗位人员开展廉政谈话").click()
    page.get_by_role("link", name="修改").click()
    page.get_by_label("参加人数").fill("9")
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_text("参加人数：8 → 9").wait_for()
    screenshot("accountability_record_detail")


def test_office_sees_unsigned_letters_and_progress(world, setup, login_as, page, screenshot):
    today = timezone.localdate()
    WorkRecord.objects.create(
        organisation=world.org,
        unit=world.works,
        kind=setup["theory_study"],
        date=today.replace(day=1),
        title="理论学习",
    )
    login_as(world.office)
    page.goto(f"/a/letters/?year={today.year}")
    assert "67%" in page.locator("#letter-summary").inner_text()
    screenshot("accountability_letters")
    page.get_by_role("link", name="只看逾期未签").click()
    page.wait_for_url("**status=missing**")
    rows = page.locator(".ledger-table tbody tr")
    if today > datetime.date(today.year, 1, 25):
        assert rows.count() == 1 and "财务处" in rows.first.inner_text()
    page.goto(f"/a/responsibilities/?year={today.year}")
    assert page.locator(".progress-figure").first.inner_text() == "1 / 12"
    screenshot("accountability_responsibility_list")


def test_user_of_another_unit_can_neither_see_nor_download(world, setup, login_as, page):
    record = WorkRecord.objects.create(
        organisation=world.org,
        unit=world.works,
        kind=setup["integrity_talk"],
        date=timezone.localdate(),
        title="基建处廉政谈话",
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    evidence = WorkRecordEvidence.from_upload(
        SimpleUploadedFile("谈话记录.pdf", PDF), by=world.head, record=record
    )
    evidence.save()
    login_as(world.outsider)
    page.goto("/a/records/")
    assert "基建处廉政谈话" not in page.content()
    assert page.goto(f"/a/records/{record.pk}/").status == 404
    assert page.goto(f"/a/records/evidence/{evidence.pk}/").status == 404
