"""报送 and 督办 in the browser: the body sets the due date, the organisation submits its 定稿,
the body receives it and returns another organisation's with comments, issues a 督办, and
closes it once the organisation has replied with evidence."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision.models import Submission, SupervisionNotice
from supervision.services import submission_submit
from tests.samples import ONE_PAGE_PDF
from tests.supervision.fixtures import build_city, make_report, sign_off


@pytest.fixture
def city(world):
    return build_city(world)


@pytest.fixture
def year():
    return timezone.localdate().year - 1


@pytest.fixture
def finals(city, year):
    """Both organisations' reports for the year, signed off (their 定稿)."""
    ours = make_report(city.org, year, "全年召开党组会议专题研究全面从严治党工作4次。")
    sign_off(ours, city.office, city.principal)
    theirs = make_report(city.other_org, year, "全年开展谈心谈话。")
    sign_off(theirs, city.stranger, city.other_principal)
    return ours, theirs


def switch_user(page, login_as, user):
    page.context.clear_cookies()
    login_as(user)


def test_due_date_submission_receipt_return_and_a_supervision_notice(
    page, login_as, city, finals, year, screenshot, tmp_path
):
    ours, theirs = finals
    body_url = reverse("supervision:body", args=[city.body.pk])
    due = timezone.localdate() + datetime.timedelta(days=20)

    # The body's office sets the year's due date.
    login_as(city.body_office)
    page.goto(f"{body_url}?year={year}")
    page.get_by_label("设置截止日期").fill(due.isoformat())
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector(".alert-success")
    assert page.locator("[data-due-date]").first.inner_text() == due.isoformat()
    assert page.locator('tr[data-org="test"] [data-status="missing"]').count() == 1
    screenshot("supervision_due_set")

    # 测试水利局's office submits its 定稿.
    switch_user(page, login_as, city.office)
    page.goto(f"{reverse('supervision:organisation')}?year={year}")
    screenshot("supervision_org_before")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="报送上级党组织").click()
    page.wait_for_url("**/supervision/submissions/**")
    assert page.locator('[data-status="submitted"]').count() == 1
    submission = Submission.objects.get(organisation=city.org)
    assert submission.pdf_sha256 and submission.docx_sha256
    # The other organisation submits too (its office, outside the browser).
    other = submission_submit(report=theirs, by=city.stranger)

    # The body receives the first and returns the second with comments.
    switch_user(page, login_as, city.body_office)
    page.goto(f"{body_url}?year={year}")
    assert page.locator("[data-count='submitted']").inner_text() == "2"
    screenshot("supervision_board_two_submitted")
    page.locator('tr[data-org="test"]').get_by_role("link", name="查看并签收").click()
    with page.expect_download() as info:
        page.locator("[data-download='pdf']").click()
    with open(info.value.path(), "rb") as downloaded, submission.pdf.open("rb") as stored:
        assert downloaded.read() == stored.read()
    page.get_by_role("button", name="签收").click()
    page.wait_for_selector('[data-status="received"]')
    screenshot("supervision_received")

    page.goto(reverse("supervision:submission-detail", args=[other.pk]))
    page.get_by_role("button", name="退回修改").click()  # no comments: the browser stops it
    comments = page.locator("form[action$='return/'] textarea")
    assert comments.evaluate("field => field.validity.valueMissing")
    assert Submission.objects.get(pk=other.pk).status == "submitted"
    comments.fill("请补充警示教育开展情况的具体数据。")
    page.get_by_role("button", name="退回修改").click()
    page.wait_for_selector('[data-status="returned"]')
    assert "请补充警示教育" in page.locator("[data-comments]").first.inner_text()
    page.goto(f"{body_url}?year={year}")
    assert page.locator("[data-count='returned']").inner_text() == "1"
    screenshot("supervision_board_after")

    # The body issues a 督办 to 测试水利局.
    page.locator('tr[data-org="test"]').get_by_role("link", name="督办").click()
    page.get_by_label("督办事项").fill("谈心谈话开展不够经常")
    page.get_by_label("督办内容").fill("请说明今年谈心谈话开展情况，并报送整改措施。")
    page.get_by_label("答复期限").fill(
        (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    )
    screenshot("supervision_notice_form")
    page.get_by_role("button", name="下发").click()
    page.wait_for_selector('[data-notice-status="issued"]')
    notice = SupervisionNotice.objects.get()

    # 测试水利局's office replies: without evidence first (refused), then with it.
    switch_user(page, login_as, city.office)
    page.goto(reverse("home"))
    assert "谈心谈话开展不够经常" in page.locator("[data-testid='todo']").inner_text()
    page.goto(reverse("supervision:notice-detail", args=[notice.pk]))
    page.get_by_label("答复内容").fill("已制定谈心谈话计划，全年开展谈心谈话36人次。")
    page.get_by_role("button", name="提交答复").click()
    assert "至少一份佐证材料" in page.locator(".alert-danger").first.inner_text()
    evidence = tmp_path / "谈心谈话记录.pdf"
    evidence.write_bytes(ONE_PAGE_PDF)
    page.get_by_label("答复内容").fill("已制定谈心谈话计划，全年开展谈心谈话36人次。")
    page.locator("form[action$='reply/'] input[type=file]").set_input_files(str(evidence))
    page.get_by_role("button", name="提交答复").click()
    page.wait_for_selector('[data-notice-status="replied"]')
    screenshot("supervision_notice_replied")

    # The body sees the reply with its evidence and closes the 督办.
    switch_user(page, login_as, city.body_office)
    page.goto(reverse("supervision:notice-detail", args=[notice.pk]))
    assert "全年开展谈心谈话36人次" in page.locator("[data-reply]").inner_text()
    assert page.locator("[data-evidence]").inner_text().strip() == "谈心谈话记录.pdf"
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="办结").click()
    page.wait_for_selector('[data-notice-status="closed"]')
    screenshot("supervision_notice_closed")
    notice.refresh_from_db()
    assert notice.status == "closed" and notice.decided_by == city.body_office
