"""The office issues the year's duty letters to the units chosen, after a preview; a unit head
records the signing with its scan; the office page then shows who is still unsigned."""

from django.utils import timezone

from accountability.models import DutyLetter
from tests.samples import ONE_PAGE_PDF

PDF = ONE_PAGE_PDF


def test_issue_sign_and_see_who_is_missing(world, login_as, page, screenshot, tmp_path):
    year = timezone.localdate().year
    login_as(world.office)
    page.goto("/a/letters/issue/")
    page.get_by_label("年度").fill(str(year))
    page.get_by_label("下发日期").fill(f"{year}-01-05")
    page.get_by_label("应签订日期").fill(f"{year}-01-31")
    screenshot("accountability_letters_issue")
    page.get_by_role("button", name="预览下发对象").click()
    # The preview lists 处室 and 局属单位, not the bureau itself; nothing is issued yet.
    preview = page.locator("#letter-preview")
    preview.get_by_text("基建处").first.wait_for()
    assert "局机关" not in preview.inner_text()
    assert not DutyLetter.objects.filter(organisation=world.org, year=year).exists()
    screenshot("accountability_letters_preview")
    page.get_by_role("button", name="确认下发 3 份").click()
    page.get_by_text("已下发 3 份责任书").wait_for()
    assert DutyLetter.objects.filter(organisation=world.org, year=year).count() == 3

    letter = DutyLetter.objects.get(organisation=world.org, year=year, unit=world.works)
    scan = tmp_path / "责任书签字页.pdf"
    scan.write_bytes(PDF)
    page.context.clear_cookies()
    login_as(world.head)
    page.goto(f"/a/letters/{letter.pk}/")
    page.get_by_label("签订日期").fill(f"{year}-01-20")
    page.get_by_label("签订人").fill("张处长")
    page.get_by_label("签订扫描件").set_input_files(str(scan))
    page.get_by_role("button", name="保存").click()
    page.get_by_text("已登记签订").wait_for()
    assert page.get_by_role("link", name="责任书签字页.pdf").is_visible()
    screenshot("accountability_letter_signed")

    page.context.clear_cookies()
    login_as(world.office)
    page.goto(f"/a/letters/?year={year}")
    assert "33%" in page.locator("#letter-summary").inner_text()
    screenshot("accountability_letters_after_signing")
