"""Sign-off (审签) in the browser: the office fills the passages it must write and submits;
the principal leader returns the report once with comments and approves it the second time;
the 定稿's PDF and DOCX then carry the same figures."""

import datetime
import io
import re
import subprocess

import pytest
from django.urls import reverse
from docx import Document

from reports.models import ReportVersion
from reports.services import outline_apply_preset, report_generate_draft
from tests.e2e.conftest import EXPORT_TIMEOUT
from tests.reports.fixtures import build_year_data, fill_placeholders

MARK = "【请填写：本单位一年来落实主体责任的总体情况】"


@pytest.fixture
def year_data(world):
    return build_year_data(world)


@pytest.fixture
def report(year_data):
    outline = outline_apply_preset(organisation=year_data.org, preset="seven_areas")
    report, _ = report_generate_draft(organisation=year_data.org, year=2021, outline=outline)
    report.dated = datetime.date(2021, 12, 31)
    report.save()
    fill_placeholders(report)  # the preset's other marked passages: written already
    report.sections.filter(order=1).update(
        text=f"{MARK}全年组织理论中心组学习{{{{count:theory_study}}}}次。"
    )
    return report


def switch_user(page, login_as, user):
    page.context.clear_cookies()
    login_as(user)


def download(page, button):
    page.get_by_role("button", name=button).click(timeout=EXPORT_TIMEOUT)
    link = page.locator("a[data-download]").first
    link.wait_for(timeout=EXPORT_TIMEOUT)
    with page.expect_download(timeout=EXPORT_TIMEOUT) as info:
        link.click()
    with open(info.value.path(), "rb") as handle:
        return handle.read()


def test_office_submits_leader_returns_once_then_approves_and_the_final_prints_alike(
    page, login_as, year_data, report, screenshot, tmp_path
):
    detail = reverse("reports:report-detail", args=[report.pk])
    # The office submits too early: refused, with what is missing.
    login_as(year_data.office)
    page.goto(detail)
    page.get_by_role("button", name="提交审签").click()
    alert = page.locator(".alert-danger, .alert-error").first
    assert "不能提交审签" in alert.inner_text()
    assert "本单位一年来落实主体责任的总体情况" in alert.inner_text()
    screenshot("reports_signoff_refused")

    # It writes the passage and submits.
    page.goto(reverse("reports:report-edit", args=[report.pk]))
    opening = page.locator("textarea[data-narrative]").first
    opening.fill(
        "2021年，局党组认真履行全面从严治党主体责任。全年组织理论中心组学习{{count:theory_study}}次。"
    )
    page.get_by_role("button", name="保存并预览").click()
    page.wait_for_url(f"**{detail}")
    page.get_by_role("button", name="提交审签").click()
    page.wait_for_url("**/versions/**")
    assert page.locator("[data-version-state]").first.get_attribute("data-version-state") == (
        "submitted"
    )

    # The principal leader returns it: first without comments (refused), then with them.
    switch_user(page, login_as, year_data.principal)
    version = ReportVersion.objects.get(report=report, number=1)
    page.goto(reverse("reports:version-detail", args=[version.pk]))
    screenshot("reports_signoff_to_decide")
    page.locator("[data-return]").click()
    assert "请填写审签意见" in page.locator(".alert").first.inner_text()
    page.get_by_label("审签意见（退回时必填）").fill("请补充警示教育的具体情况。")
    page.locator("[data-return]").click()
    page.wait_for_selector('[data-version-state="returned"]')

    # The office reads the comments, edits (a new version) and submits again.
    switch_user(page, login_as, year_data.office)
    page.goto(detail)
    assert "请补充警示教育的具体情况。" in page.locator("[data-return-comments]").inner_text()
    screenshot("reports_signoff_returned")
    page.goto(reverse("reports:report-edit", args=[report.pk]))
    opening = page.locator("textarea[data-narrative]").first
    opening.fill(opening.input_value() + "组织观看警示教育片，干部受到警醒。")
    page.get_by_role("button", name="保存并预览").click()
    page.wait_for_url(f"**{detail}")
    page.get_by_role("button", name="提交审签").click()
    page.wait_for_url("**/versions/**")

    # The principal leader approves the second version.
    switch_user(page, login_as, year_data.principal)
    second = ReportVersion.objects.get(report=report, number=2)
    page.goto(reverse("reports:version-detail", args=[second.pk]))
    page.locator("[data-approve]").click()
    page.wait_for_selector('[data-version-state="approved"]')
    second.refresh_from_db()
    assert second.state == "approved"
    assert page.locator("[data-content-hash]").inner_text() == second.content_hash
    pdf = download(page, "定稿 PDF")
    page.goto(reverse("reports:version-detail", args=[second.pk]))
    docx = download(page, "定稿 Word")
    screenshot("reports_signoff_final")
    page.goto(detail)
    assert page.locator("tr[data-version]").count() == 2
    screenshot("reports_signoff_history")
    page.goto(reverse("reports:report-list") + "?org=test")
    assert page.locator('[data-version-state="approved"]').count() == 1
    page.goto(reverse("reports:report-compare", args=[report.pk]))
    assert page.locator("tr[data-changed]").count() >= 1
    screenshot("reports_signoff_compare")

    # The 定稿's PDF and DOCX: the same sentence with the same figure, no draft mark.
    (tmp_path / "final.pdf").write_bytes(pdf)
    pdf_text = subprocess.run(
        ["pdftotext", str(tmp_path / "final.pdf"), "-"], capture_output=True, text=True
    ).stdout
    docx_text = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    flat_pdf, flat_docx = re.sub(r"\s+", "", pdf_text), re.sub(r"\s+", "", docx_text)
    sentence = "全年组织理论中心组学习3次。组织观看警示教育片，干部受到警醒。"
    assert sentence in flat_pdf and sentence in flat_docx
    assert "征求意见稿" not in flat_pdf and "征求意见稿" not in flat_docx
    for value in second.frozen["values"].values():
        assert value in flat_docx and value in flat_pdf
