"""Who reads and who changes a scheme: the one answer every assessment view uses.

* A scheme scoring an organisation's units (``UNITS``) is read by whoever reads that whole
  organisation (party office, principal leader, inspectors, administrator, auditor) and
  changed by its party office.
* A scheme scoring the organisations below a supervising body (``ORGANISATIONS``) is read by
  the body's people who read below it (office, leaders, inspectors: ``SUPERVISING_ROLES``) and
  changed by the body's office. Nobody below reads it: it ranks their sibling organisations.

Outside these, a scheme does not exist (404); a reader who may not change it gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from accountability.access import SUPERVISING_ROLES

from .models import Scheme


def _supervising_org_ids(scope):
    return {org for org, roles in scope.roles.items() if roles & SUPERVISING_ROLES}


def readable_schemes(scope):
    if scope.is_superuser:
        return Scheme.objects.all()
    return Scheme.objects.filter(
        Q(target=Scheme.Target.UNITS, owner_id__in=scope.full_read_org_ids)
        | Q(target=Scheme.Target.ORGANISATIONS, owner_id__in=_supervising_org_ids(scope))
    )


def can_edit(scope, scheme_or_owner):
    owner_id = getattr(scheme_or_owner, "owner_id", getattr(scheme_or_owner, "pk", scheme_or_owner))
    return scope.is_superuser or owner_id in scope.full_write_org_ids


def scheme_for(request, pk, *, write=False):
    scheme = get_object_or_404(readable_schemes(request.scope).select_related("owner"), pk=pk)
    if write and not can_edit(request.scope, scheme):
        raise PermissionDenied
    return scheme


def target_for(scheme, pk):
    """One of the scheme's targets, or 404."""
    target = scheme.targets().filter(pk=pk).first()
    if target is None:
        raise Http404
    return target


def owners_for(scope):
    """Organisations whose office this user is (where they may create a scheme)."""
    from accountability.models import Organisation

    if scope.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=scope.full_write_org_ids)
