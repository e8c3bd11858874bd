"""The annual report: list and first drafts, the editor, the preview with figures linked."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..document import (
    DATE_PLACEHOLDER,
    figure_problems,
    numbered,
    placeholder_problems,
    report_problems,
    report_sections,
    resolve_report,
)
from ..figures import render_html, tokens_in
from ..figures.catalogue import catalogue
from ..figures.editor import token_labels
from ..forms import (
    DraftForm,
    OutlineForm,
    OutlineSectionFormSet,
    PresetForm,
    ReportForm,
    SectionFormSet,
)
from ..models import ReportOutline, ReportVersion
from ..services import (
    SignoffRefused,
    edit_refusal,
    latest_version,
    outline_apply_preset,
    report_begin_edit,
    report_generate_draft,
)
from ..title import title_lines
from .base import get_report, organisation_param, readable_reports


def _organisation_for_reports(request):
    organisation, organisations = organisation_param(request)
    scope = request.scope
    if not (scope.is_superuser or organisation.pk in scope.full_read_org_ids):
        raise Http404
    return organisation, organisations


def _can_write(request, organisation):
    scope = request.scope
    return scope.is_superuser or organisation.pk in scope.full_write_org_ids


@login_required
def report_list(request):
    organisation, organisations = _organisation_for_reports(request)
    latest = ReportVersion.objects.filter(report=OuterRef("pk")).order_by("-number")
    reports = (
        readable_reports(request.scope)
        .filter(organisation=organisation)
        .annotate(
            version_number=Subquery(latest.values("number")[:1]),
            version_state=Subquery(latest.values("state")[:1]),
        )
    )
    return render(
        request,
        "reports/report_list.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "reports": reports,
            "outlines": ReportOutline.objects.filter(organisation=organisation),
            "draft_form": DraftForm(
                organisation=organisation, initial={"year": timezone.localdate().year}
            ),
            "preset_form": PresetForm(),
            "can_write": _can_write(request, organisation),
            "version_states": dict(ReportVersion.State.choices),
        },
    )


@require_POST
@login_required
def report_draft(request):
    organisation, _orgs = _organisation_for_reports(request)
    request.scope.require_write(organisation=organisation)
    form = DraftForm(request.POST, organisation=organisation)
    if not form.is_valid():
        messages.error(request, _("未能生成初稿：请选择年度和提纲。"))
        return redirect(f"{reverse('reports:report-list')}?org={organisation.code}")
    try:
        report, created = report_generate_draft(
            organisation=organisation,
            year=form.cleaned_data["year"],
            outline=form.cleaned_data["outline"],
            replace=form.cleaned_data["replace"],
        )
    except SignoffRefused as refused:
        messages.error(request, refused.message)
        return redirect(f"{reverse('reports:report-list')}?org={organisation.code}")
    if created:
        messages.success(request, _("已按提纲生成初稿，数字已自动绑定，请修改文字。"))
    else:
        messages.info(request, _("该年度报告已存在，未作改动；如需重新生成请勾选“覆盖”。"))
    return redirect("reports:report-edit", pk=report.pk)


@require_POST
@login_required
def outline_preset(request):
    organisation, _orgs = _organisation_for_reports(request)
    request.scope.require_write(organisation=organisation)
    form = PresetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择预设提纲。"))
        return redirect(f"{reverse('reports:report-list')}?org={organisation.code}")
    outline = outline_apply_preset(organisation=organisation, preset=form.cleaned_data["preset"])
    return redirect("reports:outline-edit", pk=outline.pk)


def _preview_context(report):
    """The whole document as the preview shows it, with every warning in words."""
    raw = report_sections(report)
    figures, context = resolve_report(report, raw)
    sections = [
        {
            **s,
            "paragraphs": render_html(s["text"], figures),
            "heading_html": (render_html(s["heading"], figures) or [""])[0],
        }
        for s in numbered(raw)
    ]
    zeros = [
        _("“%(label)s”为0，而句子写的是已开展的工作：请核实记录或改写这句话") % {"label": r.label}
        for r in figures.values()
        if r.zero_warning
    ]
    return {
        "report": report,
        "sections": sections,
        "problems": figure_problems(figures),
        "placeholders": placeholder_problems(raw),
        # What stands between the report and sign-off (the 定稿), as the office reads it.
        "signoff_problems": report_problems(report, sections=raw, figures=figures),
        "zeros": zeros,
        "no_data": not context.has_data(),
        "date_placeholder": DATE_PLACEHOLDER,
        "title_lines": title_lines(
            report.title,
            keep=[report.organisation.body_name, report.organisation.short_name],
        ),
    }


@login_required
def report_preview(request, pk):
    report = get_report(request, pk)
    version = latest_version(report)
    editable = edit_refusal(version) is None
    can_write = _can_write(request, report.organisation)
    context = _preview_context(report)
    if not (can_write and editable):
        context["signoff_problems"] = []
    return render(
        request,
        "reports/report_detail.html",
        {
            **context,
            "version": version,
            "version_number": version.number if version else 1,
            "versions": report.versions.select_related("submitted_by", "decided_by").order_by(
                "-number"
            ),
            "frozen_count": report.versions.exclude(state=ReportVersion.State.DRAFT).count(),
            "editable": editable,
            "final": report.versions.filter(state=ReportVersion.State.APPROVED).first(),
            "exports": report.exports.select_related("created_by")[:10],
            "can_write": can_write,
        },
    )


def _section_figures(formset, figures):
    """For each form, its figures as the office reads them: "理论中心组学习次数 = 12"."""
    for form in formset:
        seen, form.figure_list = set(), []
        for token in tokens_in(form.instance.heading) + tokens_in(form.instance.text):
            resolved = figures.get(token.key)
            if resolved is None or token.key in seen:
                continue
            seen.add(token.key)
            form.figure_list.append(resolved)


@login_required
def report_edit(request, pk):
    report = get_report(request, pk, write=True)
    refusal = edit_refusal(latest_version(report))
    if refusal:  # a 定稿 or a text under sign-off: say how to go on, change nothing
        messages.error(request, refusal)
        return redirect("reports:report-detail", pk=report.pk)
    labels = token_labels(report.organisation)
    form = ReportForm(request.POST or None, instance=report)
    formset = SectionFormSet(request.POST or None, instance=report, form_kwargs={"labels": labels})
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            with transaction.atomic():
                version = report_begin_edit(report=report, by=request.user)
                form.save()
                formset.save()
        except SignoffRefused as refused:
            messages.error(request, refused.message)
            return redirect("reports:report-detail", pk=report.pk)
        messages.success(request, _("报告已保存（第%(n)d版草稿）。") % {"n": version.number})
        if "preview" in request.POST:
            return redirect("reports:report-detail", pk=report.pk)
        return redirect("reports:report-edit", pk=report.pk)
    if request.method == "POST":
        messages.error(request, _("未保存：请按提示修改后重试。"))
    figures, _context = resolve_report(report)
    _section_figures(formset, figures)
    return render(
        request,
        "reports/report_form.html",
        {
            "report": report,
            "form": form,
            "formset": formset,
            "catalogue": catalogue(report.organisation),
        },
    )


@login_required
def outline_edit(request, pk):
    outline = get_object_or_404(
        request.scope.filter(
            ReportOutline.objects.select_related("organisation"),
            unit_field=None,
            org_field="organisation",
        ),
        pk=pk,
    )
    request.scope.require_write(organisation=outline.organisation)
    form = OutlineForm(request.POST or None, instance=outline)
    formset = OutlineSectionFormSet(
        request.POST or None,
        instance=outline,
        form_kwargs={"labels": token_labels(outline.organisation)},
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            form.save()
            formset.save()
        messages.success(request, _("提纲已保存。"))
        return redirect("reports:outline-edit", pk=outline.pk)
    if request.method == "POST":
        messages.error(request, _("未保存：请按提示修改后重试。"))
    return render(
        request,
        "reports/outline_form.html",
        {
            "outline": outline,
            "form": form,
            "formset": formset,
            "catalogue": catalogue(outline.organisation),
        },
    )
