"""Sign-off (审签): submit, approve or return, new versions, and versions side by side.

The office submits; only the organisation's principal leader (``principal_leader``) approves or
returns; every whole-organisation reader reads the versions. The rules live in
``reports.services``; these views only ask and show.
"""

import difflib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..document import printable_sections
from ..models import ReportVersion
from ..services import (
    SignoffRefused,
    report_start_version,
    report_submit,
    version_approve,
    version_return,
)
from .base import get_report, readable_reports


def _refused(request, refused):
    text = refused.message
    if refused.problems:
        text = f"{text}{'；'.join(refused.problems)}"
    messages.error(request, text)


def is_principal(request, report):
    return request.user.pk == report.organisation.principal_leader_id


def get_version(request, pk):
    return get_object_or_404(
        ReportVersion.objects.select_related(
            "report__organisation", "submitted_by", "decided_by"
        ).filter(report__in=readable_reports(request.scope)),
        pk=pk,
    )


@require_POST
@login_required
def report_submit_view(request, pk):
    report = get_report(request, pk, write=True)
    try:
        version = report_submit(report=report, by=request.user)
    except SignoffRefused as refused:
        _refused(request, refused)
        return redirect("reports:report-detail", pk=report.pk)
    messages.success(request, _("第%(n)d版已提交主要负责人审签。") % {"n": version.number})
    return redirect("reports:version-detail", pk=version.pk)


@require_POST
@login_required
def report_new_version(request, pk):
    report = get_report(request, pk, write=True)
    try:
        version = report_start_version(report=report, by=request.user)
    except SignoffRefused as refused:
        _refused(request, refused)
        return redirect("reports:report-detail", pk=report.pk)
    messages.success(request, _("已开始第%(n)d版草稿，可以修改了。") % {"n": version.number})
    return redirect("reports:report-edit", pk=report.pk)


def _decision(request, pk, decide):
    version = get_version(request, pk)
    if not is_principal(request, version.report):
        raise PermissionDenied(_("只有本党组织的主要负责人可以审签。"))
    try:
        decide(version)
    except SignoffRefused as refused:
        _refused(request, refused)
    return redirect("reports:version-detail", pk=version.pk)


@require_POST
@login_required
def version_approve_view(request, pk):
    def decide(version):
        version_approve(version=version, by=request.user, comments=request.POST.get("comments"))
        messages.success(request, _("已签发，第%(n)d版为定稿。") % {"n": version.number})

    return _decision(request, pk, decide)


@require_POST
@login_required
def version_return_view(request, pk):
    def decide(version):
        version_return(version=version, by=request.user, comments=request.POST.get("comments"))
        messages.success(request, _("已退回第%(n)d版，并附审签意见。") % {"n": version.number})

    return _decision(request, pk, decide)


@login_required
def version_detail(request, pk):
    version = get_version(request, pk)
    report = version.report
    sections = printable_sections(version.frozen) if version.frozen else []
    return render(
        request,
        "reports/version_detail.html",
        {
            "report": report,
            "version": version,
            "document": version.frozen,
            "sections": sections,
            "can_decide": is_principal(request, report)
            and version.state == ReportVersion.State.SUBMITTED,
            "can_write": request.scope.is_superuser
            or report.organisation_id in request.scope.full_write_org_ids,
            "exports": version.exports.select_related("created_by"),
        },
    )


def _section_texts(document):
    """[(heading, text)] of a frozen document: the title, each section, the signature."""
    out = [(_("标题"), document.get("title", ""))]
    for section in printable_sections(document):
        heading = f"{section['number']}{section['heading']}"
        out.append((heading, "\n".join(section["paragraphs"])))
    out.append((_("落款"), f"{document.get('signature', '')}\n{document.get('date', '')}"))
    return out


def _joined(heading, text):
    return f"{heading}\n{text}" if heading else text


def _marked(a, b):
    """Both texts as HTML with what differs highlighted (deleted left, inserted right)."""
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            left.append(escape(a[i1:i2]))
            right.append(escape(b[j1:j2]))
            continue
        if i2 > i1:
            left.append(f"<del>{escape(a[i1:i2])}</del>")
        if j2 > j1:
            right.append(f"<ins>{escape(b[j1:j2])}</ins>")
    # every piece is escaped above
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308


@login_required
def report_compare(request, pk):
    """Two frozen versions side by side, section by section, the changes marked."""
    report = get_report(request, pk)
    versions = list(report.versions.exclude(state=ReportVersion.State.DRAFT).order_by("number"))
    by_number = {v.number: v for v in versions}

    def chosen(name, default):
        try:
            return by_number[int(request.GET.get(name, default))]
        except (KeyError, TypeError, ValueError):
            raise Http404 from None

    rows, left, right = [], None, None
    if len(versions) >= 2:
        left = chosen("a", versions[-2].number)
        right = chosen("b", versions[-1].number)
        a_sections, b_sections = _section_texts(left.frozen), _section_texts(right.frozen)
        matcher = difflib.SequenceMatcher(
            None, [h for h, _t in a_sections], [h for h, _t in b_sections], autojunk=False
        )
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            pairs = list(zip(a_sections[i1:i2], b_sections[j1:j2], strict=False))
            if op in ("equal", "replace") and (i2 - i1) == (j2 - j1):
                for (ha, ta), (hb, tb) in pairs:
                    mark_a, mark_b = _marked(_joined(ha, ta), _joined(hb, tb))
                    rows.append({"changed": (ha, ta) != (hb, tb), "a": mark_a, "b": mark_b})
                continue
            for heading, text in a_sections[i1:i2]:
                rows.append({"changed": True, "a": _marked(_joined(heading, text), "")[0], "b": ""})
            for heading, text in b_sections[j1:j2]:
                rows.append({"changed": True, "a": "", "b": _marked("", _joined(heading, text))[1]})
    return render(
        request,
        "reports/version_compare.html",
        {
            "report": report,
            "versions": versions,
            "left": left,
            "right": right,
            "rows": rows,
            "changed": sum(1 for row in rows if row["changed"]),
        },
    )
