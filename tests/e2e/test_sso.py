"""Single sign-on in the browser: the 统一身份认证 button, and a directory that does not answer."""

from accountability.models import Role, User
from sso.models import DirectoryRoleMapping
from tests.sso.cas_server import CASServer
from tests.sso.conftest import configure_ldap
from tests.sso.slapd import free_port
from tests.sso.test_cas import configure_cas


def test_a_person_signs_in_with_the_cas_button(page, world, settings, screenshot):
    server = CASServer().start()
    try:
        configure_cas(settings, server.url)
        DirectoryRoleMapping.objects.create(
            organisation=world.org, group="chuzhang", role=Role.UNIT_HEAD
        )
        page.goto("/accounts/login/")
        screenshot("sso_login_page_with_cas")
        page.get_by_role("link", name="统一身份认证登录").click()
        page.wait_for_url(lambda url: "/accounts/" not in url)
        assert "张三" in page.locator("nav").inner_text()
        assert User.objects.get(username="zhangsan").unit == world.works
    finally:
        server.stop()


def test_an_unreachable_directory_is_explained_on_the_login_page(page, world, settings, screenshot):
    configure_ldap(settings, f"ldap://127.0.0.1:{free_port()}")
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("zhangsan")
    page.get_by_label("密码").fill("whatever-it-is")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("统一身份认证目录暂时无法连接").wait_for()
    screenshot("sso_directory_unavailable")
