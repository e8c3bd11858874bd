"""The mappings the administrator edits, and what the mapping code does with roles."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accountability.models import Role, RoleAssignment
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
