"""Who may see and change what: the single answer every view and export uses.

A ``Scope`` is computed once per request (``request.scope``) from the user's role assignments:

* party-office staff, inspectors and administrators read their whole organisation;
* the principal leader reads the whole organisation, other leaders the units they are in charge
  of (分管) and everything below them; leaders never write;
* a unit head / responsible person reads and writes their own unit and everything below it;
* party-office staff write everything in their organisation;
* the office, leaders and inspectors of a supervising body (机关工委) read the organisations below
  it (``supervised_org_ids``) on the pages made for that (roll-up, drill-down, 报送, 督办, 考核),
  which ask for it with ``scope.filter(..., supervised=True)``; they never write there, and
  nobody below sees a sibling organisation.

Views filter every queryset through ``scope.filter(...)`` so that an object outside the scope is
simply not found (404), and call ``scope.require_write(...)`` before a change, which raises
``PermissionDenied`` (403) for a read-only role.
"""

from dataclasses import dataclass, field

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property

from common import prepared

from . import person_cache
from .models import Organisation, Role, RoleAssignment, Unit
from .models.organisation import READ_ONLY_ROLES, WRITING_ROLES

# The security auditor reads every record and its history (三员分立), and writes nothing.
FULL_READ_ROLES = frozenset({Role.OFFICE, Role.INSPECTOR, Role.ADMIN, Role.AUDITOR})
# Roles of a supervising body's people who read the organisations below it.
SUPERVISING_ROLES = frozenset({Role.OFFICE, Role.LEADER, Role.INSPECTOR})


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    is_superuser: bool = False
    roles: dict[int, frozenset[str]] = field(default_factory=dict)
    full_read_org_ids: frozenset[int] = frozenset()
    full_write_org_ids: frozenset[int] = frozenset()
    # Unit subtrees (by path prefix) readable or writable outside the full-organisation grants.
    read_paths: tuple[str, ...] = ()
    write_paths: tuple[str, ...] = ()
    # Organisation paths under which this user reads as a supervising body (own org excluded).
    supervising_paths: tuple[str, ...] = ()

    # -- roles ---------------------------------------------------------------------------------
    def has_role(self, *roles, organisation=None) -> bool:
        if organisation is not None:
            org_id = getattr(organisation, "pk", organisation)
            return bool(self.roles.get(org_id, frozenset()) & set(roles))
        return any(held & set(roles) for held in self.roles.values())

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset().union(*self.roles.values()) if self.roles else frozenset()

    @property
    def organisation_ids(self) -> frozenset[int]:
        return frozenset(self.roles)

    def organisations(self) -> QuerySet[Organisation]:
        if self.is_superuser:
            return Organisation.objects.all()
        return Organisation.objects.filter(pk__in=self.organisation_ids)

    @cached_property
    def supervised_org_ids(self) -> frozenset[int]:
        """Organisations below the ones where the user supervises (one query, on first use)."""
        if self.is_superuser:
            return frozenset(Organisation.objects.values_list("pk", flat=True))
        if not self.supervising_paths:
            return frozenset()
        condition = Q()
        for path in self.supervising_paths:
            condition |= Q(path__startswith=path)
        below = Organisation.objects.filter(condition).values_list("pk", "path")
        return frozenset(pk for pk, path in below if path not in self.supervising_paths)

    @cached_property
    def principal_org_ids(self) -> frozenset[int]:
        """Organisations whose principal leader (主要负责人) this user is, whatever their roles
        there (one query, on first use; kept with the scope, which any change to an organisation
        retires)."""
        if self.user_id is None:
            return frozenset()
        return frozenset(
            Organisation.objects.filter(principal_leader_id=self.user_id).values_list(
                "pk", flat=True
            )
        )

    def supervises(self, organisation) -> bool:
        return getattr(organisation, "pk", organisation) in self.supervised_org_ids

    def supervised_organisations(self) -> QuerySet[Organisation]:
        return Organisation.objects.filter(pk__in=self.supervised_org_ids)

    def reading(self, org_ids) -> "Scope":
        """A read-only scope over organisations this user supervises (others are dropped).

        The supervising body's drill-down runs the organisations' own list and detail views
        with it: they find those organisations' rows as a whole-organisation reader would, and
        there is nothing to write (no role, no write grant).
        """
        readable = frozenset(org_ids) & self.supervised_org_ids
        # No user: nothing there is the person's own (a 责任人 named there reports from the
        # organisation's own pages, never from the body's).
        return Scope(
            user_id=None,
            roles={org_id: frozenset() for org_id in readable},
            full_read_org_ids=readable,
        )

    # -- units -----------------------------------------------------------------------------------
    @cached_property
    def readable_unit_ids(self) -> frozenset[int]:
        return frozenset(self.readable_units().values_list("pk", flat=True))

    @cached_property
    def writable_unit_ids(self) -> frozenset[int]:
        return frozenset(self.writable_units().values_list("pk", flat=True))

    def _units(self, org_ids, paths) -> QuerySet[Unit]:
        if self.is_superuser:
            return Unit.objects.all()
        condition = Q(organisation_id__in=org_ids)
        for path in paths:
            condition |= Q(path__startswith=path)
        return Unit.objects.filter(condition)

    def readable_units(self) -> QuerySet[Unit]:
        return self._units(self.full_read_org_ids, self.read_paths)

    def writable_units(self) -> QuerySet[Unit]:
        return self._units(self.full_write_org_ids, self.write_paths)

    def can_read_unit(self, unit) -> bool:
        return self.is_superuser or getattr(unit, "pk", unit) in self.readable_unit_ids

    def can_write_unit(self, unit) -> bool:
        return self.is_superuser or getattr(unit, "pk", unit) in self.writable_unit_ids

    # -- querysets -------------------------------------------------------------------------------
    def filter(
        self, queryset: QuerySet, unit_field="unit", org_field=None, write=False, supervised=False
    ):
        """Restrict ``queryset`` to rows whose unit (or organisation) is in this scope.

        ``unit_field`` is the lookup path to the row's Unit; ``org_field``, when the row carries
        its organisation directly, avoids a join for full-organisation grants. Rows that belong
        to an organisation as a whole (no unit) pass ``unit_field=None``: only full-organisation
        grants see them. ``supervised=True`` (reading only) adds the organisations below the
        user's supervising body.
        """
        if self.is_superuser:
            return queryset
        org_ids = self.full_write_org_ids if write else self.full_read_org_ids
        if supervised and not write:
            org_ids = org_ids | self.supervised_org_ids
        paths = self.write_paths if write else self.read_paths
        if org_field is None and unit_field is None:
            raise ValueError("scope.filter needs unit_field or org_field")
        org_lookup = f"{org_field}_id__in" if org_field else f"{unit_field}__organisation_id__in"
        condition = Q(**{org_lookup: org_ids})
        if unit_field and paths:
            unit_ids = self.writable_unit_ids if write else self.readable_unit_ids
            condition |= Q(**{f"{unit_field}_id__in": unit_ids})
        return queryset.filter(condition)

    # -- writes ----------------------------------------------------------------------------------
    def require_write(self, unit=None, organisation=None):
        """Raise PermissionDenied unless the user may change this unit's or organisation's rows."""
        if self.is_superuser:
            return
        if unit is not None:
            if not self.can_write_unit(unit):
                raise PermissionDenied
            return
        org_id = getattr(organisation, "pk", organisation)
        if org_id is not None and org_id in self.full_write_org_ids:
            return
        if org_id is None and (self.full_write_org_ids or self.write_paths):
            return
        raise PermissionDenied

    def is_read_only_in(self, organisation) -> bool:
        """Holds only reading roles (a leader, an auditor) in this organisation."""
        held = self.roles.get(getattr(organisation, "pk", organisation), frozenset())
        return bool(held & READ_ONLY_ROLES) and not (held & WRITING_ROLES)

    def require_role(self, *roles, organisation=None):
        if not (self.is_superuser or self.has_role(*roles, organisation=organisation)):
            raise PermissionDenied

    @property
    def can_write_anything(self) -> bool:
        return self.is_superuser or bool(self.full_write_org_ids or self.write_paths)


ANONYMOUS_SCOPE = Scope(user_id=None)


def scope_for(user) -> Scope:
    """Build the user's scope with at most two small queries, whatever the size of the tree."""
    if not user.is_authenticated or not user.is_active:
        return ANONYMOUS_SCOPE
    roles: dict[int, set[str]] = {}
    # With the roles come each organisation's principal leader, its path and whether any
    # organisation is below it, so that ``supervising_paths`` is empty for everyone but a
    # supervising body's people (the navigation and the roll-up ask it on every page).
    own = {}  # organisation -> (its principal leader, its path, whether it supervises)
    assignments = (
        RoleAssignment.objects.filter(user=user)
        .annotate(
            supervises=Exists(Organisation.objects.filter(supervisor=OuterRef("organisation_id")))
        )
        .values_list(
            "organisation_id",
            "role",
            "organisation__principal_leader_id",
            "organisation__path",
            "supervises",
        )
    )
    for org_id, role, principal_id, path, supervises in assignments:
        roles.setdefault(org_id, set()).add(role)
        own[org_id] = (principal_id, path, supervises)

    full_read, full_write = set(), set()
    for org_id, held in roles.items():
        if held & FULL_READ_ROLES:
            full_read.add(org_id)
        if Role.OFFICE in held:
            full_write.add(org_id)
    principal_of, supervising_paths = set(), set()
    for org_id, (principal_id, path, supervises) in own.items():
        if principal_id == user.pk:
            principal_of.add(org_id)
        if roles[org_id] & SUPERVISING_ROLES and path and supervises:
            supervising_paths.add(path)
    full_read |= {org_id for org_id in principal_of if Role.LEADER in roles[org_id]}

    leader_orgs = {org_id for org_id, held in roles.items() if Role.LEADER in held}
    head_orgs = {org_id for org_id, held in roles.items() if Role.UNIT_HEAD in held}
    read_paths, write_paths = set(), set()
    if leader_orgs or head_orgs:
        own = Unit.objects.filter(
            Q(leader_in_charge=user, organisation_id__in=leader_orgs)
            | Q(head=user, organisation_id__in=head_orgs)
            | Q(pk=user.unit_id, organisation_id__in=head_orgs)
        ).values_list("path", "organisation_id", "head_id", "pk")
        for path, org_id, head_id, pk in own:
            read_paths.add(path)
            if org_id in head_orgs and (head_id == user.pk or pk == user.unit_id):
                write_paths.add(path)
    return Scope(
        user_id=user.pk,
        is_superuser=user.is_superuser,
        roles={org_id: frozenset(held) for org_id, held in roles.items()},
        full_read_org_ids=frozenset(full_read),
        full_write_org_ids=frozenset(full_write),
        read_paths=tuple(sorted(_outermost(read_paths))),
        write_paths=tuple(sorted(_outermost(write_paths))),
        supervising_paths=tuple(sorted(supervising_paths)),
    )


def _outermost(paths):
    """Drop paths already covered by an ancestor path in the same set."""
    ordered = sorted(paths, key=len)
    kept = []
    for path in ordered:
        if not any(path.startswith(parent) for parent in kept):
            kept.append(path)
    return kept


class ScopeMiddleware:
    """Attach ``request.scope``, computed on first use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: person_cache.get_scope(request))
        response = self.get_response(request)
        person_cache.keep_scope(request)
        return response


class ScopedMixin(LoginRequiredMixin):
    """For class-based views over one model: only rows in the user's scope exist.

    Set ``scope_unit_field`` (path to the row's Unit, or None for organisation-level rows) and
    ``scope_org_field`` (path to its Organisation, when the row has one directly).
    Write views set ``scope_write = True``: the queryset is then limited to rows the user may
    change, and a user who can read the row but not change it gets 403 instead of 404.
    """

    scope_unit_field = "unit"
    scope_org_field = None
    scope_write = False
    # A page whose queryset depends on the reader's scope and the day alone (``today``), not on
    # the query string, may set this: its object is then read by SQL compiled once per reader,
    # access generation and day (common/prepared.py), the ORM's when there is no generation.
    prepared_object = False

    @cached_property
    def today(self):
        return timezone.localdate()

    def get_queryset(self):
        return self.request.scope.filter(
            super().get_queryset(), unit_field=self.scope_unit_field, org_field=self.scope_org_field
        )

    def get_object(self, queryset=None):
        reader = prepared.reader(self.request)
        key = self.kwargs.get(getattr(self, "pk_url_kwarg", "pk"))
        if self.prepared_object and queryset is None and reader is not None and key:
            name = (f"{type(self).__module__}.{type(self).__qualname__}", *reader, self.today)
            found = prepared.fetch(name, lambda pk: self.get_queryset().filter(pk=pk), key)
            if not found:
                raise Http404
            obj = found[0]
        else:
            obj = super().get_object(queryset)
        if self.scope_write:
            self.check_write(obj)
        return obj

    def check_write(self, obj):
        scope = self.request.scope
        if self.scope_unit_field:
            unit = obj
            for part in self.scope_unit_field.split("__"):
                unit = getattr(unit, part)
            scope.require_write(unit=unit)
        else:
            organisation = obj
            for part in (self.scope_org_field or "organisation").split("__"):
                organisation = getattr(organisation, part)
            scope.require_write(organisation=organisation)

    def dispatch(self, request, *args, **kwargs):
        if (
            self.scope_write
            and request.user.is_authenticated
            and not request.scope.can_write_anything
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
