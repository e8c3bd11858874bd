"""Assessment pages: schemes, their rules and manual points, results, and the basis of a point."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import Action, record

from . import excel, measures, scoring, services
from .access import can_edit, owners_for, readable_schemes, scheme_for, target_for
from .forms import AdjustmentForm, RuleForm, RuleWeightForm, SchemeForm
from .models import ManualAdjustment, Rule
from .scoring import assess


def _flash(request, error):
    for message in getattr(error, "messages", [str(error)]):
        messages.error(request, message)


def _form_errors(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
def scheme_list(request):
    schemes = (
        readable_schemes(request.scope).select_related("owner").order_by("-year", "owner__name")
    )
    owners = owners_for(request.scope)
    form = SchemeForm(owners=owners) if owners.exists() else None
    return render(request, "assessment/scheme_list.html", {"schemes": schemes, "form": form})


@login_required
def scheme_create(request):
    owners = owners_for(request.scope)
    if not owners.exists():
        raise Http404
    form = SchemeForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        try:
            scheme = services.scheme_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已创建考核方案，请添加考核项目和分值。"))
            return redirect("assessment:scheme-detail", pk=scheme.pk)
    return render(request, "assessment/scheme_form.html", {"form": form})


@login_required
def scheme_detail(request, pk):
    scheme = scheme_for(request, pk)
    result = assess(scheme)
    editable = can_edit(request.scope, scheme)
    adjustments = scheme.adjustments.select_related("unit", "organisation", "created_by")
    context = {
        "scheme": scheme,
        "result": result,
        "editable": editable,
        "adjustments": adjustments,
        "definitions": [
            (code, d) for code, d in measures.registry().items() if d.applies_to(scheme.target)
        ],
    }
    if editable:
        context["rule_form"] = RuleForm(scheme=scheme)
        context["adjustment_form"] = AdjustmentForm(scheme=scheme)
    return render(request, "assessment/scheme_detail.html", context)


@login_required
def scheme_export(request, pk):
    scheme = scheme_for(request, pk)
    record(Action.EXPORT, request=request, detail=request.path)
    return excel.result_response(assess(scheme))


@login_required
@require_POST
def rule_add(request, pk):
    scheme = scheme_for(request, pk, write=True)
    form = RuleForm(request.POST, scheme=scheme)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.rule_add(scheme=scheme, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _flash(request, error)
        else:
            messages.success(request, _("已添加考核项目。"))
    return redirect("assessment:scheme-detail", pk=scheme.pk)


def _rule(request, pk, rule_pk):
    scheme = scheme_for(request, pk, write=True)
    return get_object_or_404(Rule, scheme=scheme, pk=rule_pk)


@login_required
@require_POST
def rule_update(request, pk, rule_pk):
    rule = _rule(request, pk, rule_pk)
    form = RuleWeightForm(request.POST, instance=Rule.objects.get(pk=rule.pk))
    if not form.is_valid():
        _form_errors(request, form)
    else:
        services.rule_update(
            rule=rule,
            weight=form.cleaned_data["weight"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
        messages.success(request, _("已修改分值。"))
    return redirect("assessment:scheme-detail", pk=pk)


@login_required
@require_POST
def rule_delete(request, pk, rule_pk):
    rule = _rule(request, pk, rule_pk)
    services.rule_delete(rule=rule, by=request.user)
    messages.success(request, _("已删除考核项目。"))
    return redirect("assessment:scheme-detail", pk=pk)


@login_required
@require_POST
def adjustment_add(request, pk):
    scheme = scheme_for(request, pk, write=True)
    form = AdjustmentForm(request.POST, scheme=scheme)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.adjustment_add(
                scheme=scheme,
                target_id=str(form.cleaned_data["target"]),
                points=form.cleaned_data["points"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            _flash(request, error)
        else:
            messages.success(request, _("已登记加减分。"))
    return redirect("assessment:scheme-detail", pk=scheme.pk)


@login_required
@require_POST
def adjustment_delete(request, pk, adjustment_pk):
    scheme = scheme_for(request, pk, write=True)
    adjustment = get_object_or_404(ManualAdjustment, scheme=scheme, pk=adjustment_pk)
    services.adjustment_delete(adjustment=adjustment, by=request.user)
    messages.success(request, _("已删除加减分。"))
    return redirect("assessment:scheme-detail", pk=pk)


@login_required
def point_basis(request, pk, rule_pk, target_pk):
    """The records behind one rule's points for one target, read-only."""
    scheme = scheme_for(request, pk)
    rule = get_object_or_404(Rule, scheme=scheme, pk=rule_pk)
    definition = measures.definition(rule.measure)
    if definition is None or not definition.applies_to(scheme.target):
        raise Http404
    target = target_for(scheme, target_pk)
    today = timezone.localdate()
    rows = definition.basis(scheme, target, today, request.scope)
    cell = scoring.cell(scheme, rule, definition, target, today)
    return render(
        request,
        "assessment/point_basis.html",
        {
            "scheme": scheme,
            "rule": rule,
            "definition": definition,
            "target": target,
            "rows": rows,
            "cell": cell,
            "status_labels": measures.STATUS_LABELS,
        },
    )
