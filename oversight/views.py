"""The supervising body's pages: the roll-up, one organisation's figures, and its records.

The records are shown by the organisations' own list and detail views (accountability,
rectification), run with a read-only scope over the organisations the viewer supervises
(``Scope.reading``): the same filters, tables, history and evidence, with no write button,
since that scope holds no role and no write grant. Anything but GET answers 403 here.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from accountability.models import DutyLetter, Organisation, WorkRecordKind
from accountability.views import letters, records
from rectification.models import Measure
from rectification.views import measures
from reports.figures.rectification_source import overdue_q
from reports.selectors import year_letters, year_measures
from reports.views.base import year_param

from . import selectors

READING = ("GET", "HEAD", "OPTIONS")

# Where the borrowed templates link to when they are shown to the supervising body.
ROUTES = {
    "record_detail_route": "oversight:workrecord-detail",
    "record_evidence_route": "oversight:workrecord-evidence",
    "letter_detail_route": "oversight:dutyletter-detail",
    "letter_scan_route": "oversight:dutyletter-scan",
    "measure_detail_route": "oversight:measure-detail",
    "measure_evidence_route": "oversight:measure-evidence",
}


def _require_supervisor(request):
    """Only the office, leaders and inspectors of a body with organisations below it."""
    scope = request.scope
    if not (scope.is_superuser or scope.supervising_paths):
        raise PermissionDenied


def _read_below(request, org_ids=None):
    """From here on, the request reads the organisations below (``org_ids`` among them) and
    writes nothing; the navigation keeps the person's own scope."""
    person = request.scope
    request.person_scope = person
    request.scope = person.reading(person.supervised_org_ids if org_ids is None else org_ids)


def _supervised_organisation(request, code):
    if "\x00" in code:
        raise Http404
    return get_object_or_404(request.scope.supervised_organisations(), code=code)


SECTIONS = {
    "records": ("oversight:workrecord-list", _("工作记实")),
    "letters": ("oversight:dutyletter-list", _("责任书签订")),
    "measures": ("oversight:measure-list", _("整改措施")),
}


def _drill(organisation, year, section=""):
    """Where a drill-down page sits: roll-up › organisation › section (for the breadcrumb)."""
    url = reverse("oversight:organisation", args=[organisation.code])
    drill = {
        "organisation": organisation,
        "year": year,
        "rollup_url": f"{reverse('oversight:rollup')}?year={year}",
        "organisation_url": f"{url}?year={year}",
    }
    if section:
        route, label = SECTIONS[section]
        drill["section_label"] = label
        drill["section_url"] = f"{reverse(route, args=[organisation.code])}?year={year}"
    return drill


def _years(today, year):
    """The year picker: the last six years, and the year shown if it is older."""
    years = list(range(today.year, today.year - 6, -1))
    return years if year in years else [*years, year]


class ReadingMixin(LoginRequiredMixin):
    """Log in first, then refuse any method that would change something."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if request.method not in READING:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RollupView(ReadingMixin, TemplateView):
    """下级单位汇总: every organisation below, one row each, for one year."""

    template_name = "oversight/rollup.html"

    def get(self, request, *args, **kwargs):
        _require_supervisor(request)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = self.request.scope
        today = timezone.localdate()
        year = year_param(self.request)
        rollup = selectors.rollup(
            scope.supervised_org_ids, year, supervising_paths=scope.supervising_paths, today=today
        )
        # One reverse() for all the rows: the page has a few thousand links at 100 organisations.
        base = reverse("oversight:organisation", args=["-code-"])
        for row in rollup.rows:
            row.url = f"{base.replace('-code-', row.code)}?year={year}"
        context.update(
            year=year,
            years=_years(today, year),
            rollup=rollup,
            months=selectors.MONTHS,
        )
        return context


class OrganisationView(ReadingMixin, TemplateView):
    """One organisation below: its year's figures, each leading to the records behind it."""

    template_name = "oversight/organisation.html"

    def get(self, request, *args, **kwargs):
        _require_supervisor(request)
        self.organisation = _supervised_organisation(request, kwargs["code"])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        org, scope = self.organisation, self.request.scope
        today = timezone.localdate()
        year = year_param(self.request)
        rollup = selectors.rollup([org.pk], year, supervising_paths=scope.supervising_paths)
        row = rollup.rows[0]
        kinds = list(
            WorkRecordKind.objects.filter(organisation=org)
            .order_by("order", "pk")
            .values("id", "name", "is_active")
        )
        per_kind = selectors.organisation_months(org, year)
        kinds = [
            {**kind, "months": per_kind.get(kind["id"], [0] * 12)}
            for kind in kinds
            if kind["is_active"] or kind["id"] in per_kind
        ]
        for kind in kinds:
            kind["total"] = sum(kind["months"])
        base = {
            "records": reverse("oversight:workrecord-list", args=[org.code]),
            "letters": reverse("oversight:dutyletter-list", args=[org.code]),
            "measures": reverse("oversight:measure-list", args=[org.code]),
        }
        context.update(
            organisation=org,
            year=year,
            years=_years(today, year),
            row=row,
            kinds=kinds,
            months=selectors.MONTHS,
            links=base,
            drill=_drill(org, year),
            # Units still to sign, with the number of their missing letters (one query).
            unsigned_units=list(
                year_letters(year)
                .filter(organisation=org, signed_on__isnull=True)
                .values("unit_id", "unit__name", "unit__path")
                .order_by("unit__path")
                .distinct()
            ),
            overdue=list(
                year_measures(year)
                .filter(organisation=org)
                .filter(overdue_q(today))
                .select_related("unit", "finding__inspection")
                .order_by("deadline", "pk")[:15]
            ),
        )
        return context


# -- the organisations' own lists and records, read-only --------------------------------------
class OrganisationListMixin(ReadingMixin):
    """An organisation's list view, narrowed to that organisation, read-only."""

    drill_section = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.method in READING:
            _require_supervisor(request)
            self.organisation = _supervised_organisation(request, kwargs["code"])
            _read_below(request, [self.organisation.pk])
        return super().dispatch(request, *args, **kwargs)

    def export_organisation_name(self):
        return self.organisation.short_name or self.organisation.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = year_param(self.request)
        context.update(ROUTES, drill=_drill(self.organisation, year, self.drill_section))
        return context


class WorkRecordListView(OrganisationListMixin, records.WorkRecordListView):
    drill_section = "records"


class DutyLetterListView(OrganisationListMixin, letters.DutyLetterListView):
    drill_section = "letters"


class MeasureListView(OrganisationListMixin, measures.MeasureListView):
    drill_section = "measures"


class DetailMixin(ReadingMixin):
    """A record's own page, for a record of any organisation below (404 otherwise)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.method in READING:
            _require_supervisor(request)
            _read_below(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = Organisation.objects.get(pk=self.object.organisation_id)
        year = self.drill_year(self.object)
        context.update(
            ROUTES, drill=_drill(organisation, year, self.drill_section), drill_object=self.object
        )
        return context


class WorkRecordDetailView(DetailMixin, records.WorkRecordDetailView):
    drill_section = "records"

    def drill_year(self, record):
        return record.date.year


class DutyLetterDetailView(DetailMixin, letters.DutyLetterDetailView):
    drill_section = "letters"

    def drill_year(self, letter: DutyLetter):
        return letter.year


class MeasureDetailView(DetailMixin, measures.MeasureDetailView):
    drill_section = "measures"

    def drill_year(self, measure: Measure):
        return measure.finding.inspection.year


def _reading(view):
    """A function view (an evidence download) run for the supervising body, read-only."""

    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.method not in READING:
            raise PermissionDenied
        _require_supervisor(request)
        _read_below(request)
        return view(request, *args, **kwargs)

    wrapped.__name__ = wrapped.__qualname__ = f"supervised_{view.__name__}"
    wrapped.__doc__ = view.__doc__
    return wrapped


workrecord_evidence = _reading(records.workrecord_evidence)
dutyletter_scan = _reading(letters.dutyletter_scan)
measure_evidence = _reading(measures.measure_evidence)
