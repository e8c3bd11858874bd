"""Exporting the annual report: small ones at once, large ones in a Celery task polled by htmx."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import Action, record
from common.downloads import content_disposition
from common.storage import open_for_reading

from ..document import ExportBlocked
from ..models import ReportExport
from ..services import SignoffRefused, export_create, export_render, ledger_size
from .base import get_report, readable_reports

logger = logging.getLogger(__name__)


def async_threshold():
    return getattr(settings, "REPORT_ASYNC_ROWS", 300)


@require_POST
@login_required
def export_create_view(request, pk):
    """Export the report as it stands (征求意见稿), or with ``version`` its 定稿, as PDF or DOCX.

    The 定稿 may be exported by every whole-organisation reader (the principal leader who
    signed it among them); a draft export only by those who write the report.
    """
    fmt = request.POST.get("format", ReportExport.Format.PDF)
    if fmt not in ReportExport.Format.values:
        fmt = ReportExport.Format.PDF
    version = None
    if request.POST.get("version"):
        report = get_report(request, pk)
        version = report.versions.filter(pk=_int(request.POST["version"])).first()
        if version is None:
            raise Http404
        back = reverse("reports:version-detail", args=[version.pk])
    else:
        report = get_report(request, pk, write=True)
        back = reverse("reports:report-detail", args=[report.pk])
    try:
        export = export_create(report=report, by=request.user, format=fmt, version=version)
    except ExportBlocked as blocked:
        messages.error(request, blocked.message)
        return redirect(back)
    except SignoffRefused as refused:
        messages.error(request, refused.message)
        return redirect(back)
    label = export.get_format_display()
    if export.state == ReportExport.State.DONE:
        messages.success(request, _("%(format)s 已生成。") % {"format": label})
        return redirect(back)
    if ledger_size(report) <= async_threshold():
        try:
            export_render(export.pk)
        except Exception:  # recorded on the export row by export_render; show it, do not 500
            logger.exception("Report export %s failed", export.pk)
            messages.error(
                request,
                _("%(format)s 生成失败，请稍后重试或联系系统管理员。") % {"format": label},
            )
        else:
            messages.success(request, _("%(format)s 已生成。") % {"format": label})
        return redirect(back)
    transaction.on_commit(lambda: enqueue(export.pk))
    messages.info(request, _("报告较大，正在后台生成，完成后可在下方下载。"))
    return redirect(back)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def enqueue(export_id):
    """Hand the export to a worker; with the broker down, say so on the export row."""
    from ..tasks import render_export

    try:
        render_export.delay(export_id)
    except Exception:  # kombu/redis raise many kinds; the page must not fail
        logger.exception("Report export %s could not be queued", export_id)
        ReportExport.objects.filter(pk=export_id).update(
            state=ReportExport.State.FAILED,
            error=_("后台任务服务暂不可用，未能生成，请稍后重新导出。"),
        )


def _export(request, pk):
    return get_object_or_404(
        ReportExport.objects.select_related("report__organisation").filter(
            report__in=readable_reports(request.scope)
        ),
        pk=pk,
    )


@login_required
def export_status(request, pk):
    """The export's row, re-polled by htmx every second until it is done or failed."""
    return render(request, "reports/includes/export_row.html", {"export": _export(request, pk)})


@login_required
def export_download(request, pk):
    export = _export(request, pk)
    if export.state != ReportExport.State.DONE or not export.file:
        raise Http404
    stored = open_for_reading(export.file)  # a store that is down: a page that says so
    record(
        Action.EXPORT,
        request=request,
        organisation_id=export.report.organisation_id,
        obj=export,
        detail=export.filename,
    )
    response = FileResponse(stored, content_type=export.content_type)
    # Named as filed: "市水利局2026年度…报告.pdf" (or .docx; a draft says so), with the ASCII
    # name as a fallback.
    mark = "" if export.is_final else _("（征求意见稿）")
    response["Content-Disposition"] = content_disposition(
        f"{export.report.title}{mark}.{export.format}", export.filename
    )
    return response
