"""The organisation's list of work-record kinds: office staff add, rename, stop and restart them.

A stopped kind keeps its records (and the counts of reports that use them); it only leaves the
entry forms.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from common.forms import GuidedFormMixin

from ..models import WorkRecordKind
from .base import current_organisation, flash_errors


class KindForm(GuidedFormMixin, forms.ModelForm):
    class Meta:
        model = WorkRecordKind
        fields = ["name", "order"]

    def __init__(self, *args, organisation, **kwargs):
        self.organisation = organisation
        super().__init__(*args, **kwargs)
        if "order" in self.fields:
            self.fields["order"].required = False
            self.fields["order"].error_messages["invalid"] = _("排序必须是数字。")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = WorkRecordKind.objects.filter(organisation=self.organisation, name=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("已有同名类别“%(name)s”。") % {"name": name})
        return name


class KindRenameForm(KindForm):
    """A new name for a kind; its records, and the report figures that count them by the kind's
    code, stay with it."""

    class Meta(KindForm.Meta):
        fields = ["name"]


@login_required
def workrecordkind_list(request):
    organisation = current_organisation(request)
    scope = request.scope
    can_write = scope.is_superuser or organisation.pk in scope.full_write_org_ids
    form = KindForm(organisation=organisation)
    if request.method == "POST":
        scope.require_write(organisation=organisation)
        form = KindForm(request.POST, organisation=organisation)
        if form.is_valid():
            kind = form.save(commit=False)
            kind.organisation = organisation
            last = WorkRecordKind.objects.filter(organisation=organisation).aggregate(
                order=Max("order"), n=Count("pk")
            )
            kind.order = form.cleaned_data.get("order") or (last["order"] or 0) + 1
            kind.code = f"custom-{last['n'] + 1}"
            while WorkRecordKind.objects.filter(organisation=organisation, code=kind.code).exists():
                kind.code += "x"
            kind._history_user = request.user
            kind.save()
            messages.success(request, _("已新增类别“%(name)s”。") % {"name": kind.name})
            return redirect("accountability:workrecordkind-list")
    kinds = (
        WorkRecordKind.objects.filter(organisation=organisation)
        .annotate(record_count=Count("records"))
        .order_by("order", "pk")
    )
    return render(
        request,
        "accountability/workrecordkind_list.html",
        {"kinds": kinds, "form": form, "can_write": can_write, "organisation": organisation},
    )


def _writable_kind(request, pk):
    kinds = WorkRecordKind.objects.select_related("organisation")
    if not request.scope.is_superuser:
        kinds = kinds.filter(organisation_id__in=request.scope.organisation_ids)
    kind = get_object_or_404(kinds, pk=pk)
    request.scope.require_write(organisation=kind.organisation_id)
    return kind


@login_required
@require_POST
def workrecordkind_rename(request, pk):
    """Give a kind the name the organisation uses (a 党委's own meetings, a local term)."""
    kind = _writable_kind(request, pk)
    before = kind.name
    form = KindRenameForm(request.POST, instance=kind, organisation=kind.organisation)
    if form.is_valid():
        kind = form.save(commit=False)
        kind._history_user = request.user
        kind.save(update_fields=["name"])
        messages.success(
            request, _("已将“%(old)s”改名为“%(new)s”。") % {"old": before, "new": kind.name}
        )
    else:
        flash_errors(request, form)
    return redirect("accountability:workrecordkind-list")


@login_required
@require_POST
def workrecordkind_toggle(request, pk):
    """Stop a kind (soft delete) or start it again."""
    kind = _writable_kind(request, pk)
    kind.is_active = not kind.is_active
    kind._history_user = request.user
    kind.save(update_fields=["is_active"])
    if kind.is_active:
        messages.success(request, _("已启用“%(name)s”。") % {"name": kind.name})
    else:
        messages.success(request, _("已停用“%(name)s”，已有记实保留不变。") % {"name": kind.name})
    return redirect("accountability:workrecordkind-list")
