"""The ledger (整改台账), a measure's page, and the responsible person's actions on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView
from django_filters.views import FilterView

from accountability.access import ScopedMixin
from common.excel import Column
from common.forms import remove_or_replace
from common.history import history_rows
from common.lists import (
    CurrentYearMixin,
    ExcelExportMixin,
    FigureTotalMixin,
    PreparedPagesMixin,
    SortMixin,
)

from .. import services
from ..filters import MeasureFilter
from ..forms import (
    AcceptForm,
    ClosureRequestForm,
    FollowupForm,
    ProgressForm,
    ReopenForm,
    ReturnForm,
)
from ..models import Finding, Measure, MeasureEvidence, RectificationError
from ..selectors import attach_people, is_office, visible_measures
from .base import flash_errors, forbidden, refusal_messages, scoped_measure

REPORT_ONLY = _("只有该整改措施的责任人、责任处室负责人或党办可以报告进展和申请销号。")
LEDGER_ORDER = (
    "finding__inspection__started_on",
    "finding__inspection_id",
    "finding__aspect_order",
    "finding__number",
    "number",
    "pk",
)


def _ledger_columns():
    counter = iter(range(1, 10**9))
    return [
        Column(str(_("序号")), lambda m: next(counter), 6),
        Column(str(_("巡视巡察")), lambda m: m.finding.inspection.title, 24),
        Column(str(_("问题")), lambda m: f"{m.finding.number}. {m.finding.description}", 40),
        Column(str(_("整改措施")), lambda m: m.description, 40),
        Column(str(_("牵头领导")), lambda m: m.lead_leader.full_name, 10),
        Column(str(_("责任处室")), lambda m: m.unit.name, 14),
        Column(str(_("责任人")), lambda m: m.responsible_person.full_name, 10),
        Column(str(_("整改时限")), lambda m: m.deadline_display, 12),
        Column(str(_("进展情况")), lambda m: m.latest_progress, 40),
        Column(str(_("销号情况")), lambda m: m.closure_display, 18),
    ]


class MeasureListView(
    PreparedPagesMixin,
    ScopedMixin,
    SortMixin,
    CurrentYearMixin,
    FigureTotalMixin,
    ExcelExportMixin,
    FilterView,
):
    """整改台账: every measure in scope, filtered, sorted, paged, exportable."""

    model = Measure
    filterset_class = MeasureFilter
    template_name = "rectification/measure_list.html"
    paginate_by = 50
    scope_org_field = "organisation"
    sort_fields = {
        "finding": "finding_id",
        "deadline": "deadline",
        "colour": "colour_rank",
        "unit": "unit__path",
        "state": "state",
        "leader": "lead_leader__full_name",
        "updated": "updated_at",
    }
    default_sort = "finding"
    figure_totals = {
        "count": (_("整改措施数"), Count("pk")),
        "rules": (_("整改中修订出台制度规定数"), Sum("rules_issued")),
    }
    export_title = _("整改台账")
    export_filename = "rectification-ledger"

    @property
    def export_columns(self):
        return _ledger_columns()

    def get_queryset(self):
        # The related rows come by prefetch (the finding with its inspection, and the unit: one
        # query each for the page's rows), so that the paged query is the measure table alone
        # and can walk an index in the requested order. The page's people come from one more
        # query (get_context_data), the export's by prefetch as it streams.
        queryset = Measure.objects.with_colour(timezone.localdate()).prefetch_related(
            Prefetch("finding", queryset=Finding.objects.select_related("inspection")), "unit"
        )
        return self.apply_sort(visible_measures(self.request.scope, queryset))

    def get_export_queryset(self):
        queryset = self.object_list.prefetch_related("lead_leader", "responsible_person")
        if "sort" in self.request.GET:
            return queryset
        return queryset.order_by(*LEDGER_ORDER)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        attach_people(context["object_list"])
        context["can_export"] = True
        context["query_without_page"] = self.request.GET.copy()
        return context


class MeasureDetailView(ScopedMixin, DetailView):
    model = Measure
    scope_org_field = "organisation"
    template_name = "rectification/measure_detail.html"

    prepared_object = True

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .with_colour(self.today)
            .select_related("finding__inspection", "unit")
        )

    def get_object(self, queryset=None):
        measure = super().get_object(queryset)
        attach_people([measure])
        return measure

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        measure = self.object
        scope = self.request.scope
        can_report = services.may_report(scope, measure)
        can_review = services.may_review(scope, measure)
        State = Measure.State
        updates = measure.updates.select_related("by").prefetch_related(
            Prefetch(
                "evidence",
                queryset=MeasureEvidence.objects.filter(removed_at__isnull=True).order_by("pk"),
            )
        )
        finding_rows = history_rows(measure.finding)
        for row in finding_rows:
            row.action = _("%(action)s（反馈问题）") % {"action": row.action}
        rows = history_rows(measure) + finding_rows
        rows.sort(key=lambda row: row.when, reverse=True)
        flags = {
            "can_report": can_report and measure.state != State.CLOSED,
            "can_request": can_report and measure.state in (State.OPEN, State.IN_PROGRESS),
            "can_review": can_review and measure.state == State.CLOSURE_REQUESTED,
            "can_followup": can_review and measure.state == State.CLOSED,
        }
        # Only the forms this reader is shown (each costs its fields' set-up).
        shown_forms = {
            "can_report": {"progress_form": ProgressForm},
            "can_request": {"closure_form": ClosureRequestForm},
            "can_review": {"accept_form": AcceptForm, "return_form": ReturnForm},
            "can_followup": {"followup_form": FollowupForm, "reopen_form": ReopenForm},
        }
        for flag, forms in shown_forms.items():
            if flags[flag]:
                context.update({name: form() for name, form in forms.items()})
        context.update(
            updates=updates,
            history=rows,
            **flags,
            followup_pending=measure.followup_due_on is not None,
            can_edit=is_office(scope) and scope.can_write_unit(measure.unit_id),
            removed_evidence=(
                measure.evidence.filter(removed_at__isnull=False).select_related("removed_by")
                if is_office(scope) and scope.can_write_unit(measure.unit_id)
                else []
            ),
        )
        return context


def _act(request, measure, action, success_message):
    """Run a service; refusals become messages, the state stays as it was."""
    try:
        action()
    except RectificationError as error:
        for message in refusal_messages(error):
            messages.error(request, message)
        return False
    messages.success(request, success_message)
    return True


@login_required
@require_POST
def measure_progress(request, pk):
    measure = scoped_measure(request, pk)
    if not services.may_report(request.scope, measure):
        return forbidden(request, REPORT_ONLY)
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        _act(
            request,
            measure,
            lambda: services.measure_report_progress(
                measure=measure,
                by=request.user,
                note=form.cleaned_data["note"],
                files=form.cleaned_data["files"],
                scope=request.scope,
            ),
            _("已报告整改进展。"),
        )
    else:
        flash_errors(request, form)
    return redirect("rectification:measure-detail", pk=measure.pk)


@login_required
@require_POST
def measure_request_closure(request, pk):
    measure = scoped_measure(request, pk)
    if not services.may_report(request.scope, measure):
        return forbidden(request, REPORT_ONLY)
    form = ClosureRequestForm(request.POST, request.FILES)
    if form.is_valid():
        _act(
            request,
            measure,
            lambda: services.measure_request_closure(
                measure=measure,
                by=request.user,
                note=form.cleaned_data["note"],
                files=form.cleaned_data["files"],
                scope=request.scope,
            ),
            _("已提交销号申请，等待纪检监督人员审核。"),
        )
    else:
        flash_errors(request, form)
    return redirect("rectification:measure-detail", pk=measure.pk)


@login_required
def measure_evidence(request, pk, evidence_pk):
    measure = scoped_measure(request, pk)
    evidence = get_object_or_404(MeasureEvidence, pk=evidence_pk, measure=measure)
    # A removed file is kept for the office alone.
    if evidence.removed_at and not (
        is_office(request.scope) and request.scope.can_write_unit(measure.unit_id)
    ):
        raise Http404
    return evidence.response(inline=request.GET.get("inline") == "1", request=request)


@login_required
@require_POST
def measure_evidence_remove(request, pk, evidence_pk):
    """Remove (or with a file, replace) one evidence file uploaded by mistake; whoever may
    report on the measure may, until it is closed. Nothing changes without ``confirm``."""
    measure = scoped_measure(request, pk)
    evidence = get_object_or_404(
        MeasureEvidence, pk=evidence_pk, measure=measure, removed_at__isnull=True
    )
    if not services.may_report(request.scope, measure):
        return forbidden(request, REPORT_ONLY)
    remove_or_replace(
        request,
        lambda replacement: services.measure_evidence_remove(
            measure=measure,
            evidence=evidence,
            by=request.user,
            replacement=replacement,
            scope=request.scope,
        ),
        name=evidence.original_name,
        unconfirmed=_("未删除：请在佐证材料旁点“删除”或“替换”并确认。"),
    )
    return redirect("rectification:measure-detail", measure.pk)
