"""The supervising body's journey: roll-up → an organisation → its overdue measure's history."""

import re

from playwright.sync_api import expect

from tests.oversight.conftest import YEAR, city  # noqa: F401 - the fixture


def test_an_inspector_of_the_body_drills_down_to_a_measures_history(
    city,  # noqa: F811
    page,
    login_as,
    screenshot,
):
    login_as(city.body_inspector)
    page.get_by_role("link", name="下级单位汇总").click()
    expect(page.get_by_role("heading", name="下级单位汇总")).to_be_visible()
    page.goto(f"/oversight/?year={YEAR}")
    summary = page.locator("#summary")
    expect(summary.locator("tr[data-org='test'] [data-figure='overdue']")).to_have_text("1")
    expect(page.locator("#months tr[data-org='test'] td.month-missing")).to_have_count(4)
    screenshot("oversight-rollup")

    summary.locator("tr[data-org='test'] [data-figure='overdue']").click()
    expect(page.get_by_role("heading", name="测试水利局")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/oversight/org/test/\?year=2021#rectification$"))
    screenshot("oversight-organisation")

    page.locator("#rectification [data-figure='measures-overdue']").click()
    expect(page.locator("[data-drill='read-only']")).to_be_visible()
    rows = page.locator("table.ledger-table tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link").click()
    expect(page.get_by_text("变更记录")).to_be_visible()
    expect(page.get_by_role("button", name="同意销号")).to_have_count(0)
    expect(page.get_by_role("link", name="修改")).to_have_count(0)
    screenshot("oversight-measure-history")

    # Back up the breadcrumb to the roll-up.
    page.get_by_role("link", name="下级单位汇总").last.click()
    expect(page.get_by_role("heading", name="下级单位汇总")).to_be_visible()


def test_a_bureau_office_has_no_roll_up(city, page, login_as):  # noqa: F811
    login_as(city.office)
    expect(page.get_by_role("link", name="下级单位汇总")).to_have_count(0)
    response = page.goto("/oversight/")
    assert response.status == 403
