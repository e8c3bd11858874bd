"""The everyday loop between two people, each in their own browser: the inspector returns a
closure with a reason; the responsible person, whose page is open, sees it in the bell within
seconds and on his 待办, adds evidence and asks again; the inspector accepts; he is told.

Runs on PostgreSQL (``config.settings.test``) and on the `make run` configuration
(``config.settings.test_sqlite``: SQLite, filesystem broker, no Redis).
"""

import pytest
from playwright.sync_api import expect

from notices.models import Notice
from rectification import services
from rectification.models import Measure
from tests.rectification.factories import FindingFactory, InspectionFactory, MeasureFactory, pdf
from tests.samples import ONE_PAGE_PDF

from . import serial

PDF = ONE_PAGE_PDF


@pytest.fixture
def second_page(browser, live_server):
    """The inspector's own browser window, beside the responsible person's."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _login(page, user, password):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_returned_closure_reaches_the_open_page_and_the_loop_closes(
    world, page, second_page, settings, screenshot, tmp_path
):
    settings.NOTICE_BELL_POLL_SECONDS = 1
    world.head.email = "head@example.org"
    world.head.save()
    finding = FindingFactory(inspection=InspectionFactory(organisation=world.org), number=1)
    measure = MeasureFactory(
        finding=finding,
        description="逐级签订党风廉政建设责任书",
        lead_leader=world.leader,
        unit=world.works,
        responsible_person=world.head,
    )
    services.measure_request_closure(measure=measure, by=world.head, note="已签订", files=[pdf()])
    evidence = tmp_path / "重点岗位责任书.pdf"
    evidence.write_bytes(PDF)

    # The responsible person has his home page open: nothing returned yet.
    _login(page, world.head, world.password)
    page.goto("/")
    bell = page.get_by_test_id("reminder-bell")
    expect(bell.get_by_test_id("reminder-bell-count")).to_have_count(0)

    # The inspector returns the request with a reason, in her own window.
    inspector = second_page
    _login(inspector, world.inspector, world.password)
    expect(inspector.get_by_test_id("reminder-bell-count")).to_have_text("1")  # the request
    inspector.goto("/r/review/")
    card = inspector.locator(f"#measure-{measure.pk}")
    card.get_by_label("退回原因").fill("缺少重点岗位责任书扫描件")
    card.get_by_role("button", name="退回").click()
    expect(inspector.get_by_text("已退回销号申请")).to_be_visible()

    # Within seconds his open page's bell shows it, without reloading.
    expect(page.get_by_test_id("reminder-bell-count")).to_have_text("1", timeout=10_000)
    screenshot("notices-1-bell")
    # His 待办 lists the returned measure with the reason; one click opens it.
    page.reload()
    todo = page.get_by_test_id("todo")
    row = todo.get_by_test_id("todo-row").filter(has_text="缺少重点岗位责任书扫描件")
    expect(row).to_be_visible()
    screenshot("notices-2-todo")
    page.get_by_test_id("reminder-bell").click()
    notice = page.get_by_test_id("notice").filter(has_text="缺少重点岗位责任书扫描件")
    expect(notice).to_be_visible()
    screenshot("notices-3-inbox")
    page.goto("/")
    page.get_by_test_id("todo-row").filter(has_text="缺少重点岗位责任书扫描件").click()
    page.wait_for_url(f"**/r/measures/{measure.pk}/")

    # He adds the missing evidence and asks again.
    page.get_by_label("整改完成情况").fill("已补充重点岗位责任书扫描件")
    page.locator("form[action$='request-closure/'] input[type=file]").set_input_files(evidence)
    page.get_by_role("button", name="提交销号申请").click()
    expect(page.get_by_text("已提交销号申请")).to_be_visible()

    # The inspector accepts; he is told, again within seconds on his open page.
    inspector.goto("/r/review/")
    inspector.once("dialog", lambda dialog: dialog.accept())  # 同意销号 asks first
    inspector.locator(f"#measure-{measure.pk}").get_by_role("button", name="同意销号").click()
    expect(inspector.get_by_text("已同意销号")).to_be_visible()
    page.goto("/")
    with serial.LOCK:  # the pages poll their bells meanwhile (SQLite run: one connection)
        count_before = Notice.objects.filter(recipient=world.head, read_at__isnull=True).count()
    assert count_before >= 1
    expect(page.get_by_test_id("reminder-bell-count")).to_have_text(str(count_before))
    page.get_by_test_id("reminder-bell").click()
    expect(page.get_by_test_id("notice").filter(has_text="已同意销号")).to_be_visible()
    screenshot("notices-4-accepted")

    with serial.LOCK:
        measure.refresh_from_db()
        kinds = sorted(Notice.objects.filter(recipient=world.head).values_list("kind", flat=True))
        requests = Notice.objects.filter(recipient=world.inspector, kind="closure_requested")
        asked = requests.count()
    assert measure.state == Measure.State.CLOSED
    assert kinds == ["closure_accepted", "closure_returned"]
    assert asked == 2
