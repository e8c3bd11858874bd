"""The office edits a sentence of the annual report, previews it, follows a figure to its
records and exports the PDF; a leader looks at the dashboard."""

import datetime

import pytest
from django.urls import reverse

from reports.models import ReportExport
from reports.services import outline_apply_preset, report_generate_draft
from tests.e2e.conftest import EXPORT_TIMEOUT
from tests.reports.fixtures import build_year_data


@pytest.fixture
def year_data(world):
    return build_year_data(world)


@pytest.fixture
def report(year_data):
    outline = outline_apply_preset(organisation=year_data.org, preset="seven_areas")
    report, _ = report_generate_draft(organisation=year_data.org, year=2021, outline=outline)
    report.dated = datetime.date(2021, 12, 31)
    report.save()
    return report


def test_office_edits_previews_follows_a_figure_and_exports(
    page,
    login_as,
    year_data,
    report,
    screenshot,
):
    login_as(year_data.office)
    page.goto(reverse("reports:report-edit", args=[report.pk]))
    opening = page.locator("textarea[data-narrative]").first
    opening.fill("2021年，局党组认真履职。全年组织理论中心组学习")
    opening.press("End")
    page.locator("summary", has_text="理论中心组学习").click()
    page.get_by_role("button", name="理论中心组学习次数", exact=True).click()
    opening.press("End")
    opening.type("次，会后逐项抓落实。")
    screenshot("reports_annual_edit")
    page.get_by_role("button", name="保存并预览").click()
    page.wait_for_url(f"**{reverse('reports:report-detail', args=[report.pk])}")
    article = page.locator("article.report-preview")
    assert "全年组织理论中心组学习3次，会后逐项抓落实。" in article.inner_text()
    screenshot("reports_annual_preview")

    figure = article.locator('a.report-figure[data-token="count:theory_study"]').first
    href = figure.get_attribute("href")
    assert f"kind={year_data.kinds['theory_study'].pk}" in href and "year=2021" in href
    figure.click()
    page.wait_for_load_state()
    assert "kind=" in page.url
    assert "共 3 条" in page.locator("main").inner_text()  # the records behind the "3"
    screenshot("reports_annual_figure_records")

    page.goto(reverse("reports:report-detail", args=[report.pk]))
    page.get_by_role("button", name="导出 PDF（征求意见稿）").click(timeout=EXPORT_TIMEOUT)
    link = page.locator("a[data-download]").first
    link.wait_for(timeout=EXPORT_TIMEOUT)
    with page.expect_download(timeout=EXPORT_TIMEOUT) as info:
        link.click()
    path = info.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert ReportExport.objects.get().frozen["values"]["count:theory_study"] == "3"
    screenshot("reports_annual_exported")


def test_leader_reads_the_dashboard_with_charts(page, login_as, year_data, screenshot):
    login_as(year_data.principal)
    page.goto(reverse("reports:dashboard") + "?org=test&year=2021")
    page.locator('canvas[data-chart="records"]').wait_for()
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart=records]'))"
    )
    assert page.locator('[data-figure="measures-overdue"] .figure-value').inner_text() == "1"
    screenshot("reports_dashboard")
