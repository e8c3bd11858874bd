"""廉政风险点: posts and processes at risk, their level, prevention measures and review date."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView

from common.excel import Column
from common.history import history_rows
from common.lists import ExcelExportMixin, SortMixin

from ..access import ScopedMixin
from ..filters import RiskPointFilter
from ..forms import RiskPointForm
from ..models import RiskPoint


class RiskPointListView(ScopedMixin, SortMixin, ExcelExportMixin, FilterView):
    model = RiskPoint
    filterset_class = RiskPointFilter
    template_name = "accountability/riskpoint_list.html"
    paginate_by = 50
    scope_org_field = "organisation"
    sort_fields = {"unit": "unit__path", "level": "level", "review": "review_on", "post": "post"}
    default_sort = "unit"
    export_title = _("廉政风险点台账")
    export_filename = "risk-points"

    @property
    def export_columns(self):
        counter = iter(range(1, 10**9))
        return [
            Column(str(_("序号")), lambda r: next(counter), 6),
            Column(str(_("单位")), lambda r: r.unit.name, 16),
            Column(str(_("岗位或环节")), lambda r: r.post, 20),
            Column(str(_("风险描述")), lambda r: r.description, 40),
            Column(str(_("风险等级")), lambda r: r.get_level_display(), 8),
            Column(str(_("防控措施")), lambda r: r.measures, 40),
            Column(str(_("责任人")), lambda r: r.owner.full_name if r.owner else "", 10),
            Column(str(_("复查日期")), lambda r: r.review_on, 12),
        ]

    def get_queryset(self):
        queryset = super().get_queryset().select_related("unit", "owner")
        return self.apply_sort(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_write"] = self.request.scope.can_write_anything
        context["today"] = timezone.localdate()
        return context


class RiskPointDetailView(ScopedMixin, DetailView):
    model = RiskPoint
    scope_org_field = "organisation"
    template_name = "accountability/riskpoint_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = history_rows(self.object)
        context["can_write"] = self.request.scope.can_write_unit(self.object.unit_id)
        return context


class RiskFormMixin:
    model = RiskPoint
    form_class = RiskPointForm
    template_name = "accountability/riskpoint_form.html"
    scope_write = True
    scope_org_field = "organisation"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["scope"] = self.request.scope
        return kwargs

    def form_valid(self, form):
        point = form.save(commit=False)
        point.organisation = point.unit.organisation
        point._history_user = self.request.user
        point.save()
        messages.success(self.request, _("已保存廉政风险点。"))
        return redirect("accountability:riskpoint-detail", point.pk)


class RiskPointCreateView(RiskFormMixin, ScopedMixin, CreateView):
    pass


class RiskPointUpdateView(RiskFormMixin, ScopedMixin, UpdateView):
    pass
