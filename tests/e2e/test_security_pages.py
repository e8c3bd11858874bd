"""The security pages in a real browser: the locked-out page, the auditor's log."""

import pytest

from accountability.models import Role
from tests.factories import UserFactory


@pytest.fixture
def auditor(world):
    return UserFactory(username="shenji", full_name="赵审", unit=world.root, roles=[Role.AUDITOR])


def test_repeated_failures_show_how_long_to_wait(page, world, screenshot, settings):
    settings.LOGIN_ACCOUNT_FREE_FAILURES = 3
    for _ in range(3):
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill("LEADER ")
        page.get_by_label("密码").fill("wrong")
        page.get_by_role("button", name="登录").click()
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("leader")
    page.get_by_label("密码").fill(world.password)
    page.get_by_role("button", name="登录").click()
    assert page.get_by_text("登录已暂时锁定").is_visible()
    assert page.get_by_text("秒后再试").is_visible()
    screenshot()


def test_the_auditor_reads_the_log_with_filters(login_as, auditor, world, screenshot):
    page = login_as(auditor)
    page.get_by_role("link", name="安全审计").click()
    page.wait_for_url("**/a/audit/")
    assert page.get_by_role("heading", name="安全审计日志").is_visible()
    assert page.get_by_role("cell", name="登录成功").first.is_visible()
    page.get_by_label("事件").select_option("login")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**action=login**")
    screenshot()
