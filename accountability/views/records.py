"""Work records (工作记实): the ledger, a record's page, entry forms and the month view."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView

from common.excel import Column
from common.forms import EvidenceRemoveForm, remove_or_replace
from common.history import history_rows
from common.lists import (
    CurrentYearMixin,
    ExcelExportMixin,
    FigureTotalMixin,
    PreparedPagesMixin,
    SortMixin,
)
from common.params import int_param

from .. import services
from ..access import ScopedMixin
from ..filters import WorkRecordFilter
from ..forms import QuickRecordForm, WorkRecordForm
from ..models import Role, WorkRecord, WorkRecordEvidence
from .base import is_htmx, is_office, with_uploads


def _ledger_columns():
    counter = iter(range(1, 10**9))
    return [
        Column(str(_("序号")), lambda r: next(counter), 6),
        Column(str(_("日期")), lambda r: r.date, 12),
        Column(str(_("单位")), lambda r: r.unit.name, 16),
        Column(str(_("类别")), lambda r: r.kind.name, 14),
        Column(str(_("事项")), lambda r: r.title, 40),
        Column(str(_("参加人数")), lambda r: r.participant_count, 10),
        Column(str(_("参加领导")), lambda r: r.leader.full_name if r.leader else "", 10),
        Column(str(_("内容摘要")), lambda r: r.description, 40),
        Column(str(_("佐证材料数")), lambda r: r.evidence_count, 10),
    ]


def _records(scope, manager=WorkRecord.objects):
    return scope.filter(manager.all(), unit_field="unit", org_field="organisation")


def _readable_records(scope):
    """The records whose page (and so whose evidence) this scope may open: deleted ones only for
    those who may restore them."""
    manager = WorkRecord.all_objects if scope.can_write_anything else WorkRecord.objects
    return _records(scope, manager)


class WorkRecordListView(
    PreparedPagesMixin,
    ScopedMixin,
    SortMixin,
    CurrentYearMixin,
    FigureTotalMixin,
    ExcelExportMixin,
    FilterView,
):
    """工作记实台账: records in scope, filtered, searched, sorted, paged and exportable."""

    model = WorkRecord
    filterset_class = WorkRecordFilter
    template_name = "accountability/workrecord_list.html"
    paginate_by = 50
    scope_org_field = "organisation"
    sort_fields = {
        "date": "date",
        "unit": "unit__path",
        "kind": "kind__order",
        "participants": "participant_count",
        "leader": "leader__full_name",
    }
    default_sort = "-date"
    figure_totals = {
        "count": (_("记录条数"), Count("pk")),
        "participants": (_("参加人次合计"), Sum("participant_count")),
    }
    export_title = _("工作记实台账")
    export_filename = "work-records"

    @property
    def export_columns(self):
        return _ledger_columns()

    def show_deleted(self):
        return self.request.GET.get("deleted") == "yes" and self.request.scope.can_write_anything

    def get_queryset(self):
        manager = WorkRecord.all_objects if self.show_deleted() else WorkRecord.objects
        queryset = _records(self.request.scope, manager)
        if self.show_deleted():
            queryset = queryset.filter(is_deleted=True)
        # A correlated count rather than a JOIN + GROUP BY, so that the paged query can walk the
        # (organisation, date) index and stop after one page.
        evidence_count = (
            WorkRecordEvidence.objects.filter(record=OuterRef("pk"))
            .order_by()
            .values("record")
            .annotate(n=Count("pk"))
            .values("n")
        )
        queryset = queryset.select_related("unit", "kind", "leader").annotate(
            evidence_count=Coalesce(Subquery(evidence_count), 0)
        )
        return self.apply_sort(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = self.request.scope
        context["can_write"] = scope.can_write_anything
        context["showing_deleted"] = self.show_deleted()
        context["month_unit"] = self.request.user.unit_id
        context["this_month"] = f"{timezone.localdate():%Y-%m}"
        return context


class WorkRecordDetailView(ScopedMixin, DetailView):
    model = WorkRecord
    scope_org_field = "organisation"
    template_name = "accountability/workrecord_detail.html"
    prepared_object = True

    def get_queryset(self):
        queryset = _readable_records(self.request.scope)
        return queryset.select_related("unit", "kind", "leader", "organisation", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.object
        scope = self.request.scope
        files = list(record.evidence.select_related("uploaded_by", "removed_by"))
        evidence = [f for f in files if not f.removed_at]
        office = is_office(scope, record.organisation_id)
        context.update(
            evidence=evidence,
            removed_evidence=[f for f in files if f.removed_at] if office else [],
            remove_form=EvidenceRemoveForm(),
            participants=record.participants.order_by("full_name"),
            items=record.responsibility_items.select_related("list"),
            history=with_uploads(history_rows(record), files, _("上传佐证材料")),
            can_write=scope.can_write_unit(record.unit_id),
            can_restore=scope.has_role(Role.OFFICE, organisation=record.organisation_id)
            or scope.is_superuser,
        )
        return context


class RecordFormMixin:
    form_class = WorkRecordForm
    template_name = "accountability/workrecord_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["scope"] = self.request.scope
        return kwargs


class WorkRecordCreateView(ScopedMixin, RecordFormMixin, CreateView):
    """A full record; ``?from=<pk>`` copies an earlier record, ``?unit=&date=`` pre-fill."""

    scope_write = True

    def get_initial(self):
        initial = super().get_initial()
        source = int_param(self.request.GET.get("from"))
        if source is not None:
            record = get_object_or_404(_records(self.request.scope), pk=source)
            initial.update(
                unit=record.unit_id,
                kind=record.kind_id,
                title=record.title,
                participant_count=record.participant_count,
                leader=record.leader_id,
                description=record.description,
                participants=list(record.participants.values_list("pk", flat=True)),
                responsibility_items=list(record.responsibility_items.values_list("pk", flat=True)),
                date=record.date,
            )
        for name in ("unit", "date", "kind"):
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name]
        return initial

    def form_valid(self, form):
        try:
            self.object = services.workrecord_create(
                by=self.request.user, data=form.cleaned_data, files=form.cleaned_data["evidence"]
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存工作记实“%(t)s”。") % {"t": self.object.title})
        if "save_and_add" in self.request.POST:
            return redirect(f"{reverse('accountability:workrecord-create')}?from={self.object.pk}")
        return redirect("accountability:workrecord-detail", self.object.pk)


class WorkRecordUpdateView(ScopedMixin, RecordFormMixin, UpdateView):
    model = WorkRecord
    scope_write = True
    scope_org_field = "organisation"

    def get_queryset(self):
        return _records(self.request.scope)

    def form_valid(self, form):
        try:
            record = services.workrecord_update(
                record=self.object,
                by=self.request.user,
                data=form.cleaned_data,
                files=form.cleaned_data["evidence"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存修改。"))
        return redirect("accountability:workrecord-detail", record.pk)


@login_required
@require_POST
def workrecord_delete(request, pk):
    """Soft delete: the record leaves the lists and counts, office staff can restore it."""
    record = get_object_or_404(_records(request.scope), pk=pk)
    request.scope.require_write(unit=record.unit_id)
    record._history_user = request.user
    record.soft_delete()
    messages.success(request, _("已删除“%(t)s”，党办可在“已删除”中恢复。") % {"t": record.title})
    return redirect("accountability:workrecord-list")


@login_required
@require_POST
def workrecord_restore(request, pk):
    record = get_object_or_404(_records(request.scope, WorkRecord.all_objects), pk=pk)
    if not (
        request.scope.is_superuser
        or request.scope.has_role(Role.OFFICE, organisation=record.organisation_id)
    ):
        raise PermissionDenied
    record._history_user = request.user
    record.restore()
    messages.success(request, _("已恢复“%(t)s”。") % {"t": record.title})
    return redirect("accountability:workrecord-detail", record.pk)


@login_required
def workrecord_evidence(request, pk):
    """Download one evidence file; only for someone who may read its record. A removed file
    is kept for the office alone."""
    evidence = get_object_or_404(WorkRecordEvidence.objects.select_related("record"), pk=pk)
    # The same rule as the record's page: a deleted record's evidence is gone for whoever gets
    # 404 on the record (issue #13).
    if not _readable_records(request.scope).filter(pk=evidence.record_id).exists():
        raise Http404
    if evidence.removed_at and not is_office(request.scope, evidence.record.organisation_id):
        raise Http404
    return evidence.response(inline=request.GET.get("inline") == "1", request=request)


@login_required
@require_POST
def workrecord_evidence_remove(request, pk):
    """Remove (or with a file, replace) one evidence file uploaded by mistake; whoever may edit
    the record may. Nothing changes without the button's ``confirm``."""
    evidence = get_object_or_404(
        WorkRecordEvidence.objects.select_related("record"), pk=pk, removed_at__isnull=True
    )
    record = get_object_or_404(_records(request.scope), pk=evidence.record_id)
    request.scope.require_write(unit=record.unit_id)
    remove_or_replace(
        request,
        lambda replacement: services.workrecord_evidence_remove(
            evidence=evidence, by=request.user, replacement=replacement
        ),
        name=evidence.original_name,
        unconfirmed=_("未删除：请在佐证材料旁点“删除”或“替换”并确认。"),
    )
    return redirect("accountability:workrecord-detail", record.pk)


def _parse_month(value):
    try:
        return datetime.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


def _shift(month, delta):
    index = month.year * 12 + month.month - 1 + delta
    return datetime.date(index // 12, index % 12 + 1, 1)


@login_required
def workrecord_month(request):
    """One unit's month: its records, and a quick one-line form to add the next."""
    scope = request.scope
    units = scope.readable_units().filter(is_active=True).order_by("organisation", "path")
    requested = request.GET.get("unit")
    if requested:
        pk = int_param(requested)
        unit = get_object_or_404(units, pk=pk) if pk is not None else None
    else:  # one's own unit; a leader in charge of other units starts at the first of them
        unit = units.filter(pk=request.user.unit_id).first()
    if unit is None:
        unit = units.first()
        if unit is None:
            raise Http404
    month = _parse_month(request.GET.get("month"))
    can_write = scope.can_write_unit(unit)
    form, initial = None, None
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        form = QuickRecordForm(request.POST, request.FILES, scope=scope, unit=unit, month=month)
        if form.is_valid():
            data = {**form.cleaned_data, "unit": unit}
            try:
                record = services.workrecord_create(
                    by=request.user, data=data, files=data["evidence"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("已添加“%(t)s”。") % {"t": record.title})
                if not is_htmx(request):
                    return redirect(
                        f"{reverse('accountability:workrecord-month')}?unit={unit.pk}&month={month:%Y-%m}"
                    )
                form = None
                # The next entry is often of the same kind, leader and day: keep them.
                initial = {"date": record.date, "kind": record.kind_id, "leader": record.leader_id}
    if can_write and form is None:
        last_day = _shift(month, 1) - datetime.timedelta(days=1)
        initial = initial or {"date": min(max(timezone.localdate(), month), last_day)}
        form = QuickRecordForm(scope=scope, unit=unit, month=month, initial=initial)
    records = (
        WorkRecord.objects.filter(unit=unit, date__year=month.year, date__month=month.month)
        .select_related("kind", "leader")
        .annotate(evidence_count=Count("evidence"))
        .order_by("date", "pk")
    )
    context = {
        "unit": unit,
        "units": units,
        "month": month,
        "previous": _shift(month, -1),
        "next": _shift(month, 1),
        "records": records,
        "form": form,
        "can_write": can_write,
    }
    template = "accountability/workrecord_month.html"
    if is_htmx(request) and request.method == "POST":
        template = "accountability/includes/month_panel.html"
        context["partial"] = True
    response = render(request, template, context)
    if form is not None and form.errors and is_htmx(request):
        response.status_code = 200
    return response
