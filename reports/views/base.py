"""Choosing the organisation and year a report page is about, through ``request.scope``."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ..models import Report


def year_param(request, default=None):
    """``?year=`` as an int within a sane range, else ``default`` (this year)."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return default or timezone.localdate().year
    return year if 2000 <= year <= 2100 else (default or timezone.localdate().year)


def organisation_param(request):
    """``?org=<code>`` among the organisations the user may read; the first one by default."""
    organisations = request.scope.organisations().order_by("name")
    code = request.GET.get("org")
    if code:
        # PostgreSQL refuses a NUL in a query (a 500); no code holds one, so it is not found.
        organisation = organisations.filter(code=code).first() if "\x00" not in code else None
        if organisation is None:
            raise Http404
        return organisation, organisations
    organisation = organisations.first()
    if organisation is None:
        raise Http404
    return organisation, organisations


def readable_reports(scope):
    """Reports are organisation-wide: only whole-organisation readers see them."""
    return scope.filter(Report.objects.all(), unit_field=None, org_field="organisation")


def get_report(request, pk, write=False):
    report = get_object_or_404(
        readable_reports(request.scope).select_related("organisation"), pk=pk
    )
    if write:
        request.scope.require_write(organisation=report.organisation)
    return report
