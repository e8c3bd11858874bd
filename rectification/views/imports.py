"""Importing a findings list: upload → preview (kept server-side by token) → confirm."""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from .. import importer
from ..forms import ImportUploadForm
from ..models import FindingImport, RectificationError
from ..selectors import visible_inspections

PREVIEW_ROWS = 300


def _office_inspection(request, pk):
    inspection = get_object_or_404(visible_inspections(request.scope), pk=pk)
    scope = request.scope
    if not (scope.is_superuser or inspection.organisation_id in scope.full_write_org_ids):
        raise PermissionDenied
    return inspection


@login_required
def import_upload(request, inspection_pk):
    inspection = _office_inspection(request, inspection_pk)
    problems = []
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = importer.parse(upload, inspection)
            if result.ok:
                batch = importer.stage(
                    result, inspection=inspection, by=request.user, file_name=upload.name
                )
                return redirect("rectification:import-preview", token=batch.token)
            problems = result.problems
    else:
        form = ImportUploadForm()
    return render(
        request,
        "rectification/import_upload.html",
        {"inspection": inspection, "form": form, "problems": problems},
    )


@login_required
def import_preview(request, token):
    batch = get_object_or_404(
        FindingImport.objects.select_related("inspection"),
        token=token,
        created_by=request.user,
    )
    inspection = _office_inspection(request, batch.inspection_id)
    if request.method == "POST":
        try:
            findings, measures = importer.confirm(batch, by=request.user)
        except RectificationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("导入完成：新增问题 %(f)d 个、整改措施 %(m)d 条。")
                % {"f": findings, "m": measures},
            )
            return redirect("rectification:inspection-detail", pk=inspection.pk)
    return render(
        request,
        "rectification/import_preview.html",
        {
            "inspection": inspection,
            "batch": batch,
            "rows": batch.rows[:PREVIEW_ROWS],
            "truncated": len(batch.rows) > PREVIEW_ROWS,
            "summary": importer.summary(batch.rows),
            "preview_rows": PREVIEW_ROWS,
        },
    )


@login_required
def import_template(request, inspection_pk):
    inspection = _office_inspection(request, inspection_pk)
    stream = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    importer.template_workbook(stream, inspection.organisation)
    stream.seek(0)
    return FileResponse(
        stream,
        as_attachment=True,
        filename="问题清单模板.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
