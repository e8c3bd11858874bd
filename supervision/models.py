"""报送 and 督办: what passes between an organisation and its supervising body (机关工委).

* ``ReportDue``: the body's due date for one year's reports.
* ``Submission``: one organisation's 定稿 as it was submitted, frozen (the version's text and the
  PDF and DOCX bytes, in the default storage), then received (签收) or returned with comments.
  A returned submission stays as it was; the next one needs a new signed-off version.
* ``SupervisionNotice`` (督办): the body asks an organisation below it about overdue items or a
  weak area, with a reply deadline; the organisation replies with evidence (``NoticeReply``,
  ``NoticeEvidence``); the body closes it or returns the reply with comments.

Every state change goes through ``supervision.services`` (row locks, one transaction).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.evidence import EvidenceFileBase


class SupervisionError(Exception):
    """A step that may not happen now; ``message`` says why in Chinese. Nothing was changed."""

    def __init__(self, message):
        self.message = str(message)
        super().__init__(self.message)


class ReportDue(models.Model):
    """When the organisations below a body must have submitted their report on ``year``."""

    supervisor = models.ForeignKey(
        "accountability.Organisation",
        verbose_name=_("上级党组织"),
        on_delete=models.CASCADE,
        related_name="report_dues",
    )
    year = models.PositiveSmallIntegerField(_("报告年度"))
    due_date = models.DateField(_("报送截止日期"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报送截止日期")
        verbose_name_plural = _("报送截止日期")
        ordering = ["supervisor", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["supervisor", "year"], name="report_due_unique_year")
        ]

    def __str__(self):
        return f"{self.supervisor} · {self.year} · {self.due_date:%Y-%m-%d}"


def submission_upload_to(instance, filename):
    # Only the server names these files; the path carries no user input.
    return f"submissions/{instance.organisation_id}/{instance.year}/{filename}"


class Submission(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已报送，待签收")
        RECEIVED = "received", _("已签收")
        RETURNED = "returned", _("已退回")

    organisation = models.ForeignKey(
        "accountability.Organisation",
        verbose_name=_("报送单位"),
        on_delete=models.PROTECT,
        related_name="report_submissions",
    )
    # The body it went to (the organisation's supervisor at the time).
    supervisor = models.ForeignKey(
        "accountability.Organisation",
        verbose_name=_("上级党组织"),
        on_delete=models.PROTECT,
        related_name="received_submissions",
    )
    year = models.PositiveSmallIntegerField(_("报告年度"))
    version = models.ForeignKey(
        "reports.ReportVersion",
        verbose_name=_("报送版本"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    title = models.CharField(_("标题"), max_length=200)
    submitted_at = models.DateTimeField(_("报送时间"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField(_("报送截止日期"))
    on_time = models.BooleanField(_("按时报送"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    # What was submitted, frozen: the version's document (text and figures) and its files.
    document = models.JSONField(_("报送内容"), default=dict)
    content_hash = models.CharField(_("内容摘要（SHA-256）"), max_length=64)
    pdf = models.FileField(_("PDF 文件"), upload_to=submission_upload_to, max_length=200)
    pdf_sha256 = models.CharField(_("PDF 摘要"), max_length=64)
    docx = models.FileField(_("DOCX 文件"), upload_to=submission_upload_to, max_length=200)
    docx_sha256 = models.CharField(_("DOCX 摘要"), max_length=64)
    decided_at = models.DateTimeField(_("签收/退回时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收/退回人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    comments = models.TextField(_("意见"), blank=True)
    history = HistoricalRecords(excluded_fields=["document"])

    class Meta:
        verbose_name = _("年度报告报送")
        verbose_name_plural = _("年度报告报送")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            # At most one submission per organisation and year that has not been returned:
            # submitting twice is refused by the database as well as by the service.
            models.UniqueConstraint(
                fields=["organisation", "year"],
                condition=~Q(status="returned"),
                name="submission_one_open_per_year",
            ),
            # A version goes up once: after a return, a new signed-off version is needed.
            models.UniqueConstraint(fields=["version"], name="submission_version_once"),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(comments=""),
                name="submission_return_has_comments",
            ),
            models.CheckConstraint(
                condition=Q(status="submitted") | Q(decided_at__isnull=False),
                name="submission_decision_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.year} · {self.get_status_display()}"

    TRANSITIONS = {"submitted": {"received", "returned"}, "received": set(), "returned": set()}

    def decide(self, *, receive, by, comments, at):
        """签收 (``receive``) or return with ``comments``; the frozen files stay as they are."""
        status = self.Status.RECEIVED if receive else self.Status.RETURNED
        if status not in self.TRANSITIONS[self.status]:
            raise ValueError(f"submission {self.pk}: {self.status} -> {status} is not allowed")
        self.status, self.decided_by, self.decided_at, self.comments = status, by, at, comments

    @property
    def timing_display(self):
        return _("按时") if self.on_time else _("逾期")


class SupervisionNotice(models.Model):
    """督办: a body's notice to one organisation below it, answered with evidence."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("待答复")
        REPLIED = "replied", _("已答复，待审核")
        RETURNED = "returned", _("已退回，待重新答复")
        CLOSED = "closed", _("已办结")

    supervisor = models.ForeignKey(
        "accountability.Organisation",
        verbose_name=_("督办单位"),
        on_delete=models.PROTECT,
        related_name="issued_notices",
    )
    organisation = models.ForeignKey(
        "accountability.Organisation",
        verbose_name=_("被督办单位"),
        on_delete=models.PROTECT,
        related_name="supervision_notices",
    )
    subject = models.CharField(_("督办事项"), max_length=100)
    body = models.TextField(_("督办内容"))
    weak_area = models.CharField(
        _("薄弱环节"),
        max_length=100,
        blank=True,
        help_text=_("如“谈心谈话开展不够经常”“整改措施逾期未完成”。"),
    )
    measures = models.ManyToManyField(
        "rectification.Measure",
        verbose_name=_("涉及的逾期整改措施"),
        blank=True,
        related_name="supervision_notices",
    )
    reply_due = models.DateField(_("答复期限"))
    issued_at = models.DateTimeField(_("下发时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("下发人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.ISSUED
    )
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    comments = models.TextField(_("审核意见"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervisor=models.F("organisation")),
                name="notice_not_to_itself",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(comments=""),
                name="notice_return_has_comments",
            ),
        ]

    def __str__(self):
        return self.subject

    TRANSITIONS = {
        "issued": {"replied"},
        "returned": {"replied"},
        "replied": {"closed", "returned"},
        "closed": set(),
    }

    def _move(self, status):
        if status not in self.TRANSITIONS[self.status]:
            raise ValueError(f"notice {self.pk}: {self.status} -> {status} is not allowed")
        self.status = status

    @property
    def awaits_reply(self):
        return self.status in (self.Status.ISSUED, self.Status.RETURNED)

    def reply(self, *, at):
        self._move(self.Status.REPLIED)
        self.replied_at = at

    def decide(self, *, close, by, comments, at):
        self._move(self.Status.CLOSED if close else self.Status.RETURNED)
        self.decided_by, self.decided_at, self.comments = by, at, comments


class NoticeReply(models.Model):
    """One answer of the organisation to a 督办, with its evidence; kept when returned."""

    notice = models.ForeignKey(
        SupervisionNotice, verbose_name=_("督办"), on_delete=models.CASCADE, related_name="replies"
    )
    text = models.TextField(_("答复内容"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("答复时间"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("督办答复")
        verbose_name_plural = _("督办答复")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.notice} · {self.at:%Y-%m-%d}"


class NoticeEvidence(EvidenceFileBase):
    notice = models.ForeignKey(
        SupervisionNotice,
        verbose_name=_("督办"),
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    reply = models.ForeignKey(
        NoticeReply, verbose_name=_("答复"), on_delete=models.PROTECT, related_name="evidence"
    )
    history = HistoricalRecords()

    class Meta(EvidenceFileBase.Meta):
        verbose_name = _("督办佐证材料")
        verbose_name_plural = _("督办佐证材料")
