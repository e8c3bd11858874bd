"""A real OpenLDAP directory (tests/sso/slapd.py) and the portal configured to use it."""

import pytest

from accountability.models import Role
from sso.models import DirectoryRoleMapping, DirectoryUnitMapping

from .slapd import GROUPS, PEOPLE, Slapd, free_port


@pytest.fixture(scope="session")
def slapd(tmp_path_factory):
    server = Slapd(tmp_path_factory.mktemp("slapd")).start()
    yield server
    server.stop()


def configure_ldap(settings, uri):
    settings.LDAP_SERVER_URI = uri
    settings.AUTH_LDAP_SERVER_URI = uri
    settings.AUTH_LDAP_BIND_DN = ""
    settings.AUTH_LDAP_BIND_PASSWORD = ""
    settings.LDAP_USER_SEARCH_BASE = PEOPLE
    settings.LDAP_USER_FILTER = "(uid=%(user)s)"
    settings.LDAP_GROUP_SEARCH_BASE = GROUPS
    settings.LDAP_GROUP_FILTER = "(objectClass=groupOfNames)"
    settings.LDAP_GROUP_TYPE = "groupOfNames"
    settings.LDAP_TIMEOUT = 1.0
    settings.SSO_ORGANISATION = "test"
    settings.SSO_UNIT_ATTRIBUTE = "ou"
    settings.SSO_MIRROR_UNIT = True
    settings.SSO_CREATE_UNITS = False
    settings.AUTHENTICATION_BACKENDS = [
        "audit.backends.LoginThrottleBackend",
        "sso.backends.DirectoryBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]


@pytest.fixture
def directory(world, slapd, settings):
    """The portal signs in through the test slapd; the test world's mappings."""
    configure_ldap(settings, slapd.uri)
    DirectoryRoleMapping.objects.create(
        organisation=world.org, group=f"cn=dangban,{GROUPS}", role=Role.OFFICE
    )
    DirectoryRoleMapping.objects.create(
        organisation=world.org, group=f"cn=chuzhang,{GROUPS}", role=Role.UNIT_HEAD
    )
    DirectoryRoleMapping.objects.create(
        organisation=world.org, group=f"cn=xitong,{GROUPS}", role=Role.ADMIN
    )
    DirectoryRoleMapping.objects.create(
        organisation=world.org, group=f"cn=anquan,{GROUPS}", role=Role.SECURITY_ADMIN
    )
    # A mapping of another organisation for the same group: never applies to this directory.
    DirectoryRoleMapping.objects.create(
        organisation=world.other_org, group=f"cn=chuzhang,{GROUPS}", role=Role.OFFICE
    )
    DirectoryUnitMapping.objects.create(
        organisation=world.org, attribute="ou", value="党办", unit=world.root
    )
    return slapd


@pytest.fixture
def closed_port():
    """A port nobody listens on."""
    return free_port()
