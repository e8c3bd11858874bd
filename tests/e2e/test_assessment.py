"""考核 in the browser: the office sets up a scheme for its units, reads the ranking, and opens
the records behind a point; the supervising body's office does the same for the organisations
below it, and reads the organisation's records on the basis page itself."""

from datetime import date

from django.utils import timezone

from tests.assessment.helpers import Records, make_body


def _last_year():
    """Last year's scheme: every date in it has passed, whatever day the test runs."""
    return timezone.localdate().year - 1


def _rule(page, label, weight):
    form = page.locator("#rule-add")
    form.get_by_label("考核项目").select_option(label=label)
    form.get_by_label("分值（满分）").fill(weight)
    form.get_by_role("button", name="添加考核项目").click()
    page.get_by_text("已添加考核项目。").wait_for()


def _row(page, name):
    return page.locator("#assessment-results tbody tr").filter(
        has=page.get_by_role("cell", name=name, exact=True)
    )


def test_the_office_scores_its_units_and_opens_the_records_behind_a_point(
    world, login_as, page, screenshot
):
    year = _last_year()
    records = Records(world)
    on_time = records.letter(
        world.works,
        due=date(year, 3, 1),
        signed=date(year, 2, 20),
        title="基建处党风廉政建设责任书",
        year=year,
    )
    records.letter(world.works, due=date(year, 3, 1), title="基建处廉政承诺书", year=year, slot=1)
    records.letter(
        world.finance, due=date(year, 3, 1), signed=date(year, 2, 1), year=year, title="财务处"
    )
    records.measure(world.works, deadline=date(year, 3, 31), closed=date(year, 3, 20), year=year)
    records.measure(world.finance, deadline=date(year, 4, 30), year=year)

    login_as(world.office)
    page.goto("/assessment/")
    page.get_by_label("考核年度").fill(str(year))
    page.get_by_label("方案名称").fill("党风廉政建设责任制考核")
    page.get_by_role("button", name="创建").click()
    page.get_by_text("已创建考核方案").wait_for()
    _rule(page, "责任书按期签订", "20")
    # a measure already in the scheme is no longer offered
    offered = page.locator("#rule-add").get_by_label("考核项目").inner_text()
    assert "责任书按期签订" not in offered and "整改措施按期销号" in offered
    _rule(page, "整改措施按期销号", "30")
    adjustment = page.locator("#adjustment-add")
    adjustment.get_by_label("单位").select_option(label="财务处")
    adjustment.get_by_label("加减分").fill("-1.5")
    adjustment.get_by_label("理由").fill("专项检查发现报销审核台账不完整")
    adjustment.get_by_role("button", name="登记加减分").click()
    page.get_by_text("已登记加减分。").wait_for()

    # 局机关 and 工程科 owe nothing: full marks; 基建处 signed one letter of two; 财务处 has a
    # measure overdue and a manual point off
    assert _row(page, "局机关").locator("td").first.inner_text() == "1"
    works = _row(page, "基建处")
    assert "10.00" in works.inner_text() and "1/2" in works.inner_text()
    assert works.locator("td").last.inner_text() == "40.00"
    finance = _row(page, "财务处")
    assert finance.locator("td").last.inner_text() == "18.50"
    assert finance.locator("td").first.inner_text() == "4"
    screenshot("assessment_units_results")

    works.get_by_role("link", name="10.00").click()
    page.wait_for_url("**/targets/**")
    basis = page.locator("#basis-rows")
    assert "按时完成 1 / 应完成 2" in page.locator("#basis-summary").inner_text()
    signed = basis.locator("tr[data-status=on_time]")
    missing = basis.locator("tr[data-status=missing]")
    assert "基建处党风廉政建设责任书" in signed.inner_text()
    assert "基建处廉政承诺书" in missing.inner_text() and "尚未签订" in missing.inner_text()
    assert "财务处" not in basis.inner_text()
    screenshot("assessment_units_point_basis")
    signed.get_by_role("link", name="基建处党风廉政建设责任书").click()
    page.wait_for_url(f"**/a/letters/{on_time.pk}/")


def test_the_body_office_ranks_the_organisations_below_and_reads_their_records(
    world, login_as, page, screenshot
):
    year = _last_year()
    body = make_body(world, year)
    records = Records(world)
    records.letter(world.works, due=date(year, 3, 1), title="基建处责任书（未签）", year=year)
    records.letter(world.finance, due=date(year, 3, 1), signed=date(year, 3, 1), year=year)
    records.letter(body.sibling_root, due=date(year, 3, 1), signed=date(year, 2, 1), year=year)
    records.monthly_duty(body.sibling_root, year=year)
    for month in range(1, 4):
        records.record(body.sibling_root, date(year, month, 10), title=f"{month}月理论学习")

    login_as(body.office)
    page.goto("/assessment/")
    page.get_by_role("link", name="市直机关考核").click()
    _rule(page, "责任书按期签订", "20")
    _rule(page, "工作记实按月按时录入", "30")
    assert "下级党组织" in page.locator("h1 + div").inner_text()

    sibling, mine = _row(page, "兄弟局"), _row(page, "测试水利局")
    # one letter of two signed on time; no monthly duty, so the full 30
    assert "10.00" in mine.inner_text() and "1/2" in mine.inner_text()
    assert mine.locator("td").last.inner_text() == "40.00"
    assert mine.locator("td").first.inner_text() == "1"
    # every letter on time, but three months of the year filed
    assert "3/1" in sibling.inner_text()  # of 12 months (11 in the first days of January)
    assert sibling.locator("td").first.inner_text() == "2"
    screenshot("assessment_body_results")

    mine.get_by_role("link", name="10.00").click()
    page.wait_for_url("**/targets/**")
    basis = page.locator("#basis-rows")
    missing = basis.locator("tr[data-status=missing]")
    assert "基建处责任书（未签）" in missing.inner_text()
    assert "基建处" in missing.locator("td").first.inner_text()
    # the organisation's letter pages are its own: the body reads the record here, unlinked
    assert basis.get_by_role("link").count() == 0
    screenshot("assessment_body_point_basis")
