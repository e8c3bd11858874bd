"""LDAP sign-on against a real slapd: unit and roles from the mapping, failures in Chinese."""

import time
import uuid

import pytest
from django.urls import reverse

from accountability.models import Role, RoleAssignment, User
from sso.models import DirectoryAccount

from .conftest import configure_ldap
from .slapd import PASSWORD, Slapd

LOGIN = reverse("login")


def sign_in(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def roles(user):
    return set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))


def test_a_directory_person_signs_in_with_unit_and_roles(client, world, directory):
    response = sign_in(client, "zhangsan")
    assert response.status_code == 302
    user = User.objects.get(username="zhangsan")
    assert user.full_name == "张三"
    assert user.email == "zhangsan@example.gov"
    assert user.organisation == world.org
    assert user.unit == world.works  # ou=基建处: a unit of that name
    assert roles(user) == {Role.UNIT_HEAD}
    assert not user.has_usable_password()
    assert client.get(reverse("accountability:workrecord-list")).status_code == 200


def test_the_unit_mapping_wins_over_the_unit_name(client, world, directory):
    sign_in(client, "wangwu")
    user = User.objects.get(username="wangwu")
    assert user.unit == world.root  # ou=党办 mapped to 局机关


def test_separated_administrator_roles_are_not_combined(client, world, directory, caplog):
    # wangwu is in both the system administrators' and the security administrators' groups.
    sign_in(client, "wangwu")
    user = User.objects.get(username="wangwu")
    assert roles(user) == {Role.OFFICE, Role.ADMIN}
    assert "三员分立" in caplog.text


def test_a_mapping_of_another_organisation_is_ignored(client, world, directory):
    sign_in(client, "lisi")
    user = User.objects.get(username="lisi")
    assert set(RoleAssignment.objects.filter(user=user).values_list("organisation", flat=True)) == {
        world.org.pk
    }
    assert user.unit == world.finance


def test_a_wrong_directory_password_is_refused(client, world, directory):
    response = sign_in(client, "zhangsan", "not-the-password")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_local_accounts_still_sign_in(client, world, directory):
    response = sign_in(client, "office", world.password)
    assert response.status_code == 302


def test_a_local_superuser_is_not_taken_over(client, world, directory):
    User.objects.create_superuser("zhaoliu", password="Local@2026-pass", full_name="本地管理员")
    response = sign_in(client, "zhaoliu")  # the directory's password
    assert response.status_code == 200
    assert sign_in(client, "zhaoliu", "Local@2026-pass").status_code == 302


def test_roles_removed_from_the_mapping_are_taken_back(client, world, directory):
    sign_in(client, "zhangsan")
    user = User.objects.get(username="zhangsan")
    RoleAssignment.objects.create(user=user, organisation=world.org, role=Role.INSPECTOR)
    directory.remove_from_group("zhangsan", "chuzhang")
    try:
        client.logout()
        assert sign_in(client, "zhangsan").status_code == 302
        # The mapped role is gone; the role given by hand stays.
        assert roles(user) == {Role.INSPECTOR}
    finally:
        directory_conn = directory.connect()
        import ldap

        directory_conn.modify_s(
            "cn=chuzhang,ou=groups,dc=example,dc=gov",
            [(ldap.MOD_ADD, "member", [b"uid=zhangsan,ou=people,dc=example,dc=gov"])],
        )
        directory_conn.unbind_s()


def test_a_person_removed_from_the_directory_loses_access(client, world, directory):
    uid = f"gone{uuid.uuid4().hex[:8]}"
    directory.add_person(uid, "离职人员", "基建处", groups=["chuzhang"])
    assert sign_in(client, uid).status_code == 302
    user = User.objects.get(username=uid)
    assert roles(user) == {Role.UNIT_HEAD}

    directory.delete_person(uid, groups=["chuzhang"])
    # The old session ends with the account, and the next login is refused.
    response = sign_in(client.__class__(), uid)
    assert response.status_code == 200
    user.refresh_from_db()
    assert not user.is_active
    assert roles(user) == set()
    assert DirectoryAccount.objects.get(user=user).removed_at is not None
    assert client.get(reverse("accountability:workrecord-list")).status_code == 302


def assert_unavailable_quickly(client, username="zhangsan"):
    started = time.monotonic()
    response = sign_in(client, username)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert "统一身份认证目录暂时无法连接" in response.content.decode()
    assert elapsed < 3, elapsed
    return response


def test_a_directory_nobody_listens_on_says_so_and_local_accounts_work(
    client, world, directory, settings, closed_port
):
    configure_ldap(settings, f"ldap://127.0.0.1:{closed_port}")
    assert_unavailable_quickly(client)
    assert sign_in(client, "office", world.password).status_code == 302


def test_a_local_accounts_wrong_password_is_told_as_such_while_the_directory_is_down(
    client, world, directory, settings, closed_port
):
    configure_ldap(settings, f"ldap://127.0.0.1:{closed_port}")
    response = sign_in(client, "office", "not-the-password")
    assert "用户名或密码不正确" in response.content.decode()


@pytest.fixture
def frozen_slapd(tmp_path):
    server = Slapd(tmp_path / "frozen").start()
    server.freeze()
    yield server
    server.stop()


def test_a_frozen_directory_says_so_within_three_seconds(
    client, world, directory, settings, frozen_slapd
):
    configure_ldap(settings, frozen_slapd.uri)
    assert_unavailable_quickly(client)
    started = time.monotonic()
    assert sign_in(client, "office", world.password).status_code == 302
    assert time.monotonic() - started < 3


def test_a_stopped_directory_says_so(client, world, directory, settings, tmp_path):
    server = Slapd(tmp_path / "stopped").start()
    server.stop()
    configure_ldap(settings, server.uri)
    assert_unavailable_quickly(client)


def test_a_directory_person_is_not_deactivated_when_the_directory_is_down(
    client, world, directory, settings, closed_port
):
    sign_in(client, "zhangsan")
    client.logout()
    configure_ldap(settings, f"ldap://127.0.0.1:{closed_port}")
    assert_unavailable_quickly(client)
    user = User.objects.get(username="zhangsan")
    assert user.is_active
    assert roles(user) == {Role.UNIT_HEAD}


def test_ldap_is_off_by_default():
    from django.conf import settings

    assert settings.LDAP_SERVER_URI == ""
    assert "sso.backends.DirectoryBackend" not in settings.AUTHENTICATION_BACKENDS


def test_a_unit_the_portal_lacks_is_left_empty_or_created_on_request(
    client, world, directory, settings
):
    from accountability.models import Unit

    sign_in(client, "zhaoliu")  # ou=不存在的处
    assert User.objects.get(username="zhaoliu").unit is None
    assert not Unit.objects.filter(name="不存在的处").exists()

    settings.SSO_CREATE_UNITS = True
    client.logout()
    sign_in(client, "zhaoliu")
    unit = User.objects.get(username="zhaoliu").unit
    assert unit.name == "不存在的处"
    assert unit.organisation == world.org
    assert unit.parent == world.root


def test_without_mirroring_the_unit_is_set_once(client, world, directory, settings):
    settings.SSO_MIRROR_UNIT = False
    sign_in(client, "zhangsan")
    user = User.objects.get(username="zhangsan")
    assert user.unit == world.works
    user.unit = world.works_section  # moved by hand in the portal
    user.save()
    client.logout()
    sign_in(client, "zhangsan")
    user.refresh_from_db()
    assert user.unit == world.works_section


def test_with_mirroring_the_unit_follows_the_directory(client, world, directory):
    sign_in(client, "zhangsan")
    user = User.objects.get(username="zhangsan")
    user.unit = world.finance
    user.save()
    client.logout()
    sign_in(client, "zhangsan")
    user.refresh_from_db()
    assert user.unit == world.works
