"""责任清单与责任分工: the year's items per area, with progress counted from the work records."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from common.excel import Column
from common.history import history_rows
from common.lists import ExcelExportMixin, FigureTotalMixin
from common.params import int_param

from .. import services
from ..access import ScopedMixin
from ..forms import ResponsibilityCopyForm, ResponsibilityItemForm
from ..models import ResponsibilityItem, ResponsibilityList
from .base import current_organisation


def _year(request):
    year = int_param(request.GET.get("year"), low=2000, high=2100)
    return year if year is not None else timezone.localdate().year


def _items(scope):
    """Items of the organisations the user belongs to: the division of work is open to all
    members; only the office changes it."""
    queryset = ResponsibilityItem.objects.all()
    if not scope.is_superuser:
        queryset = queryset.filter(list__organisation_id__in=scope.organisation_ids)
    return queryset


class ResponsibilityItemListView(ScopedMixin, FigureTotalMixin, ExcelExportMixin, ListView):
    template_name = "accountability/responsibilityitem_list.html"
    scope_unit_field = None
    scope_org_field = "list__organisation"
    figure_totals = {
        "count": (_("责任清单任务数"), Count("pk")),
        "done": (
            _("已达标任务数"),
            Count("pk", filter=Q(target_count__isnull=False, done_count__gte=F("target_count"))),
        ),
    }
    export_title = _("主体责任清单")
    export_filename = "responsibility-list"

    @property
    def export_columns(self):
        counter = iter(range(1, 10**9))
        return [
            Column(str(_("序号")), lambda i: next(counter), 6),
            Column(str(_("所属方面")), lambda i: i.area, 18),
            Column(str(_("责任事项")), lambda i: i.title, 40),
            Column(
                str(_("牵头领导")), lambda i: i.lead_leader.full_name if i.lead_leader else "", 10
            ),
            Column(
                str(_("责任单位")),
                lambda i: i.responsible_unit.name if i.responsible_unit else "",
                14,
            ),
            Column(str(_("频次")), lambda i: i.get_frequency_display(), 10),
            Column(str(_("年度目标")), lambda i: i.target_count, 10),
            Column(str(_("已完成")), lambda i: i.done_count, 10),
        ]

    def export_filters(self):
        return str(self.year), []

    def export_organisation_name(self):
        return self.organisation.short_name or self.organisation.name

    def get_queryset(self):
        self.organisation = current_organisation(self.request)
        self.year = _year(self.request)
        return (
            _items(self.request.scope)
            .filter(list__organisation=self.organisation, list__year=self.year)
            .select_related("lead_leader", "responsible_unit", "kind")
            .with_progress(self.request.scope)
            .order_by("area_order", "order", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = self.request.scope
        can_write = scope.is_superuser or self.organisation.pk in scope.full_write_org_ids
        items = list(context["object_list"])
        for item in items:
            if item.target_count:
                item.percent = min(100, round(100 * item.done_count / item.target_count))
                item.reached = item.done_count >= item.target_count
        context.update(
            items=items,
            year=self.year,
            organisation=self.organisation,
            responsibility_list=ResponsibilityList.objects.filter(
                organisation=self.organisation, year=self.year
            ).first(),
            can_write=can_write,
            copy_form=ResponsibilityCopyForm(initial={"year": self.year + 1}),
            years=range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1),
        )
        return context


def _item_form_view(request, item=None):
    scope = request.scope
    if item is None:
        organisation = current_organisation(request)
        year = _year(request)
    else:
        organisation, year = item.list.organisation, item.list.year
    scope.require_write(organisation=organisation)
    form = ResponsibilityItemForm(request.POST or None, instance=item, scope=scope)
    if request.method == "POST" and form.is_valid():
        try:
            services.responsibilityitem_save(
                organisation=organisation, year=year, form=form, by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存责任事项。"))
            return redirect(f"{reverse('accountability:responsibilityitem-list')}?year={year}")
    return render(
        request,
        "accountability/responsibilityitem_form.html",
        {
            "form": form,
            "object": item,
            "year": year,
            "history": history_rows(item) if item else None,
        },
    )


@login_required
def responsibilityitem_create(request):
    return _item_form_view(request)


@login_required
def responsibilityitem_update(request, pk):
    item = get_object_or_404(_items(request.scope).select_related("list__organisation"), pk=pk)
    return _item_form_view(request, item)


@login_required
@require_POST
def responsibilitylist_copy(request):
    """Copy this year's list into another year in one action."""
    organisation = current_organisation(request)
    request.scope.require_write(organisation=organisation)
    source_year = _year(request)
    form = ResponsibilityCopyForm(request.POST)
    url = reverse("accountability:responsibilityitem-list")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(f"{url}?year={source_year}")
    try:
        services.responsibilitylist_copy(
            organisation=organisation,
            source_year=source_year,
            year=form.cleaned_data["year"],
            by=request.user,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(f"{url}?year={source_year}")
    messages.success(
        request,
        _("已将%(a)s年度责任清单复制为%(b)s年度。")
        % {"a": source_year, "b": form.cleaned_data["year"]},
    )
    return redirect(f"{url}?year={form.cleaned_data['year']}")
