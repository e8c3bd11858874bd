import pytest
from django.urls import reverse
from django.utils import translation


@pytest.mark.django_db
class TestUnitList:
    url = reverse("accountability:unit-list")

    def test_anonymous_is_sent_to_login(self, client, world):
        response = client.get(self.url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_head_sees_only_own_subtree(self, login, world):
        body = login(world.head).get(self.url).content.decode()
        assert "工程科" in body
        assert "财务处" not in body
        assert "另一处" not in body

    def test_office_sees_its_organisation_not_the_other(self, login, world):
        body = login(world.office).get(self.url).content.decode()
        assert "财务处" in body
        assert "另一处" not in body

    def test_unit_kinds_are_worded_for_any_organisation(self, login, world):
        """A 委员会 or a 厅 installs the portal as well as a 局: the kinds name no 局."""
        from accountability.models import Unit

        with translation.override("zh-hans"):
            labels = [str(label) for label in Unit.Kind.labels]
        assert labels == ["机关本级", "处室", "直属单位", "党支部"]
        body = login(world.office).get(self.url).content.decode()
        assert "<td>机关本级</td>" in body


@pytest.mark.django_db
class TestAccounts:
    def test_wrong_password_gives_chinese_message(self, client, world):
        response = client.post(reverse("login"), {"username": "office", "password": "wrong"})
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()

    def test_login_rotates_session_key(self, client, world):
        client.get(reverse("login"))
        before = client.session.session_key
        client.post(reverse("login"), {"username": "office", "password": world.password})
        assert client.session.session_key != before
        assert "_auth_user_id" in client.session

    def test_username_is_case_insensitive(self, client, world):
        response = client.post(reverse("login"), {"username": "OFFICE", "password": world.password})
        assert response.status_code == 302

    def test_repeated_failures_lock_the_account(self, client, world, settings):
        for _ in range(settings.LOGIN_ACCOUNT_FREE_FAILURES):
            client.post(reverse("login"), {"username": "office", "password": "wrong"})
        response = client.post(reverse("login"), {"username": "office", "password": world.password})
        assert "登录已暂时锁定" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_logout_requires_post_and_ends_session(self, login, world):
        client = login(world.office)
        assert client.get(reverse("logout")).status_code == 405
        client.post(reverse("logout"))
        assert client.get(reverse("home")).status_code == 302

    def test_unknown_url_gives_chinese_404(self, login, world):
        response = login(world.office).get("/no-such-page/")
        assert response.status_code == 404
        assert "页面不存在" in response.content.decode()

    def test_password_change_rejects_mismatch_in_chinese(self, login, world):
        response = login(world.office).post(
            reverse("password_change"),
            {
                "old_password": world.password,
                "new_password1": "Abc!12345xyz",
                "new_password2": "different!123",
            },
        )
        assert response.status_code == 200
        assert "两次输入的新密码不一致，请重新输入。" in response.content.decode()


@pytest.mark.django_db
class TestHome:
    @pytest.mark.parametrize(
        "who, card",
        [
            ("office", "党办工作台"),
            ("head", "本单位事项"),
            ("leader", "领导驾驶舱"),
            ("inspector", "纪检监督"),
            ("admin", "系统管理"),
        ],
    )
    def test_each_role_sees_its_card(self, login, world, who, card):
        body = login(getattr(world, who)).get(reverse("home")).content.decode()
        assert card in body

    def test_the_security_administrator_is_not_offered_the_organisations_work(self, login, world):
        from accountability.models import Role
        from tests.factories import UserFactory

        security = UserFactory(username="security", unit=world.root, roles=[Role.SECURITY_ADMIN])
        body = login(security).get(reverse("home")).content.decode()
        assert reverse("reports:dashboard") not in body
        assert reverse("assessment:scheme-list") not in body
        assert reverse("reports:dashboard") in login(world.admin).get(reverse("home")).text

    def test_head_does_not_get_office_card(self, login, world):
        body = login(world.head).get(reverse("home")).content.decode()
        assert "党办工作台" not in body

    def test_home_query_count_does_not_grow_with_units(self, login, world):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tests.factories import UnitFactory

        client = login(world.office)
        client.get(reverse("home"))

        def count():
            # Warm: the person and scope cache (person_cache) is retired by the new units.
            client.get(reverse("home"))
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse("home")).status_code == 200
            return len(queries)

        before = count()
        for n in range(15):
            UnitFactory(organisation=world.org, parent=world.finance, name=f"新单位{n}")
        assert count() == before
