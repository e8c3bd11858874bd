"""目录账号 in a real browser: the security administrator deactivates a person the directory
no longer has, in one click (with the confirmation the page asks)."""

import datetime

import pytest
from django.utils import timezone

from accountability.models import Role, RoleAssignment
from sso.models import DirectoryAccount, Source
from tests.factories import UserFactory


@pytest.fixture
def directory_people(world, settings):
    settings.LDAP_SERVER_URI = "ldap://127.0.0.1:1"  # configured (the page is only read here)
    now = timezone.now()
    present = UserFactory(username="zhangsan", full_name="张三", unit=world.works)
    RoleAssignment.objects.create(user=present, organisation=world.org, role=Role.UNIT_HEAD)
    DirectoryAccount.objects.create(
        user=present,
        source=Source.LDAP,
        mapped_roles=[[world.org.pk, Role.UNIT_HEAD]],
        checked_at=now,
    )
    present.last_login = now - datetime.timedelta(hours=3)
    present.save(update_fields=["last_login"])
    gone = UserFactory(username="lisi", full_name="李四", unit=world.finance)
    RoleAssignment.objects.create(user=gone, organisation=world.org, role=Role.OFFICE)
    DirectoryAccount.objects.create(
        user=gone,
        source=Source.LDAP,
        mapped_roles=[[world.org.pk, Role.OFFICE]],
        checked_at=now,
        missing_since=now - datetime.timedelta(days=2),
    )
    cas = UserFactory(username="wangwu", full_name="王五", unit=world.root)
    DirectoryAccount.objects.create(user=cas, source=Source.CAS)
    return gone


def test_the_security_administrator_deactivates_a_person_gone_from_the_directory(
    login_as, world, directory_people, screenshot
):
    secadmin = UserFactory(
        username="anquan", full_name="钱安", unit=world.root, roles=[Role.SECURITY_ADMIN]
    )
    page = login_as(secadmin)
    page.get_by_role("link", name="目录账号").click()
    page.wait_for_url("**/directory/")
    assert page.get_by_role("heading", name="目录账号").is_visible()
    row = page.get_by_role("row").filter(has_text="李四")
    assert row.get_by_text("目录中已查无此人").is_visible()
    screenshot("directory_accounts")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="停用").click()
    page.wait_for_load_state()
    assert page.get_by_text("已停用“李四”的账号").is_visible()
    assert page.get_by_role("row").filter(has_text="李四").get_by_text("已停用").is_visible()
    screenshot("directory_accounts_after")
    directory_people.refresh_from_db()
    assert not directory_people.is_active
