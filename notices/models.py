"""Reminder state: who gets which reminders, and what was sent to whom, when, on which channel.

Nothing here is scheduled per item. Each sweep reads the watched records' state, builds one
``Digest`` per person per day, and claims one ``Delivery`` per digest and channel through unique
keys, so that a sweep run twice, late, or on two workers at once sends nothing twice.
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Level(models.TextChoices):
    """The three colours, in rising order of urgency."""

    GREEN = "green", _("绿灯")
    YELLOW = "yellow", _("黄灯")
    RED = "red", _("红灯")


LEVEL_ORDER = {Level.GREEN: 1, Level.YELLOW: 2, Level.RED: 3}


class Channel(models.TextChoices):
    INAPP = "inapp", _("站内消息")
    EMAIL = "email", _("电子邮件")
    WEBHOOK = "webhook", _("群机器人")


class ReminderPolicy(models.Model):
    """An organisation's reminder rules beyond the colour thresholds.

    The green/yellow thresholds themselves live in rectification's ``WarningPolicy`` (one colour
    logic for the whole portal); the policy page edits both.
    """

    class WebhookKind(models.TextChoices):
        DINGTALK = "dingtalk", _("钉钉群机器人")
        WECOM = "wecom", _("企业微信群机器人")

    organisation = models.OneToOneField(
        "accountability.Organisation",
        verbose_name=_("党组织"),
        on_delete=models.CASCADE,
        related_name="reminder_policy",
    )
    monthly_cutoff_day = models.PositiveSmallIntegerField(
        _("月度记实截止日"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("每月几号前应录入上月的工作记实。"),
    )
    closure_wait_days = models.PositiveSmallIntegerField(
        _("销号申请待审核提醒天数"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("销号申请超过该天数未审核时提醒纪检监督人员；超过两倍天数为红灯。"),
    )
    email_enabled = models.BooleanField(_("发送电子邮件"), default=True)
    webhook_enabled = models.BooleanField(_("启用群机器人"), default=False)
    webhook_kind = models.CharField(
        _("群机器人类型"), max_length=20, choices=WebhookKind.choices, default=WebhookKind.DINGTALK
    )
    webhook_url = models.URLField(_("群机器人地址"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("提醒规则")
        verbose_name_plural = _("提醒规则")
        constraints = [
            models.CheckConstraint(
                condition=Q(webhook_enabled=False) | ~Q(webhook_url=""),
                name="reminder_policy_webhook_needs_url",
            ),
            models.CheckConstraint(
                condition=Q(monthly_cutoff_day__gte=1, monthly_cutoff_day__lte=28),
                name="reminder_policy_cutoff_day_in_month",
            ),
        ]

    def __str__(self):
        return str(_("%(org)s的提醒规则") % {"org": self.organisation})

    @classmethod
    def for_organisation(cls, organisation):
        """The organisation's saved policy, or an unsaved one with the defaults."""
        org_id = getattr(organisation, "pk", organisation)
        return cls.objects.filter(organisation_id=org_id).first() or cls(organisation_id=org_id)


class ReminderPreference(models.Model):
    """Which channels a person wants besides the in-app inbox (which is always on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("人员"),
        on_delete=models.CASCADE,
        related_name="reminder_preference",
    )
    email = models.BooleanField(_("电子邮件"), default=True)
    webhook = models.BooleanField(_("在群机器人消息中点名"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("提醒方式")
        verbose_name_plural = _("提醒方式")

    def __str__(self):
        return str(self.user)


class DigestQuerySet(models.QuerySet):
    def for_person(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Digest(models.Model):
    """One day's reminders for one person (or, with no recipient, for an organisation's group).

    ``items`` holds the listed items grouped by colour, most urgent first, at most
    ``DIGEST_ITEMS_PER_LEVEL`` per colour; ``counts`` holds the full numbers per colour.
    """

    organisation = models.ForeignKey(
        "accountability.Organisation",
        verbose_name=_("党组织"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminder_digests",
    )
    day = models.DateField(_("日期"))
    level = models.CharField(_("最高级别"), max_length=10, choices=Level.choices)
    counts = models.JSONField(_("各级数量"), default=dict)
    items = models.JSONField(_("事项"), default=dict)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    objects = DigestQuerySet.as_manager()

    class Meta:
        verbose_name = _("提醒摘要")
        verbose_name_plural = _("提醒摘要")
        ordering = ["-day", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "day"],
                condition=Q(recipient__isnull=False),
                name="digest_one_per_person_per_day",
            ),
            models.UniqueConstraint(
                fields=["organisation", "day"],
                condition=Q(recipient__isnull=True),
                name="digest_one_group_message_per_org_per_day",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="digest_unread")]

    def __str__(self):
        return f"{self.recipient or self.organisation} · {self.day}"

    @property
    def total(self):
        return sum(self.counts.values())

    def grouped(self):
        """[(level, label, count, items)] from red to green, for templates."""
        return [
            (level, level.label, self.counts.get(level, 0), self.items.get(level, []))
            for level in (Level.RED, Level.YELLOW, Level.GREEN)
            if self.counts.get(level)
        ]

    def mark_read(self):
        if self.read_at is None:
            self.read_at = timezone.now()
            Digest.objects.filter(pk=self.pk, read_at__isnull=True).update(read_at=self.read_at)
            from .bell import forget

            forget([self.recipient_id])


class Delivery(models.Model):
    """One digest on one channel: claimed before sending, marked sent in the same row."""

    class State(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    digest = models.ForeignKey(
        Digest, verbose_name=_("提醒摘要"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("地址"), max_length=500, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    # A claimed delivery whose worker died is claimable again once this passes.
    lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    last_error = models.TextField(_("错误信息"), blank=True)

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["digest", "channel"], name="delivery_one_per_digest_channel"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state__in=["pending", "sending"]),
                name="delivery_due",
            )
        ]

    def __str__(self):
        return f"{self.digest} · {self.get_channel_display()}"

    @property
    def is_retryable(self):
        return self.state in (self.State.FAILED, self.State.PENDING)

    def backoff(self):
        """Wait before the next attempt: 1, 2, 4, 8 … minutes, at most an hour."""
        return timedelta(minutes=min(60, 2 ** max(0, self.attempts - 1)))


class NoticeQuerySet(models.QuerySet):
    def for_person(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """One event told to one person: what happened to their item, at once, in the bell.

    ``key`` names the event (e.g. ``measure-returned:<timeline entry>``); the unique key per
    person makes telling idempotent: the same event reaches each person once, however often the
    caller runs. E-mail and the group robot take the notices in batches (``NoticeDelivery``).
    """

    class Kind(models.TextChoices):
        CLOSURE_RETURNED = "closure_returned", _("销号申请被退回")
        CLOSURE_ACCEPTED = "closure_accepted", _("销号申请已通过")
        CLOSURE_REQUESTED = "closure_requested", _("销号申请待审核")
        MEASURE_ASSIGNED = "measure_assigned", _("整改措施交办")
        MEASURE_REOPENED = "measure_reopened", _("整改措施重新打开")
        LETTER_ISSUED = "letter_issued", _("责任书已下发")
        REPORT_RETURNED = "report_returned", _("报告被退回")
        REPORT_APPROVED = "report_approved", _("报告已审签")
        REPORT_SUBMITTED = "report_submitted", _("年度报告已报送")
        REPORT_RECEIVED = "report_received", _("年度报告已签收")
        REPORT_SENT_BACK = "report_sent_back", _("年度报告被上级退回")
        NOTICE_ISSUED = "notice_issued", _("收到督办")
        NOTICE_REPLIED = "notice_replied", _("督办已答复")
        NOTICE_CLOSED = "notice_closed", _("督办已办结")
        NOTICE_RETURNED = "notice_returned", _("督办答复被退回")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    organisation = models.ForeignKey(
        "accountability.Organisation",
        verbose_name=_("党组织"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    key = models.CharField(_("事件"), max_length=200)
    text = models.TextField(_("内容"))
    link = models.CharField(_("链接"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notice_once_per_person")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_unread")]

    def __str__(self):
        return f"{self.recipient} · {self.get_kind_display()}"

    @property
    def is_bad_news(self):
        return self.kind in BAD_NEWS


# Notices that send something back to the person: shown in red and counted in the bell's red.
BAD_NEWS = frozenset(
    {
        Notice.Kind.CLOSURE_RETURNED,
        Notice.Kind.MEASURE_REOPENED,
        Notice.Kind.REPORT_RETURNED,
        Notice.Kind.REPORT_SENT_BACK,
        Notice.Kind.NOTICE_ISSUED,
        Notice.Kind.NOTICE_RETURNED,
    }
)


class NoticeDelivery(models.Model):
    """The notices of one window (``NOTICE_BATCH_MINUTES``) on one channel: one e-mail per
    person, or one group-robot message per organisation, whatever the number of events.

    Claimed and marked like ``Delivery``; it is due when its window closes, so a burst of events
    coalesces into one message.
    """

    State = Delivery.State

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "accountability.Organisation",
        verbose_name=_("党组织"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    window_start = models.DateTimeField(_("时段开始"))
    address = models.CharField(_("地址"), max_length=500, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=Delivery.State.choices, default="pending", db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    last_error = models.TextField(_("错误信息"), blank=True)

    class Meta:
        verbose_name = _("消息发送记录")
        verbose_name_plural = _("消息发送记录")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "channel", "window_start"],
                condition=Q(recipient__isnull=False),
                name="notice_delivery_one_per_person_window",
            ),
            models.UniqueConstraint(
                fields=["organisation", "channel", "window_start"],
                condition=Q(recipient__isnull=True),
                name="notice_delivery_one_per_group_window",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state__in=["pending", "sending"]),
                name="notice_delivery_due",
            )
        ]

    def __str__(self):
        return f"{self.recipient or self.organisation} · {self.get_channel_display()}"

    backoff = Delivery.backoff
