"""Writes of the reports app: outlines from presets, first drafts, exports, sign-off (审签)."""

import hashlib
import json
import logging

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.storage import StorageUnavailable, save_to

from . import notices as report_notices
from .document import ExportBlocked, build_document
from .models import (
    OutlineSection,
    Report,
    ReportExport,
    ReportOutline,
    ReportSection,
    ReportVersion,
)
from .presets import PRESETS

logger = logging.getLogger(__name__)


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
    if report is not None:
        report_begin_edit(report=report, by=None)  # a 定稿 or a text under sign-off stays
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
def export_create(*, report, by, format=ReportExport.Format.PDF, version=None):
    """Freeze the document now (or raise ExportBlocked); the file is rendered by export_render.

    Without ``version`` it is the report as it stands: a draft (征求意见稿), which may still hold
    marked passages and no 成文日期. The 定稿 is only ever printed from a version: a submitted
    one prints the text as submitted (still marked 征求意见稿 until approved); an approved one is
    the 定稿, unmarked, printed from the document frozen at sign-off. A version's export is made
    once per format and then handed out again, the same bytes every time.
    """
    if version is not None:
        if version.report_id != report.pk or not version.is_frozen:
            raise SignoffRefused(_("该版本尚未提交审签，请从报告预览页导出征求意见稿。"))
        existing = (
            ReportExport.objects.filter(version=version, format=format)
            .exclude(state=ReportExport.State.FAILED)
            .first()
        )
        if existing is not None:
            return existing
        # A version on its way (submitted, returned) prints as it was submitted, still marked.
        frozen = version.frozen if version.is_final else {**version.frozen, "draft": True}
        return ReportExport.objects.create(
            report=report, created_by=by, format=format, version=version, frozen=frozen
        )
    document = build_document(report, final=False)
    return ReportExport.objects.create(report=report, created_by=by, format=format, frozen=document)


def final_version(report):
    """The report's 定稿: its latest version if that one is approved, else None."""
    version = latest_version(report)
    return version if version is not None and version.is_final else None


def render_file(document, format, progress=None):
    """(bytes, pages) of ``document`` in ``format``; a DOCX's pages are Word's to count (0)."""
    if format == ReportExport.Format.DOCX:
        from .docx import render_docx

        return render_docx(document), 0
    from .pdf import render_pdf

    return render_pdf(document, progress=progress)


def export_render(export_id):
    """Render a frozen export's file; progress is written as it goes so the page can poll it."""
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
        data, pages = render_file(export.frozen, export.format, progress=progress)
    except Exception as error:  # the export page must show a failure, not spin forever
        ReportExport.objects.filter(pk=export.pk).update(
            state=ReportExport.State.FAILED, error=_("生成失败：%s") % error
        )
        raise
    try:
        save_to(export.file, export.filename, ContentFile(data))
    except StorageUnavailable as error:  # the object store is down: say so, do not spin
        ReportExport.objects.filter(pk=export.pk).update(
            state=ReportExport.State.FAILED, error=str(error.message)
        )
        raise
    export.size, export.pages = len(data), pages
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


# -- sign-off (审签) and versions ----------------------------------------------------------------


class SignoffRefused(Exception):
    """A sign-off step that may not happen now; ``message`` says why and what to do."""

    def __init__(self, message, problems=()):
        self.message = message
        self.problems = list(problems)
        super().__init__(message)


def canonical_json(document):
    """The frozen document as one canonical JSON text: the input of its content hash."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(document):
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


def _tell(*, event, version, recipients, by):
    """The one place the sign-off tells people (in the step's own transaction): the office that
    submitted hears of a return (with the comments) or an approval. A submission reaches the
    principal leader as a row of their 我的待办 (reports.todo), not as a notice."""
    report = version.report
    ids = {person.pk for person in recipients if person is not None}
    common = {
        "report_id": report.pk,
        "event": version.pk,  # each version is returned or approved once
        "organisation_id": report.organisation_id,
        "title": report.title,
        "by": by,
        "recipients": ids,
        "link": reverse("reports:version-detail", args=[version.pk]),
    }
    if event == "returned":
        report_notices.report_returned(reason=version.comments, **common)
    elif event == "approved":
        report_notices.report_approved(**common)
    else:
        logger.info("Report %s version %s %s by %s", report.pk, version.number, event, by)


def latest_version(report):
    """The report's latest version, or None for a report never yet versioned (a draft v1)."""
    return report.versions.order_by("-number").first()


def _lock(report):
    """The report's row, locked: sign-off steps on one report happen one at a time."""
    return Report.objects.select_for_update().select_related("organisation").get(pk=report.pk)


def _current(report, by):
    version = latest_version(report)
    if version is None:
        version = ReportVersion.objects.create(report=report, number=1, created_by=by)
    return version


def _new_draft(report, previous, by):
    return ReportVersion.objects.create(report=report, number=previous.number + 1, created_by=by)


def edit_refusal(version):
    """Why ``version``'s text may not be changed now (None: it may)."""
    if version is None or version.state in (
        ReportVersion.State.DRAFT,
        ReportVersion.State.RETURNED,
    ):
        return None
    if version.state == ReportVersion.State.SUBMITTED:
        return _("第%(n)d版已提交审签，正等待主要负责人签发或退回，暂不能修改。") % {
            "n": version.number
        }
    return _(
        "第%(n)d版已签发为定稿，不能修改。如需修改，请在报告预览页点击“开始新版本”，"
        "修改将作为第%(next)d版草稿，重新提交审签。"
    ) % {"n": version.number, "next": version.number + 1}


@transaction.atomic
def report_begin_edit(*, report, by):
    """The draft version an edit of ``report`` goes into, or SignoffRefused.

    A returned version stays as it was returned (its text and the comments): the edit starts
    the next version.
    """
    report = _lock(report)
    version = _current(report, by)
    refusal = edit_refusal(version)
    if refusal:
        raise SignoffRefused(refusal)
    if version.state == ReportVersion.State.RETURNED:
        version = _new_draft(report, version, by)
    return version


@transaction.atomic
def report_start_version(*, report, by):
    """After a 定稿 (or a return), a new draft version to edit; a draft is returned as it is."""
    report = _lock(report)
    version = _current(report, by)
    if version.state == ReportVersion.State.SUBMITTED:
        raise SignoffRefused(edit_refusal(version))
    if version.state == ReportVersion.State.DRAFT:
        return version
    return _new_draft(report, version, by)


@transaction.atomic
def report_submit(*, report, by, today=None):
    """Freeze the current draft and put it before the principal leader."""
    report = _lock(report)
    version = _current(report, by)
    if version.state == ReportVersion.State.RETURNED:
        version = _new_draft(report, version, by)
    if version.state != ReportVersion.State.DRAFT:
        raise SignoffRefused(edit_refusal(version))
    leader = report.organisation.principal_leader
    if leader is None:
        raise SignoffRefused(
            _("本党组织尚未设置主要负责人，无法提交审签。请系统管理员在组织机构中设置。")
        )
    try:
        document = build_document(report, today=today, final=True)
    except ExportBlocked as blocked:
        raise SignoffRefused(
            _("还有%(n)d处未完成，不能提交审签：") % {"n": len(blocked.problems)},
            problems=blocked.problems,
        ) from blocked
    version.submit(by=by, document=document, content_hash=content_hash(document), at=timezone.now())
    version.save()
    _tell(event="submitted", version=version, recipients=[leader], by=by)
    return version


def _decide(version, by):
    """The version locked for a decision by ``by``, who must be the principal leader."""
    report = _lock(version.report)
    if by is None or report.organisation.principal_leader_id != by.pk:
        raise PermissionDenied(_("只有本党组织的主要负责人可以审签。"))
    version = ReportVersion.objects.select_for_update().get(pk=version.pk)
    if version.state != ReportVersion.State.SUBMITTED:
        raise SignoffRefused(
            _("第%(n)d版当前状态为“%(state)s”，不在待审签状态。")
            % {"n": version.number, "state": version.get_state_display()}
        )
    return version


@transaction.atomic
def version_approve(*, version, by, comments=""):
    """签发: the submitted version becomes the 定稿, exactly as it was submitted."""
    version = _decide(version, by)
    version.decide(approve=True, by=by, comments=(comments or "").strip(), at=timezone.now())
    version.save()
    _tell(event="approved", version=version, recipients=[version.submitted_by], by=by)
    return version


@transaction.atomic
def version_return(*, version, by, comments):
    """Return the submitted version to the office with comments (required)."""
    version = _decide(version, by)
    comments = (comments or "").strip()
    if not comments:
        raise SignoffRefused(_("退回时请填写审签意见，写明需要修改的地方。"))
    version.decide(approve=False, by=by, comments=comments, at=timezone.now())
    version.save()
    _tell(event="returned", version=version, recipients=[version.submitted_by], by=by)
    return version


__all__ = [
    "final_version",
    "SignoffRefused",
    "content_hash",
    "edit_refusal",
    "latest_version",
    "report_begin_edit",
    "report_start_version",
    "report_submit",
    "version_approve",
    "version_return",
    "ExportBlocked",
    "export_create",
    "export_render",
    "ledger_size",
    "outline_apply_preset",
    "report_generate_draft",
]
