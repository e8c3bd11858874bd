"""What a directory says about a person, applied to their account: unit, roles, removal.

Used by both sign-on backends (sso.backends): LDAP gives group DNs and attributes, CAS gives
attributes (one of them listing groups). Roles come only from the administrator's mappings,
only in the person's own organisation, and never two of the three separated administrator
roles (三员分立); a role the mapping does not grant any more is taken back, a role given by
hand is left alone.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accountability.models import Organisation, Role, RoleAssignment, Unit

from .models import DirectoryAccount, DirectoryRoleMapping, DirectoryUnitMapping

logger = logging.getLogger(__name__)

# 等保 2.0: the system administrator, security administrator and auditor are three people.
SEPARATED_ROLES = (Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR)
ROLE_ORDER = {role: index for index, role in enumerate(Role.values)}


@dataclass
class DirectoryPerson:
    source: str
    identifier: str
    attributes: dict[str, list[str]] = field(default_factory=dict)
    groups: frozenset[str] = frozenset()

    @classmethod
    def build(cls, *, source, identifier, attributes, groups=()):
        normalised = {}
        for key, values in (attributes or {}).items():
            if values is None:
                continue
            if isinstance(values, str | bytes):
                values = [values]
            normalised[key.lower()] = [
                value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
                for value in values
            ]
        return cls(
            source=source,
            identifier=identifier,
            attributes=normalised,
            groups=frozenset(group.strip().lower() for group in groups if group),
        )

    def values(self, attribute):
        return self.attributes.get((attribute or "").lower(), [])


def directory_organisation():
    """The organisation directory people belong to (SSO_ORGANISATION, or the only one)."""
    if settings.SSO_ORGANISATION:
        return Organisation.objects.filter(code=settings.SSO_ORGANISATION).first()
    organisations = list(Organisation.objects.all()[:2])
    return organisations[0] if len(organisations) == 1 else None


def _unit_for(organisation, person):
    for mapping in DirectoryUnitMapping.objects.filter(organisation=organisation).select_related(
        "unit"
    ):
        wanted = mapping.value.strip().lower()
        if any(value.strip().lower() == wanted for value in person.values(mapping.attribute)):
            return mapping.unit
    names = [name.strip() for name in person.values(settings.SSO_UNIT_ATTRIBUTE) if name.strip()]
    if not names:
        return None
    unit = (
        Unit.objects.filter(organisation=organisation, name__in=names, is_active=True)
        .order_by("path")
        .first()
    )
    if unit is None and settings.SSO_CREATE_UNITS:
        top = Unit.objects.filter(organisation=organisation, parent=None).order_by("path").first()
        unit = Unit.objects.create(
            organisation=organisation, parent=top, name=names[0][:100], kind=Unit.Kind.DEPARTMENT
        )
        logger.info("directory: created unit %s in %s", unit, organisation)
    return unit


@transaction.atomic
def directory_sync(*, user, person: DirectoryPerson):
    """Bring the account in line with the directory after a successful sign-on."""
    organisation = directory_organisation()
    account, _ = DirectoryAccount.objects.select_for_update().get_or_create(
        user=user, defaults={"source": person.source}
    )
    if organisation is None:
        logger.error("directory: no organisation for %s (set SSO_ORGANISATION)", user)
    elif user.organisation_id is None:
        user.organisation = organisation
    if account.removed_at is not None:
        # Back in the directory after a removal: the removal was ours to undo.
        user.is_active = True
        account.removed_at = None
    if organisation is not None and user.organisation_id == organisation.pk:
        unit = _unit_for(organisation, person)
        if unit is not None and (settings.SSO_MIRROR_UNIT or user.unit_id is None):
            user.unit = unit
    user.save()

    desired = set()
    if user.organisation_id is not None:
        # Scope rule: a mapping only ever grants roles in the person's own organisation.
        mappings = DirectoryRoleMapping.objects.filter(
            organisation_id=user.organisation_id, group__in=person.groups
        )
        # Nobody grants a role to themselves: not through a mapping they saved either.
        own = mappings.filter(changed_by=user)
        if own.exists():
            logger.warning(
                "directory: %s not given to %s: the mapping was saved by that person",
                ", ".join(sorted({mapping.role for mapping in own})),
                user,
            )
        desired = set(mappings.exclude(changed_by=user).values_list("organisation_id", "role"))
    previously = {tuple(pair) for pair in account.mapped_roles}
    held = set(RoleAssignment.objects.filter(user=user).values_list("organisation_id", "role"))
    withdrawn = previously - desired
    for org_id, role in withdrawn:
        RoleAssignment.objects.filter(user=user, organisation_id=org_id, role=role).delete()
    held -= withdrawn

    mapped = previously & desired
    for org_id, role in sorted(desired - previously, key=lambda pair: ROLE_ORDER[pair[1]]):
        if (org_id, role) in held:
            continue  # given by hand: stays the administrator's, not the mapping's
        if role in SEPARATED_ROLES and any(
            other in SEPARATED_ROLES and other != role for o, other in held if o == org_id
        ):
            logger.warning(
                "directory: %s not given to %s: one person may hold only one of the system "
                "administrator, security administrator and auditor roles (三员分立)",
                role,
                user,
            )
            continue
        RoleAssignment.objects.create(user=user, organisation_id=org_id, role=role)
        held.add((org_id, role))
        mapped.add((org_id, role))

    account.source = person.source
    account.identifier = person.identifier[:255]
    account.groups = sorted(person.groups)
    account.mapped_roles = sorted([org_id, role] for org_id, role in mapped)
    account.synced_at = timezone.now()
    account.save()
    return user


@transaction.atomic
def directory_remove(*, account: DirectoryAccount):
    """The directory no longer knows this person: deactivate them and take the mapped roles."""
    account = DirectoryAccount.objects.select_for_update().select_related("user").get(pk=account.pk)
    user = account.user
    for org_id, role in account.mapped_roles:
        RoleAssignment.objects.filter(user=user, organisation_id=org_id, role=role).delete()
    account.mapped_roles = []
    account.removed_at = timezone.now()
    account.save()
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    logger.warning("directory: %s is no longer in the directory; account deactivated", user)


# -- the security administrator's check against the directory ---------------------------------
class DirectoryUnavailable(Exception):
    """The directory did not answer (or refused our bind): nothing was changed."""


@dataclass
class CheckResult:
    checked: int = 0
    missing: int = 0
    back: int = 0  # flagged before, found again


SEARCH_CHUNK = 100  # usernames per LDAP search (one OR filter)


def _directory_connection():
    """A connection bound with the portal's own directory settings (as sign-on uses them)."""
    import ldap

    timeout = settings.LDAP_TIMEOUT
    connection = ldap.initialize(settings.LDAP_SERVER_URI)
    connection.set_option(ldap.OPT_NETWORK_TIMEOUT, timeout)
    connection.set_option(ldap.OPT_TIMEOUT, timeout)
    connection.set_option(ldap.OPT_REFERRALS, 0)
    if settings.AUTH_LDAP_START_TLS:
        connection.start_tls_s()
    connection.simple_bind_s(settings.AUTH_LDAP_BIND_DN, settings.AUTH_LDAP_BIND_PASSWORD)
    return connection


def _present_usernames(usernames):
    """Which of ``usernames`` the directory's user search finds (lower case)."""
    import ldap
    from ldap.filter import escape_filter_chars

    template = settings.LDAP_USER_FILTER
    # The attribute the filter matches the username with: uid, sAMAccountName…
    attribute = template.strip("()").split("=", 1)[0]
    found = set()
    try:
        connection = _directory_connection()
        try:
            for start in range(0, len(usernames), SEARCH_CHUNK):
                chunk = usernames[start : start + SEARCH_CHUNK]
                either = "".join(template % {"user": escape_filter_chars(name)} for name in chunk)
                results = connection.search_ext_s(
                    settings.LDAP_USER_SEARCH_BASE,
                    ldap.SCOPE_SUBTREE,
                    f"(|{either})",
                    [attribute],
                    timeout=settings.LDAP_TIMEOUT,
                )
                for dn, attributes in results:
                    if dn is None:  # a referral
                        continue
                    for value in (attributes or {}).get(attribute, []):
                        found.add(value.decode("utf-8", "replace").strip().lower())
        finally:
            connection.unbind_s()
    except ldap.LDAPError as error:
        logger.warning("directory check: the directory did not answer: %s", error)
        raise DirectoryUnavailable from error
    return found


def directory_check(*, accounts) -> CheckResult:
    """Ask the directory about each LDAP account of ``accounts`` (a queryset) and flag those it
    no longer knows (``missing_since``); nothing else changes. An unreachable directory raises
    ``DirectoryUnavailable`` before anything is written."""
    accounts = list(accounts.filter(source="ldap").select_related("user"))
    if not settings.LDAP_SERVER_URI or not accounts:
        return CheckResult()
    present = _present_usernames([account.user.username for account in accounts])
    now = timezone.now()
    result = CheckResult(checked=len(accounts))
    with transaction.atomic():
        for account in accounts:
            here = account.user.username.strip().lower() in present
            if here and account.missing_since is not None:
                result.back += 1
            if not here:
                result.missing += 1
            account.missing_since = None if here else (account.missing_since or now)
            account.checked_at = now
        DirectoryAccount.objects.bulk_update(accounts, ["missing_since", "checked_at"])
    return result


class CannotDeactivate(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def directory_account_deactivate(*, account: DirectoryAccount, by, request=None):
    """The security administrator's one step for an account the directory no longer knows:
    deactivated, its mapped roles taken back (directory_remove), and the audit log told."""
    from django.utils.translation import gettext as _

    from audit.services import Action, record

    if account.user_id == by.pk:
        raise CannotDeactivate(_("不能停用本人的账号，请由另一位安全管理员办理。"))
    if account.missing_since is None:
        raise CannotDeactivate(
            _("“%(name)s”在最近一次核对中仍在目录中，不能在此停用；请先核对目录。")
            % {"name": account.user.full_name or account.user.username}
        )
    if not account.user.is_active:
        raise CannotDeactivate(
            _("“%(name)s”的账号已经停用。")
            % {"name": account.user.full_name or account.user.username}
        )
    roles = ", ".join(role for _org, role in account.mapped_roles)
    with transaction.atomic():
        directory_remove(account=account)
        record(
            Action.ACCOUNT_DEACTIVATED,
            request=request,
            actor=by,
            obj=account.user,
            detail=f"no longer in the directory since {account.missing_since:%Y-%m-%d}; "
            f"mapped roles taken back: {roles or '-'}",
        )
