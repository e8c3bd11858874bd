"""Inspections and their findings: read by everyone in scope, registered by the party office."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from accountability.access import ScopedMixin
from common.lists import FigureTotalMixin
from common.params import int_param

from .. import services
from ..forms import FindingForm, InspectionForm, MeasureForm
from ..models import Finding, Inspection, Measure, RectificationError
from ..selectors import visible_findings, visible_inspections, visible_measures
from .base import forbidden, scoped_measure


class InspectionListView(ScopedMixin, FigureTotalMixin, ListView):
    model = Inspection
    figure_totals = {"count": (_("巡视巡察等监督检查轮次"), Count("pk"))}
    template_name = "rectification/inspection_list.html"
    paginate_by = 30
    scope_org_field = "organisation"

    def get_queryset(self):
        queryset = visible_inspections(self.request.scope).select_related("organisation")
        year = int_param(self.request.GET.get("year"))
        if year is not None:
            queryset = queryset.filter(year=year)
        return queryset.order_by("-started_on", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Counts for the page's inspections only: one grouped query, whatever the data size.
        ids = [inspection.pk for inspection in context["object_list"]]
        closed = Q(state=Measure.State.CLOSED)
        counts = {
            row["finding__inspection"]: row
            for row in visible_measures(self.request.scope)
            .filter(finding__inspection__in=ids)
            .values("finding__inspection")
            .annotate(
                total=Count("pk"),
                closed=Count("pk", filter=closed),
                overdue=Count(
                    "pk",
                    filter=~closed & Q(deadline__lt=timezone.localdate(), is_ongoing=False),
                ),
            )
        }
        for inspection in context["object_list"]:
            inspection.counts = counts.get(inspection.pk, {"total": 0, "closed": 0, "overdue": 0})
        context["can_register"] = self.request.scope.is_superuser or bool(
            self.request.scope.full_write_org_ids
        )
        return context


class InspectionDetailView(ScopedMixin, DetailView):
    """The inspection's findings by aspect, each with the measures the user may see."""

    model = Inspection
    template_name = "rectification/inspection_detail.html"
    scope_org_field = "organisation"

    def get_queryset(self):
        return visible_inspections(self.request.scope)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = self.request.scope
        today = timezone.localdate()
        measures = visible_measures(
            scope, Measure.objects.with_colour(today).select_related("unit", "responsible_person")
        ).order_by("number", "pk")
        findings = (
            visible_findings(scope, self.object.findings.with_status(scope))
            .prefetch_related(Prefetch("measures", queryset=measures))
            .order_by("aspect_order", "number")
        )
        context["findings"] = findings
        context["can_register"] = _may_register(scope, self.object.organisation_id)
        return context


def _may_register(scope, organisation_id):
    return scope.is_superuser or organisation_id in scope.full_write_org_ids


class FindingListView(ScopedMixin, FigureTotalMixin, ListView):
    """All findings in scope, with their rectification status (reports link here)."""

    model = Finding
    figure_totals = {
        "count": (_("反馈问题数"), Count("pk")),
        "aspects": (_("反馈问题涉及方面数"), Count("aspect", distinct=True)),
    }
    template_name = "rectification/finding_list.html"
    paginate_by = 50
    scope_org_field = "organisation"

    def get_queryset(self):
        queryset = visible_findings(
            self.request.scope,
            Finding.objects.with_status(self.request.scope).select_related("inspection"),
        )
        year = int_param(self.request.GET.get("year"))
        if year is not None:
            queryset = queryset.filter(inspection__year=year)
        rectified = self.request.GET.get("rectified")
        if rectified == "yes":
            queryset = queryset.filter(rectified=True)
        elif rectified == "no":
            queryset = queryset.filter(rectified=False)
        return queryset.order_by(
            "-inspection__started_on", "inspection_id", "aspect_order", "number"
        )


class OfficeWriteMixin(ScopedMixin):
    """Registration pages: party-office staff of the organisation only (others 403)."""

    scope_write = True

    def require_office(self, organisation_id):
        if not _may_register(self.request.scope, organisation_id):
            raise PermissionDenied


class InspectionCreateView(OfficeWriteMixin, CreateView):
    model = Inspection
    form_class = InspectionForm
    template_name = "rectification/inspection_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (
            request.scope.is_superuser or request.scope.full_write_org_ids
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        scope = self.request.scope
        org_ids = sorted(scope.full_write_org_ids) or sorted(scope.organisation_ids)
        if not org_ids:
            raise PermissionDenied
        form.instance.organisation_id = org_ids[0]
        response = super().form_valid(form)
        messages.success(self.request, _("已登记巡视巡察。"))
        return response

    def get_success_url(self):
        return reverse("rectification:inspection-detail", args=[self.object.pk])


class InspectionUpdateView(OfficeWriteMixin, UpdateView):
    model = Inspection
    form_class = InspectionForm
    template_name = "rectification/inspection_form.html"
    scope_unit_field = None
    scope_org_field = "organisation"

    def get_queryset(self):
        return visible_inspections(self.request.scope)

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        self.require_office(obj.organisation_id)
        return obj

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("已保存巡视巡察的修改。"))
        return response

    def get_success_url(self):
        return reverse("rectification:inspection-detail", args=[self.object.pk])


class FindingFormMixin(OfficeWriteMixin):
    """A finding is edited in the context of its inspection (``self.inspection``)."""

    model = Finding
    form_class = FindingForm
    template_name = "rectification/finding_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "inspection": self.inspection}

    def get_context_data(self, **kwargs):
        return super().get_context_data(inspection=self.inspection, **kwargs)

    def form_valid(self, form):
        adding = form.instance.pk is None
        response = super().form_valid(form)
        done = _("已登记反馈问题。") if adding else _("已保存反馈问题的修改。")
        messages.success(self.request, done)
        return response

    def get_success_url(self):
        return reverse("rectification:inspection-detail", args=[self.inspection.pk])


class FindingCreateView(FindingFormMixin, CreateView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.inspection = get_object_or_404(
                visible_inspections(request.scope), pk=kwargs["inspection_pk"]
            )
            self.require_office(self.inspection.organisation_id)
        return super().dispatch(request, *args, **kwargs)


class FindingUpdateView(FindingFormMixin, UpdateView):
    scope_unit_field = None
    scope_org_field = "organisation"

    def get_queryset(self):
        return visible_findings(self.request.scope).select_related("inspection")

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        self.require_office(obj.organisation_id)
        self.inspection = obj.inspection
        return obj


class MeasureCreateView(OfficeWriteMixin, CreateView):
    model = Measure
    form_class = MeasureForm
    template_name = "rectification/measure_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.finding = get_object_or_404(
                visible_findings(request.scope).select_related("inspection"),
                pk=kwargs["finding_pk"],
            )
            self.require_office(self.finding.organisation_id)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        # htmx asks again with ?unit= when the 责任处室 changes, to narrow the 责任人.
        return {
            **super().get_form_kwargs(),
            "finding": self.finding,
            "unit": self.request.GET.get("unit"),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(finding=self.finding, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        services.measure_assigned(measure=self.object, by=self.request.user)
        messages.success(self.request, _("已登记整改措施。"))
        return response

    def get_success_url(self):
        return reverse("rectification:measure-detail", args=[self.object.pk])


class MeasureUpdateView(OfficeWriteMixin, UpdateView):
    model = Measure
    form_class = MeasureForm
    template_name = "rectification/measure_form.html"
    scope_org_field = "organisation"

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        self.require_office(obj.organisation_id)
        self.finding = obj.finding
        return obj

    def get_form_kwargs(self):
        # htmx asks again with ?unit= when the 责任处室 changes, to narrow the 责任人.
        return {
            **super().get_form_kwargs(),
            "finding": self.finding,
            "unit": self.request.GET.get("unit"),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(finding=self.finding, **kwargs)

    def form_valid(self, form):
        previous = Measure.objects.filter(pk=self.object.pk).values_list(
            "responsible_person_id", flat=True
        )
        previous_person_id = previous.first()
        response = super().form_valid(form)
        services.measure_assigned(
            measure=self.object, by=self.request.user, previous_person_id=previous_person_id
        )
        messages.success(self.request, _("已保存整改措施的修改。"))
        return response

    def get_success_url(self):
        return reverse("rectification:measure-detail", args=[self.object.pk])


@login_required
@require_POST
def measure_delete(request, pk):
    measure = scoped_measure(request, pk)
    if not _may_register(request.scope, measure.organisation_id):
        return forbidden(request, _("只有党办工作人员可以删除误录的整改措施。"))
    inspection_pk = measure.finding.inspection_id
    try:
        measure.delete()
    except RectificationError as error:
        messages.error(request, error.messages[0])
        return redirect("rectification:measure-detail", pk=pk)
    messages.success(request, _("已删除整改措施。"))
    return redirect("rectification:inspection-detail", pk=inspection_pk)
