"""Sign-on backends: LDAP / Active Directory (django-auth-ldap) and CAS (django-cas-ng).

Both hand what the directory says to sso.services; neither decides roles itself.
"""

import logging
from types import SimpleNamespace
from xml.etree import ElementTree

import ldap
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django_auth_ldap.backend import LDAPBackend, _LDAPUser, ldap_error
from django_auth_ldap.config import (
    ActiveDirectoryGroupType,
    GroupOfNamesType,
    GroupOfUniqueNamesType,
    LDAPSearch,
    PosixGroupType,
)
from django_cas_ng.backends import CASBackend
from django_cas_ng.utils import get_cas_client

from .models import DirectoryAccount, Source
from .services import DirectoryPerson, directory_remove, directory_sync

logger = logging.getLogger(__name__)

DIRECTORY_UNAVAILABLE = _(
    "统一身份认证目录暂时无法连接，请稍后再试；未接入目录的本地账号仍可正常登录。"
)
CAS_UNAVAILABLE = _("统一身份认证平台暂时无法连接，请稍后再试，或使用本地账号登录。")
CAS_TICKET_REFUSED = _(
    "统一身份认证未通过：登录凭据无效、已使用或不属于本系统，请重新点击“统一身份认证登录”。"
)
GROUP_TYPES = {
    "groupOfNames": GroupOfNamesType,
    "groupOfUniqueNames": GroupOfUniqueNamesType,
    "posixGroup": PosixGroupType,
    "activeDirectory": ActiveDirectoryGroupType,
}


def _remember_directory_error(sender, context, user, request, exception, **kwargs):
    """django-auth-ldap reports an unreachable directory only through this signal."""
    if request is not None:
        request.directory_error = exception


ldap_error.connect(_remember_directory_error, dispatch_uid="sso-directory-error")


def _local_superuser(user):
    return user.pk is not None and user.is_superuser and not hasattr(user, "directory_account")


class DirectoryBackend(LDAPBackend):
    """LDAP sign-on configured from the plain LDAP_* settings (see config/settings/base.py)."""

    @property
    def settings(self):
        if self._settings is None:
            configured = super().settings
            timeout = settings.LDAP_TIMEOUT
            configured.SERVER_URI = settings.LDAP_SERVER_URI
            configured.CONNECTION_OPTIONS = {
                ldap.OPT_NETWORK_TIMEOUT: timeout,
                ldap.OPT_TIMEOUT: timeout,
                ldap.OPT_REFERRALS: 0,
            }
            configured.USER_SEARCH = LDAPSearch(
                settings.LDAP_USER_SEARCH_BASE, ldap.SCOPE_SUBTREE, settings.LDAP_USER_FILTER
            )
            if settings.LDAP_GROUP_SEARCH_BASE:
                configured.GROUP_SEARCH = LDAPSearch(
                    settings.LDAP_GROUP_SEARCH_BASE, ldap.SCOPE_SUBTREE, settings.LDAP_GROUP_FILTER
                )
                configured.GROUP_TYPE = GROUP_TYPES[settings.LDAP_GROUP_TYPE]()
        return self._settings

    @settings.setter
    def settings(self, value):
        self._settings = value

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LDAP_SERVER_URI or not username or not password:
            return None
        carrier = request if request is not None else SimpleNamespace()
        carrier.directory_error = None
        user = super().authenticate(carrier, username=username, password=password, **kwargs)
        if carrier.directory_error is not None:
            logger.warning("directory unavailable: %s", carrier.directory_error)
            if not self._local_account(username):
                # A local account's wrong password is told as such, outage or not.
                carrier.login_failure_message = DIRECTORY_UNAVAILABLE
            return None
        if user is not None:
            return directory_sync(user=user, person=self._person(user.ldap_user))
        self._forget_if_removed(carrier, username)
        return None

    def get_or_build_user(self, username, ldap_user):
        user, built = super().get_or_build_user(username, ldap_user)
        if _local_superuser(user):
            # A local superuser's account is never taken over by a directory entry.
            raise ldap_user.AuthenticationFailed("local superuser")
        return user, built

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    @staticmethod
    def _local_account(username):
        user = (
            get_user_model()
            ._default_manager.filter(username__iexact=username, directory_account=None)
            .only("password")
            .first()
        )
        return user is not None and user.has_usable_password()

    def _person(self, ldap_user):
        groups = ()
        if self.settings.GROUP_SEARCH is not None:
            groups = ldap_user.group_dns
        return DirectoryPerson.build(
            source=Source.LDAP,
            identifier=ldap_user.dn or "",
            attributes=dict(ldap_user.attrs or {}),
            groups=groups,
        )

    def _forget_if_removed(self, carrier, username):
        account = (
            DirectoryAccount.objects.filter(
                user__username__iexact=username, source=Source.LDAP, removed_at=None
            )
            .select_related("user")
            .first()
        )
        if account is None:
            return
        # Wrong password, or gone from the directory? Only a search that answers tells.
        probe = _LDAPUser(self, username=username, request=carrier)
        try:
            found = probe.dn
        except ldap.LDAPError as error:  # django-auth-ldap reports most errors by the signal
            carrier.directory_error = error
            return
        if found is None and carrier.directory_error is None:
            directory_remove(account=account)


class TimeoutSession(requests.Session):
    """A CAS server that does not answer must not hold the login page for long."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", settings.CAS_SERVER_TIMEOUT)
        return super().request(*args, **kwargs)


def cas_client(service):
    client = get_cas_client(service_url=service)
    client.session = TimeoutSession()
    return client


class PortalCASBackend(CASBackend):
    """CAS sign-on: django-cas-ng's client checks the ticket; the person is mapped here."""

    def authenticate(self, request, ticket=None, service=None, **kwargs):
        if not settings.CAS_SERVER_URL or not ticket or not service:
            return None
        carrier = request if request is not None else SimpleNamespace()
        try:
            username, attributes, _ = cas_client(service).verify_ticket(ticket)
        except (requests.RequestException, ElementTree.ParseError, IndexError) as error:
            logger.warning("CAS server unavailable: %s", error)
            carrier.login_failure_message = CAS_UNAVAILABLE
            return None
        if not username:
            # Replayed, expired, or issued for another service: the server says no.
            carrier.login_failure_message = CAS_TICKET_REFUSED
            return None
        attributes = attributes or {}
        user_model = get_user_model()
        username = self.clean_username(username)[:150]
        user = user_model._default_manager.filter(username__iexact=username).first()
        if user is None:
            user = user_model(username=username)
            user.set_unusable_password()
        elif _local_superuser(user):
            carrier.login_failure_message = CAS_TICKET_REFUSED
            return None
        full_name = attributes.get(settings.CAS_ATTR_FULL_NAME)
        if isinstance(full_name, list):
            full_name = full_name[0] if full_name else None
        if full_name:
            user.full_name = str(full_name)[:40]
        elif not user.full_name:
            user.full_name = username[:40]
        user.save()
        groups = attributes.get(settings.CAS_GROUP_ATTRIBUTE) or []
        if isinstance(groups, str):
            groups = [groups]
        user = directory_sync(
            user=user,
            person=DirectoryPerson.build(
                source=Source.CAS, identifier=username, attributes=attributes, groups=groups
            ),
        )
        return user if self.user_can_authenticate(user) else None

    def clean_username(self, username):
        return username.strip()
