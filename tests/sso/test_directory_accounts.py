"""目录账号: the accounts that came from the directory, checked against the real test slapd."""

import contextlib
import time
import uuid

import ldap
import pytest
from django.test import Client
from django.urls import reverse

from accountability.models import Role, RoleAssignment, User
from audit.models import AuditEvent
from sso.models import DirectoryAccount
from tests.factories import UserFactory

from .slapd import PASSWORD

LIST = reverse("directory:account-list")
CHECK = reverse("directory:account-check")


def deactivate_url(account):
    return reverse("directory:account-deactivate", args=[account.pk])


def sign_in(username):
    client = Client()
    assert (
        client.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code
        == 302
    )
    return client


@pytest.fixture
def secadmin(world):
    return UserFactory(
        username="secadmin", full_name="钱安全", unit=world.root, roles=[Role.SECURITY_ADMIN]
    )


@pytest.fixture
def auditor(world):
    return UserFactory(
        username="auditor", full_name="赵审计", unit=world.root, roles=[Role.AUDITOR]
    )


@pytest.fixture
def leaver(directory):
    """A person of 基建处 in the directory, signed in once; the test removes them."""
    uid = f"leaver{uuid.uuid4().hex[:8]}"
    directory.add_person(uid, "将离职", "基建处", groups=["chuzhang"])
    session = sign_in(uid)
    user = User.objects.get(username=uid)
    user.session = session
    yield user
    with contextlib.suppress(ldap.LDAPError):  # the test may have removed them already
        directory.delete_person(uid, groups=["chuzhang"])


def _gone(directory, user):
    directory.delete_person(user.username, groups=["chuzhang"])


def test_the_page_lists_directory_people_with_unit_roles_and_last_login(
    client, world, directory, secadmin, leaver
):
    sign_in("zhangsan")
    client.force_login(secadmin)
    response = client.get(LIST)
    assert response.status_code == 200
    page = response.text
    assert "张三" in page and "将离职" in page
    assert "基建处" in page
    assert "处室负责人" in page  # the mapped role
    assert "LDAP / Active Directory" in page
    assert "尚未核对" in page
    assert "核对目录" in page
    # A local account is not a directory account.
    assert world.office.full_name not in page


def test_the_check_flags_only_the_people_the_directory_no_longer_has(
    client, world, directory, secadmin, leaver
):
    sign_in("zhangsan")
    _gone(directory, leaver)
    client.force_login(secadmin)
    response = client.post(CHECK, follow=True)
    assert "其中 1 个在目录中已查无此人" in response.text
    gone = DirectoryAccount.objects.get(user=leaver)
    assert gone.missing_since is not None and gone.checked_at is not None
    present = DirectoryAccount.objects.get(user__username="zhangsan")
    assert present.missing_since is None and present.checked_at is not None
    # Flagging changes nothing else: the account and its roles stay until deactivated.
    leaver.refresh_from_db()
    assert leaver.is_active
    assert RoleAssignment.objects.filter(user=leaver, role=Role.UNIT_HEAD).exists()
    assert AuditEvent.objects.filter(action="directory_checked", username="secadmin").exists()
    missing_page = client.get(LIST, {"missing": "1"}).text
    assert "将离职" in missing_page and "张三" not in missing_page


def test_one_step_deactivates_a_flagged_account_and_is_audited(
    client, world, directory, secadmin, leaver
):
    _gone(directory, leaver)
    client.force_login(secadmin)
    client.post(CHECK)
    account = DirectoryAccount.objects.get(user=leaver)
    response = client.post(deactivate_url(account), follow=True)
    assert "已停用“将离职”的账号" in response.text
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert not RoleAssignment.objects.filter(user=leaver).exists()
    account.refresh_from_db()
    assert account.mapped_roles == [] and account.removed_at is not None
    event = AuditEvent.objects.get(action="account_deactivated")
    assert (event.username, event.object_id) == ("secadmin", str(leaver.pk))
    assert "unit_head" in event.detail
    # Their open session ends with the account.
    assert leaver.session.get(reverse("accountability:workrecord-list")).status_code == 302


def test_an_account_still_in_the_directory_is_not_deactivated_here(
    client, world, directory, secadmin, leaver
):
    client.force_login(secadmin)
    client.post(CHECK)
    account = DirectoryAccount.objects.get(user=leaver)
    response = client.post(deactivate_url(account), follow=True)
    assert "仍在目录中，不能在此停用" in response.text
    leaver.refresh_from_db()
    assert leaver.is_active
    assert not AuditEvent.objects.filter(action="account_deactivated").exists()


def test_someone_back_in_the_directory_is_no_longer_flagged(
    client, world, directory, secadmin, leaver
):
    account = DirectoryAccount.objects.get(user=leaver)
    DirectoryAccount.objects.filter(pk=account.pk).update(missing_since="2026-01-01T00:00Z")
    client.force_login(secadmin)
    client.post(CHECK)
    account.refresh_from_db()
    assert account.missing_since is None


def test_nobody_deactivates_their_own_account(client, world, directory, secadmin):
    own = DirectoryAccount.objects.create(
        user=secadmin, source="ldap", missing_since="2026-01-01T00:00Z"
    )
    client.force_login(secadmin)
    response = client.post(deactivate_url(own), follow=True)
    assert "不能停用本人的账号" in response.text
    secadmin.refresh_from_db()
    assert secadmin.is_active


def test_an_unreachable_directory_says_so_quickly_and_changes_nothing(
    client, world, directory, secadmin, leaver, settings, closed_port
):
    settings.LDAP_SERVER_URI = f"ldap://127.0.0.1:{closed_port}"
    client.force_login(secadmin)
    started = time.monotonic()
    response = client.post(CHECK, follow=True)
    assert time.monotonic() - started < 3
    assert "目录暂时无法连接，未作任何更改" in response.text
    account = DirectoryAccount.objects.get(user=leaver)
    assert account.checked_at is None and account.missing_since is None
    assert not AuditEvent.objects.filter(action="directory_checked").exists()


def test_the_auditor_reads_but_neither_checks_nor_deactivates(
    client, world, directory, auditor, leaver
):
    DirectoryAccount.objects.filter(user=leaver).update(missing_since="2026-01-01T00:00Z")
    client.force_login(auditor)
    page = client.get(LIST)
    assert page.status_code == 200
    assert "将离职" in page.text
    assert "核对目录" not in page.text and "停用</button>" not in page.text
    assert client.post(CHECK).status_code == 403
    account = DirectoryAccount.objects.get(user=leaver)
    assert client.post(deactivate_url(account)).status_code == 403
    leaver.refresh_from_db()
    assert leaver.is_active


def test_the_security_administrator_of_another_organisation_sees_nothing_here(
    client, world, directory, leaver
):
    other = UserFactory(username="othersec", unit=world.other_unit, roles=[Role.SECURITY_ADMIN])
    client.force_login(other)
    assert "将离职" not in client.get(LIST).text
    account = DirectoryAccount.objects.get(user=leaver)
    assert client.post(deactivate_url(account)).status_code == 404


def test_the_navigation_offers_the_page_when_a_directory_is_configured(
    client, world, directory, secadmin
):
    client.force_login(secadmin)
    assert "目录账号" in client.get(reverse("home")).text
    client.force_login(world.office)
    assert "目录账号" not in client.get(reverse("home")).text
