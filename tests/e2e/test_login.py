import pytest

ROLE_CARDS = {
    "office": "党办工作台",
    "head": "本单位事项",
    "leader": "领导驾驶舱",
    "inspector": "纪检监督",
    "admin": "系统管理",
}


@pytest.mark.parametrize("who", list(ROLE_CARDS))
def test_each_role_logs_in_and_sees_its_home_page_in_chinese(
    world, login_as, page, screenshot, who
):
    login_as(getattr(world, who))
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    card = page.locator("section.home-card[data-role]", has_text=ROLE_CARDS[who])
    assert card.is_visible()
    assert page.get_by_role("heading", name=f"您好，{getattr(world, who).full_name}").is_visible()
    screenshot(f"home-{who}")


def test_wrong_password_shows_chinese_error(world, page):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("office")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_text("用户名或密码不正确").is_visible()
