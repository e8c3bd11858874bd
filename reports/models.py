"""The year-end report: an outline per organisation, a report per year, and frozen exports.

An outline (``ReportOutline``) is the organisation's standing structure: ordered sections at
three levels (a paragraph without heading, "一、" headings, "（一）" sub-items), each with the
template wording the office wants in every year's first draft. A ``Report`` is one year's text,
first drafted from the outline and then edited freely. The narrative holds figure tokens
(``{{count:theory_study}}``, see ``reports.figures``) that are resolved from the records when the
report is previewed or exported, never typed by hand. An ``ReportExport`` freezes the values it
printed together with the PDF or DOCX, so that the same document can be produced again later.
A ``ReportVersion`` carries the report through sign-off (审签) to its 定稿.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SectionLevel(models.IntegerChoices):
    PARAGRAPH = 0, _("段落（无标题）")
    HEADING = 1, _("一级标题（一、）")
    SUBHEADING = 2, _("二级标题（（一））")


class ReportOutline(models.Model):
    organisation = models.ForeignKey(
        "accountability.Organisation",
        verbose_name=_("党组织"),
        on_delete=models.CASCADE,
        related_name="report_outlines",
    )
    name = models.CharField(_("提纲名称"), max_length=60)
    preset = models.CharField(_("来源预设"), max_length=40, blank=True)
    title_template = models.CharField(
        _("标题模板"),
        max_length=120,
        default="{body}关于{year}年度全面从严治党主体责任落实情况的报告",
        help_text=_("{body} 为党组织名称，{year} 为年度。"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报告提纲")
        verbose_name_plural = _("报告提纲")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="outline_name_unique")
        ]

    def __str__(self):
        return self.name


class OutlineSection(models.Model):
    outline = models.ForeignKey(
        ReportOutline, verbose_name=_("提纲"), on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveIntegerField(_("顺序"), default=0)
    level = models.PositiveSmallIntegerField(
        _("层级"), choices=SectionLevel.choices, default=SectionLevel.HEADING
    )
    heading = models.CharField(_("标题"), max_length=120, blank=True)
    template_text = models.TextField(_("初稿文字"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("提纲章节")
        verbose_name_plural = _("提纲章节")
        ordering = ["outline", "order", "pk"]

    def __str__(self):
        return self.heading or self.get_level_display()


class Report(models.Model):
    organisation = models.ForeignKey(
        "accountability.Organisation",
        verbose_name=_("党组织"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    year = models.PositiveIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=160)
    outline = models.ForeignKey(
        ReportOutline,
        verbose_name=_("提纲"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    signed_by = models.CharField(_("落款单位"), max_length=100, blank=True)
    dated = models.DateField(_("成文日期"), null=True, blank=True)
    include_ledger = models.BooleanField(_("附整改台账"), default=True)
    include_letters = models.BooleanField(_("附责任书签订情况表"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        ordering = ["organisation", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="report_year_unique")
        ]

    def __str__(self):
        return self.title

    @property
    def signature(self):
        return self.signed_by or self.organisation.body_name


class ReportSection(models.Model):
    report = models.ForeignKey(
        Report, verbose_name=_("报告"), on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveIntegerField(_("顺序"), default=0)
    level = models.PositiveSmallIntegerField(
        _("层级"), choices=SectionLevel.choices, default=SectionLevel.HEADING
    )
    heading = models.CharField(_("标题"), max_length=120, blank=True)
    text = models.TextField(_("正文"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报告章节")
        verbose_name_plural = _("报告章节")
        ordering = ["report", "order", "pk"]

    def __str__(self):
        return self.heading or self.text[:20]


class ReportVersion(models.Model):
    """One version of a report on its way to sign-off (审签).

    The report's sections are the text of its latest version while that version is a draft.
    Submitting freezes the document as it stands (``frozen``, with its ``content_hash``); the
    principal leader approves it (签发: it becomes the 定稿) or returns it with comments. A
    frozen version never changes: the next edit is a new version (see ``reports.services``).
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审签")
        APPROVED = "approved", _("已签发（定稿）")
        RETURNED = "returned", _("已退回")

    report = models.ForeignKey(
        Report, verbose_name=_("报告"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审签时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审签人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    comments = models.TextField(_("审签意见"), blank=True)
    # The document as submitted (what the principal leader reads and signs) and its sha256.
    frozen = models.JSONField(_("冻结内容"), default=dict, blank=True)
    content_hash = models.CharField(_("内容摘要（SHA-256）"), max_length=64, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报告版本")
        verbose_name_plural = _("报告版本")
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_unique"),
            models.CheckConstraint(
                condition=models.Q(state="draft") | ~models.Q(content_hash=""),
                name="report_version_frozen_has_hash",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="returned") | ~models.Q(comments=""),
                name="report_version_return_has_comments",
            ),
        ]

    def __str__(self):
        return f"{self.report} · v{self.number}"

    # The state machine: draft → submitted → approved (the 定稿) or returned. A returned or
    # approved version stays as it is; the next edit is a new version.
    TRANSITIONS = {
        "draft": {"submitted"},
        "submitted": {"approved", "returned"},
        "approved": set(),
        "returned": set(),
    }

    @property
    def is_final(self):
        return self.state == self.State.APPROVED

    @property
    def is_frozen(self):
        return self.state != self.State.DRAFT

    def _move(self, state):
        if state not in self.TRANSITIONS[self.state]:
            raise ValueError(f"report version {self.pk}: {self.state} -> {state} is not allowed")
        self.state = state

    def submit(self, *, by, document, content_hash, at):
        """Freeze ``document`` (with its hash) as this version's text, for sign-off."""
        self._move(self.State.SUBMITTED)
        self.frozen, self.content_hash = document, content_hash
        self.submitted_at, self.submitted_by = at, by

    def decide(self, *, approve, by, comments, at):
        """签发 (``approve``) or return with ``comments``; the frozen text is left as it is."""
        self._move(self.State.APPROVED if approve else self.State.RETURNED)
        self.decided_at, self.decided_by, self.comments = at, by, comments


def export_upload_to(instance, filename):
    return f"reports/{instance.report.organisation_id}/{instance.report.year}/{filename}"


class ReportExport(models.Model):
    """One PDF or DOCX as it was printed, with every figure's value frozen beside it."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"

    class State(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    report = models.ForeignKey(
        Report, verbose_name=_("报告"), on_delete=models.CASCADE, related_name="exports"
    )
    created_at = models.DateTimeField(_("导出时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导出人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default="pending")
    format = models.CharField(_("格式"), max_length=4, choices=Format.choices, default=Format.PDF)
    # Set for the 定稿's exports: the approved version they print, byte for byte the same.
    version = models.ForeignKey(
        ReportVersion,
        verbose_name=_("版本"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exports",
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    error = models.TextField(_("错误信息"), blank=True)
    # The document as printed: title, sections' text and the resolved figures.
    frozen = models.JSONField(_("冻结内容"), default=dict, blank=True)
    file = models.FileField(_("文件"), upload_to=export_upload_to, blank=True)
    size = models.PositiveIntegerField(_("文件大小"), default=0)
    pages = models.PositiveIntegerField(_("页数"), default=0)

    class Meta:
        verbose_name = _("报告导出")
        verbose_name_plural = _("报告导出")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="export_progress_max_100"
            )
        ]

    def __str__(self):
        return f"{self.report} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_final(self):
        return self.version_id is not None and not self.frozen.get("draft", True)

    @property
    def filename(self):
        stem = f"{self.report.organisation.code}-{self.report.year}-report"
        if self.version_id is not None:
            kind = "final" if self.is_final else "draft"
            return f"{stem}-{kind}-v{self.version.number}.{self.format}"
        return f"{stem}-{self.pk}.{self.format}"

    @property
    def content_type(self):
        if self.format == self.Format.DOCX:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return "application/pdf"
