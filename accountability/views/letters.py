"""Duty letters (责任书、函告书): issue a year's letters at once, record signing, list unsigned."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView
from django_filters.views import FilterView

from common.excel import Column
from common.forms import remove_or_replace
from common.history import history_rows
from common.lists import ExcelExportMixin, FigureTotalMixin, PreparedPagesMixin, SortMixin

from .. import services
from ..access import ScopedMixin
from ..filters import DutyLetterFilter
from ..forms import DutyLetterIssueForm, DutyLetterSignForm, DutyLetterWithdrawForm
from ..models import DutyLetter, DutyLetterScan
from .base import current_organisation, is_office, with_uploads


def _letters(scope):
    return scope.filter(
        DutyLetter.objects.annotate(
            current_status=DutyLetter.status_expression(timezone.localdate())
        ),
        unit_field="unit",
        org_field="organisation",
    )


class DutyLetterListView(
    PreparedPagesMixin, ScopedMixin, SortMixin, FigureTotalMixin, ExcelExportMixin, FilterView
):
    """Every letter in scope, with the signing rate per level and the units still unsigned."""

    model = DutyLetter
    filterset_class = DutyLetterFilter
    template_name = "accountability/dutyletter_list.html"
    paginate_by = 50
    scope_org_field = "organisation"
    sort_fields = {
        "unit": "unit__path",
        "level": "level",
        "issued": "issued_on",
        "due": "due_on",
        "signed": "signed_on",
        "status": "current_status",
    }
    default_sort = "unit"
    export_title = _("责任书签订台账")
    export_filename = "duty-letters"

    figure_totals = {
        "count": (_("责任书（函告书）份数"), Count("pk")),
        "units": (_("签订单位数"), Count("unit", distinct=True)),
    }

    @property
    def export_columns(self):
        counter = iter(range(1, 10**9))
        return [
            Column(str(_("序号")), lambda r: next(counter), 6),
            Column(str(_("年度")), lambda r: r.year, 8),
            Column(str(_("单位")), lambda r: r.unit.name, 16),
            Column(str(_("类型")), lambda r: r.get_kind_display(), 10),
            Column(str(_("层级")), lambda r: r.get_level_display(), 16),
            Column(str(_("标题")), lambda r: r.title, 36),
            Column(str(_("下发日期")), lambda r: r.issued_on, 12),
            Column(str(_("应签订日期")), lambda r: r.due_on, 12),
            Column(str(_("签订日期")), lambda r: r.signed_on, 12),
            Column(str(_("签订人")), lambda r: r.signatory, 10),
            Column(str(_("状态")), lambda r: str(DutyLetter.Status(r.current_status).label), 10),
        ]

    def get_queryset(self):
        queryset = _letters(self.request.scope).select_related("unit", "recipient")
        if self.request.GET.get("status") != DutyLetter.Status.WITHDRAWN:
            queryset = queryset.active()
        return self.apply_sort(queryset)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if not kwargs["data"] or not kwargs["data"].get("year"):
            data = kwargs["data"].copy() if kwargs["data"] is not None else {}
            data["year"] = str(timezone.localdate().year)
            kwargs["data"] = data
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The signing rate is the year's: every letter the other filters select, signed or not.
        # Taken over the rows on screen, "只看已签订" would always show 100%.
        data = self.filterset.data.copy()
        data.pop("status", None)
        year_letters = self.filterset_class(
            data, queryset=self.get_queryset(), request=self.request
        ).qs
        rows = list(
            year_letters.active()
            .order_by()
            .values("level")
            .annotate(
                total=Count("pk"),
                signed=Count("pk", filter=Q(signed_on__isnull=False)),
                missing=Count("pk", filter=Q(current_status="missing")),
            )
            .order_by("level")
        )
        labels = dict(DutyLetter.Level.choices)
        for row in rows:
            row["label"] = labels.get(row["level"], row["level"])
            row["rate"] = round(100 * row["signed"] / row["total"]) if row["total"] else 0
        total = sum(r["total"] for r in rows)
        signed = sum(r["signed"] for r in rows)
        context.update(
            summary=rows,
            total=total,
            signed=signed,
            rate=round(100 * signed / total) if total else 0,
            can_issue=self.request.scope.full_write_org_ids or self.request.scope.is_superuser,
        )
        return context


class DutyLetterDetailView(ScopedMixin, DetailView):
    model = DutyLetter
    scope_org_field = "organisation"
    template_name = "accountability/dutyletter_detail.html"

    def get_queryset(self):
        return _letters(self.request.scope).select_related(
            "unit", "organisation", "recipient", "withdrawn_by"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        letter = self.object
        scope = self.request.scope
        can_sign = scope.can_write_unit(letter.unit_id) and not letter.withdrawn_at
        files = list(letter.scans.select_related("uploaded_by", "removed_by"))
        scans = [scan for scan in files if not scan.removed_at]
        office = is_office(scope, letter.organisation_id)
        can_withdraw = not letter.withdrawn_at and not letter.signed_on
        can_withdraw = can_withdraw and (
            scope.is_superuser or letter.organisation_id in scope.full_write_org_ids
        )
        batch_size = (
            DutyLetter.objects.active().filter(batch=letter.batch, signed_on__isnull=True).count()
            if can_withdraw and letter.batch
            else 0
        )
        context.update(
            scans=scans,
            removed_scans=[scan for scan in files if scan.removed_at] if office else [],
            history=with_uploads(history_rows(letter), files, _("上传签订扫描件")),
            can_sign=can_sign,
            sign_form=DutyLetterSignForm(letter=letter) if can_sign else None,
            can_withdraw=can_withdraw,
            batch_size=batch_size,
            withdraw_form=DutyLetterWithdrawForm() if can_withdraw else None,
        )
        return context


@login_required
def dutyletter_issue(request):
    """Office staff issue a year's letters from a template to the units or people they choose.
    The first POST shows the list of recipients; only the confirmed second POST issues."""
    scope = request.scope
    organisation = current_organisation(request)
    scope.require_write(organisation=organisation)
    form = DutyLetterIssueForm(
        request.POST or None,
        organisation=organisation,
        initial={"year": timezone.localdate().year},
    )
    plan = None
    if request.method == "POST" and "edit" not in request.POST and form.is_valid():
        data = {
            name: form.cleaned_data[name]
            for name in ("year", "kind", "level", "title", "body", "issued_on", "due_on")
        }
        units, people = form.recipients()
        try:
            if "confirm" in request.POST:
                created = services.dutyletters_issue(
                    by=request.user, organisation=organisation, units=units, people=people, **data
                )
            else:
                plan = services.dutyletters_plan(
                    organisation=organisation, units=units, people=people, **data
                )
        except ValidationError as error:
            form.add_error("title", error)
            plan = None
        else:
            if plan is None:
                if created:
                    messages.success(
                        request,
                        _("已下发 %(n)d 份责任书。如有误，可在任一份的详情页撤回本批次。")
                        % {"n": len(created)},
                    )
                else:
                    messages.info(request, _("所选对象均已有本年度同类责任书，未重复下发。"))
                return redirect(
                    f"{reverse('accountability:dutyletter-list')}"
                    f"?year={data['year']}&level={data['level']}"
                )
    return render(
        request,
        "accountability/dutyletter_issue.html",
        {
            "form": form,
            "organisation": organisation,
            "plan": plan,
            # The preview carries the choices on to the confirming POST unchanged.
            "hidden": [
                (name, value)
                for name, values in request.POST.lists()
                if name not in ("csrfmiddlewaretoken", "confirm", "edit")
                for value in values
            ],
        },
    )


@login_required
@require_POST
def dutyletter_withdraw(request, pk):
    """Withdraw one unsigned letter, or with ``batch`` every unsigned letter of its issue."""
    letter = get_object_or_404(_letters(request.scope), pk=pk)
    request.scope.require_write(organisation=letter.organisation)
    form = DutyLetterWithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤回原因（不超过 200 字）。"))
        return redirect("accountability:dutyletter-detail", pk)
    reason = form.cleaned_data["reason"]
    try:
        if request.POST.get("scope") == "batch" and letter.batch:
            withdrawn = services.dutyletters_withdraw_batch(
                batch=letter.batch, organisation=letter.organisation, by=request.user, reason=reason
            )
            messages.success(
                request, _("已撤回本批次 %(n)d 份未签订的责任书。") % {"n": len(withdrawn)}
            )
        else:
            services.dutyletter_withdraw(letter=letter, by=request.user, reason=reason)
            messages.success(request, _("已撤回这份责任书。"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("accountability:dutyletter-detail", pk)


@login_required
def dutyletter_sign(request, pk):
    letter = get_object_or_404(_letters(request.scope), pk=pk)
    request.scope.require_write(unit=letter.unit_id)
    if request.method != "POST":
        return redirect("accountability:dutyletter-detail", pk)
    form = DutyLetterSignForm(request.POST, request.FILES, letter=letter)
    if form.is_valid():
        try:
            services.dutyletter_sign(
                letter=letter,
                by=request.user,
                signed_on=form.cleaned_data["signed_on"],
                signatory=form.cleaned_data["signatory"],
                scans=form.cleaned_data["scans"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已登记签订。"))
            return redirect("accountability:dutyletter-detail", pk)
    return render(
        request,
        "accountability/dutyletter_detail.html",
        {
            "object": letter,
            "dutyletter": letter,
            "scans": list(letter.scans.filter(removed_at__isnull=True)),
            "history": history_rows(letter),
            "can_sign": True,
            "sign_form": form,
        },
        status=200,
    )


@login_required
def dutyletter_scan(request, pk):
    """Download one scan; only for someone who may read its letter. A removed scan is kept for
    the office alone."""
    scan = get_object_or_404(DutyLetterScan.objects.select_related("letter"), pk=pk)
    if not _letters(request.scope).filter(pk=scan.letter_id).exists():
        raise Http404
    if scan.removed_at and not is_office(request.scope, scan.letter.organisation_id):
        raise Http404
    return scan.response(inline=request.GET.get("inline") == "1", request=request)


@login_required
@require_POST
def dutyletter_scan_remove(request, pk):
    """Remove (or with a file, replace) a scan uploaded by mistake; whoever may register the
    signing may. Nothing changes without the button's ``confirm``."""
    scan = get_object_or_404(DutyLetterScan, pk=pk, removed_at__isnull=True)
    letter = get_object_or_404(_letters(request.scope), pk=scan.letter_id)
    request.scope.require_write(unit=letter.unit_id)
    remove_or_replace(
        request,
        lambda replacement: services.dutyletter_scan_remove(
            scan=scan, by=request.user, replacement=replacement
        ),
        name=scan.original_name,
        unconfirmed=_("未删除：请在扫描件旁点“删除”或“替换”并确认。"),
    )
    return redirect("accountability:dutyletter-detail", letter.pk)
