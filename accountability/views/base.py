"""Helpers shared by the records views: the organisation a user works in, flashing errors."""

from django.contrib import messages
from django.http import Http404
from django.utils.translation import gettext

from common.history import HistoryRow
from common.params import int_param

from ..models import Organisation, Role


def current_organisation(request):
    """The organisation a page is about: ``?org=<id>`` among the user's, else their first."""
    scope = request.scope
    organisations = scope.organisations().order_by("pk")
    wanted = int_param(request.GET.get("org"))
    if wanted is not None:
        organisation = organisations.filter(pk=wanted).first()
        if organisation is None:
            raise Http404
        return organisation
    user_org = getattr(request.user, "organisation_id", None)
    if user_org and (scope.is_superuser or user_org in scope.organisation_ids):
        return Organisation.objects.get(pk=user_org)
    organisation = organisations.first()
    if organisation is None:
        raise Http404
    return organisation


def flash_errors(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def is_office(scope, organisation_id):
    """Whether the person is the organisation's party office (or a superuser): the office alone
    sees, and may download, the evidence files and scans that were removed."""
    return scope.is_superuser or scope.has_role(Role.OFFICE, organisation=organisation_id)


def is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def with_uploads(rows, files, action):
    """History rows plus one row per uploaded file (files have no edits, only uploads)."""
    separator = gettext("：")  # ": " in English
    rows = list(rows) + [
        HistoryRow(
            when=f.uploaded_at,
            who=f.uploaded_by.get_full_name(),
            action=f"{action}{separator}{f.original_name}",
            reason="",
        )
        for f in files
    ]
    rows.sort(key=lambda row: row.when, reverse=True)
    return rows
