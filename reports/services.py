"""Writes of the reports app: outlines from presets, first drafts, exports."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from .document import ExportBlocked, build_document
from .models import OutlineSection, Report, ReportExport, ReportOutline, ReportSection
from .presets import PRESETS


@transaction.atomic
def outline_apply_preset(*, organisation, preset):
    """The organisation's outline for ``preset``, created from it if missing (idempotent)."""
    label, sections = PRESETS[preset]
    outline, created = ReportOutline.objects.get_or_create(
        organisation=organisation, name=str(label), defaults={"preset": preset}
    )
    if created:
        OutlineSection.objects.bulk_create(
            OutlineSection(
                outline=outline, order=index, level=level, heading=heading, template_text=text
            )
            for index, (level, heading, text) in enumerate(sections, start=1)
        )
    return outline


@transaction.atomic
def report_generate_draft(*, organisation, year, outline, replace=False):
    """A first draft of ``year``'s report from ``outline``, figures bound, text editable.

    An existing report is kept unless ``replace`` is set: the office's edits are never lost by
    a second click.
    """
    report = Report.objects.filter(organisation=organisation, year=year).first()
    if report is not None and not replace:
        return report, False
    title = outline.title_template.format(body=organisation.body_name, year=year)
    if report is None:
        report = Report.objects.create(
            organisation=organisation,
            year=year,
            outline=outline,
            title=title,
            signed_by=f"中共{organisation.body_name}",
        )
    else:
        report.outline, report.title = outline, title
        report.save()
        report.sections.all().delete()
    ReportSection.objects.bulk_create(
        ReportSection(
            report=report, order=s.order, level=s.level, heading=s.heading, text=s.template_text
        )
        for s in outline.sections.order_by("order", "pk")
    )
    return report, True


@transaction.atomic
def export_create(*, report, by, final=False):
    """Freeze the document now (or raise ExportBlocked); the PDF is rendered by export_render.

    A draft (征求意见稿) may still hold marked passages and no date; ``final`` refuses them."""
    document = build_document(report, final=final)
    return ReportExport.objects.create(report=report, created_by=by, frozen=document)


def export_render(export_id):
    """Render a frozen export's PDF; progress is written as it goes so the page can poll it."""
    from .pdf import render_pdf

    export = ReportExport.objects.select_related("report__organisation").get(pk=export_id)
    if export.state == ReportExport.State.DONE:
        return export
    # A message the portal had given up queueing may still arrive (a frozen broker came back):
    # the export then runs after all, and its earlier failure note no longer applies.
    ReportExport.objects.filter(pk=export.pk).update(
        state=ReportExport.State.RUNNING, progress=5, error=""
    )

    def progress(percent):
        ReportExport.objects.filter(pk=export.pk).update(progress=min(percent, 99))

    try:
        pdf, pages = render_pdf(export.frozen, progress=progress)
    except Exception as error:  # the export page must show a failure, not spin forever
        ReportExport.objects.filter(pk=export.pk).update(
            state=ReportExport.State.FAILED, error=_("生成失败：%s") % error
        )
        raise
    export.file.save(export.filename, ContentFile(pdf), save=False)
    export.size, export.pages = len(pdf), pages
    export.state, export.progress, export.error = ReportExport.State.DONE, 100, ""
    export.save(update_fields=["file", "size", "pages", "state", "progress", "error"])
    return export


def ledger_size(report):
    """How many rows the appendices will have: large reports are rendered in the background."""
    from accountability.models import DutyLetter
    from rectification.models import Measure

    from .figures.rectification_source import year_inspections

    measures = (
        Measure.objects.filter(
            finding__inspection__in=year_inspections(report.organisation, report.year)
        ).count()
        if report.include_ledger
        else 0
    )
    letters = (
        DutyLetter.objects.active()
        .filter(organisation=report.organisation, year=report.year)
        .count()
        if report.include_letters
        else 0
    )
    return measures + letters


__all__ = [
    "ExportBlocked",
    "export_create",
    "export_render",
    "ledger_size",
    "outline_apply_preset",
    "report_generate_draft",
]
