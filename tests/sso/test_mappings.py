"""The mappings the administrator edits, and what the mapping code does with roles."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accountability.models import Role, RoleAssignment
from audit.models import AuditEvent
from sso.models import DirectoryAccount, DirectoryRoleMapping, DirectoryUnitMapping, Source
from sso.services import DirectoryPerson, directory_sync
from tests.factories import UserFactory


def test_a_unit_mapping_must_point_into_its_organisation(world):
    mapping = DirectoryUnitMapping(
        organisation=world.org, attribute="ou", value="另一处", unit=world.other_unit
    )
    with pytest.raises(ValidationError):
        mapping.full_clean()


def test_group_names_are_compared_without_case(world):
    mapping = DirectoryRoleMapping.objects.create(
        organisation=world.org, group="  CN=Dangban,OU=Groups ", role=Role.OFFICE
    )
    assert mapping.group == "cn=dangban,ou=groups"
    person = DirectoryPerson.build(
        source=Source.LDAP, identifier="x", attributes={}, groups=["cn=DANGBAN,ou=groups"]
    )
    directory_sync(user=world.head, person=person)
    assert RoleAssignment.objects.filter(user=world.head, role=Role.OFFICE).exists()


def test_a_separated_role_held_by_hand_blocks_the_mapped_one(world, caplog):
    # The auditor role was given by hand; the directory's admin group must not add a second
    # one of the three separated roles.
    RoleAssignment.objects.create(user=world.head, organisation=world.org, role=Role.AUDITOR)
    DirectoryRoleMapping.objects.create(organisation=world.org, group="xitong", role=Role.ADMIN)
    person = DirectoryPerson.build(
        source=Source.LDAP, identifier="x", attributes={}, groups=["xitong"]
    )
    directory_sync(user=world.head, person=person)
    held = set(RoleAssignment.objects.filter(user=world.head).values_list("role", flat=True))
    assert held == {Role.UNIT_HEAD, Role.AUDITOR}
    assert DirectoryAccount.objects.get(user=world.head).mapped_roles == []
    assert "三员分立" in caplog.text


def test_the_security_administrator_edits_the_role_mappings(client, world):
    # A mapping grants roles: 三员分立 gives it to the security administrator.
    secadmin = UserFactory(
        username="secadmin", full_name="钱安全", unit=world.root, roles=[Role.SECURITY_ADMIN]
    )
    client.force_login(world.admin)
    response = client.post(
        reverse("admin:sso_directoryrolemapping_add"),
        {"organisation": world.org.pk, "group": "cn=x,ou=groups", "role": Role.INSPECTOR},
    )
    assert response.status_code == 403
    client.force_login(secadmin)
    response = client.post(
        reverse("admin:sso_directoryrolemapping_add"),
        {"organisation": world.org.pk, "group": "cn=jijian,ou=groups", "role": Role.INSPECTOR},
    )
    assert response.status_code == 302
    assert DirectoryRoleMapping.objects.filter(group="cn=jijian,ou=groups").exists()
    # Not in another organisation.
    response = client.post(
        reverse("admin:sso_directoryrolemapping_add"),
        {"organisation": world.other_org.pk, "group": "cn=x", "role": Role.OFFICE},
    )
    assert response.status_code == 200
    assert not DirectoryRoleMapping.objects.filter(organisation=world.other_org).exists()


@pytest.fixture
def directory_secadmin(world):
    """A security administrator who signs in through the directory, member of two groups."""
    secadmin = UserFactory(
        username="secadmin", full_name="钱安全", unit=world.root, roles=[Role.SECURITY_ADMIN]
    )
    DirectoryAccount.objects.create(
        user=secadmin, source=Source.LDAP, groups=["cn=anquan,ou=groups", "cn=staff,ou=groups"]
    )
    return secadmin


def test_nobody_maps_a_directory_group_of_their_own_onto_a_role(client, world, directory_secadmin):
    client.force_login(directory_secadmin)
    response = client.post(
        reverse("admin:sso_directoryrolemapping_add"),
        {"organisation": world.org.pk, "group": " CN=Staff,OU=Groups ", "role": Role.INSPECTOR},
    )
    assert response.status_code == 200
    assert "不能把本人所在的目录组“cn=staff,ou=groups”对应到角色" in response.text
    assert not DirectoryRoleMapping.objects.exists()
    assert AuditEvent.objects.filter(action="role_refused", username="secadmin").exists()


def test_nor_turns_an_existing_mapping_onto_their_own_group(client, world, directory_secadmin):
    mapping = DirectoryRoleMapping.objects.create(
        organisation=world.org, group="cn=jijian,ou=groups", role=Role.INSPECTOR
    )
    client.force_login(directory_secadmin)
    response = client.post(
        reverse("admin:sso_directoryrolemapping_change", args=[mapping.pk]),
        {"organisation": world.org.pk, "group": "cn=anquan,ou=groups", "role": Role.INSPECTOR},
    )
    assert response.status_code == 200
    mapping.refresh_from_db()
    assert mapping.group == "cn=jijian,ou=groups"


def test_a_group_of_others_is_mapped_and_the_editor_kept(client, world, directory_secadmin):
    client.force_login(directory_secadmin)
    response = client.post(
        reverse("admin:sso_directoryrolemapping_add"),
        {"organisation": world.org.pk, "group": "cn=jijian,ou=groups", "role": Role.INSPECTOR},
    )
    assert response.status_code == 302
    assert DirectoryRoleMapping.objects.get().changed_by == directory_secadmin


def test_a_mapping_never_grants_a_role_to_the_person_who_saved_it(world, caplog):
    """Joining the group in the directory afterwards does not turn the mapping into a
    self-grant either."""
    DirectoryRoleMapping.objects.create(
        organisation=world.org, group="jijian", role=Role.INSPECTOR, changed_by=world.head
    )
    person = DirectoryPerson.build(
        source=Source.LDAP, identifier="x", attributes={}, groups=["jijian"]
    )
    directory_sync(user=world.head, person=person)
    assert not RoleAssignment.objects.filter(user=world.head, role=Role.INSPECTOR).exists()
    assert "saved by that person" in caplog.text
    directory_sync(user=world.office, person=person)
    assert RoleAssignment.objects.filter(user=world.office, role=Role.INSPECTOR).exists()


def test_the_sign_on_remembers_the_persons_groups(world):
    person = DirectoryPerson.build(
        source=Source.CAS, identifier="x", attributes={}, groups=["B", "a"]
    )
    directory_sync(user=world.head, person=person)
    assert DirectoryAccount.objects.get(user=world.head).groups == ["a", "b"]
