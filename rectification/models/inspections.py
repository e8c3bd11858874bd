"""Inspections (巡视 / 巡察 / audits), the findings they fed back, and the warning policy.

A finding's measures live in ``measures.py``; a finding is rectified when all of them are closed.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, F, Q, Value, When
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RectificationError(ValidationError):
    """A refused action: the message is shown to the user as is; nothing was changed."""


def default_green_days():
    return settings.WARNING_GREEN_DAYS


def default_yellow_days():
    return settings.WARNING_YELLOW_DAYS


def default_followup_days():
    return settings.RECTIFICATION_FOLLOWUP_DAYS


class WarningPolicy(models.Model):
    """An organisation's three-colour thresholds and follow-up period.

    Organisations without a row use the settings' defaults (``for_organisation``).
    """

    organisation = models.OneToOneField(
        "accountability.Organisation",
        verbose_name=_("党组织"),
        on_delete=models.CASCADE,
        related_name="warning_policy",
    )
    green_days = models.PositiveSmallIntegerField(
        _("绿灯提前天数"),
        default=default_green_days,
        help_text=_("距整改时限不超过该天数时亮绿灯。"),
    )
    yellow_days = models.PositiveSmallIntegerField(
        _("黄灯提前天数"),
        default=default_yellow_days,
        help_text=_("距整改时限不超过该天数时亮黄灯；逾期为红灯。"),
    )
    followup_days = models.PositiveSmallIntegerField(
        _("回头看间隔天数"),
        default=default_followup_days,
        help_text=_("销号后多少天应开展回头看检查。"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("预警规则")
        verbose_name_plural = _("预警规则")
        constraints = [
            models.CheckConstraint(
                condition=Q(green_days__gt=F("yellow_days")),
                name="warning_policy_green_before_yellow",
            ),
            models.CheckConstraint(
                condition=Q(followup_days__gt=0), name="warning_policy_followup_positive"
            ),
        ]

    def __str__(self):
        return str(self.organisation) if self.organisation_id else str(_("默认预警规则"))

    def clean(self):
        if (
            self.green_days is not None
            and self.yellow_days is not None
            and self.green_days <= self.yellow_days
        ):
            raise ValidationError({"green_days": _("绿灯提前天数必须大于黄灯提前天数。")})

    @classmethod
    def defaults(cls):
        return {
            "green_days": settings.WARNING_GREEN_DAYS,
            "yellow_days": settings.WARNING_YELLOW_DAYS,
            "followup_days": settings.RECTIFICATION_FOLLOWUP_DAYS,
        }

    @classmethod
    def for_organisation(cls, organisation):
        """The organisation's policy, or an unsaved one with the settings' defaults."""
        if organisation is not None:
            org_id = getattr(organisation, "pk", organisation)
            policy = cls.objects.filter(organisation_id=org_id).first()
            if policy is not None:
                return policy
            return cls(organisation_id=org_id, **cls.defaults())
        return cls(**cls.defaults())


class Inspection(models.Model):
    """One round of 巡视 / 巡察 / audit / special supervision and the findings it fed back."""

    class Kind(models.TextChoices):
        TOUR = "tour", _("巡视")
        INSPECTION = "inspection", _("巡察")
        AUDIT = "audit", _("审计")
        SPECIAL = "special", _("专项监督")

    organisation = models.ForeignKey(
        "accountability.Organisation",
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    source = models.CharField(_("反馈单位"), max_length=100, help_text=_("如：市委第三巡察组"))
    title = models.CharField(_("名称"), max_length=200)
    started_on = models.DateField(_("进驻日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    feedback_on = models.DateField(_("反馈日期"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(
        _("年度"), editable=False, help_text=_("取反馈日期所在年度；未反馈时取进驻日期所在年度。")
    )
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("巡视巡察")
        verbose_name_plural = _("巡视巡察")
        ordering = ["-started_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "year"], name="inspection_org_year")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="inspection_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.year = (self.feedback_on or self.started_on).year
        super().save(*args, **kwargs)

    def clean(self):
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("结束日期不能早于进驻日期。")})
        if self.feedback_on and self.started_on and self.feedback_on < self.started_on:
            raise ValidationError({"feedback_on": _("反馈日期不能早于进驻日期。")})


class FindingQuerySet(models.QuerySet):
    def with_status(self, scope=None):
        """``measure_count``, ``closed_count`` and ``rectified`` (all measures closed).

        With a ``scope``, only the measures that scope may read are counted: a unit head who
        sees a finding through his own measure must not learn the number or the state of
        another unit's measures on it (issue #13).
        """
        closed = self.model._meta.get_field("measures").related_model.State.CLOSED
        visible = Q()
        if scope is not None and not scope.is_superuser:
            visible = Q(measures__organisation_id__in=scope.full_read_org_ids)
            if scope.read_paths:
                visible |= Q(measures__unit_id__in=scope.readable_unit_ids)
        return self.annotate(
            measure_count=Count("measures", filter=visible, distinct=True),
            closed_count=Count(
                "measures", filter=visible & Q(measures__state=closed), distinct=True
            ),
        ).annotate(
            rectified=Case(
                When(measure_count__gt=0, measure_count=F("closed_count"), then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )


class Finding(models.Model):
    """A problem fed back by an inspection (反馈问题), under one of its aspects."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("巡视巡察"), on_delete=models.PROTECT, related_name="findings"
    )
    organisation = models.ForeignKey(
        "accountability.Organisation",
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    aspect = models.CharField(
        _("问题方面"), max_length=100, help_text=_("如：落实全面从严治党主体责任方面")
    )
    aspect_order = models.PositiveSmallIntegerField(_("方面序号"), default=1)
    number = models.PositiveIntegerField(_("问题序号"))
    description = models.TextField(_("问题描述"))
    history = HistoricalRecords()

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("反馈问题")
        verbose_name_plural = _("反馈问题")
        ordering = ["inspection", "aspect_order", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "number"], name="finding_number_unique_in_inspection"
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.description[:40]}"

    def save(self, *args, **kwargs):
        if self.inspection_id and not self.organisation_id:
            self.organisation_id = self.inspection.organisation_id
        super().save(*args, **kwargs)

    @property
    def is_rectified(self):
        """All measures closed (uses the ``with_status()`` annotation when present)."""
        if hasattr(self, "rectified"):
            return self.rectified
        states = list(self.measures.values_list("state", flat=True))
        return bool(states) and all(state == self.measures.model.State.CLOSED for state in states)

    def delete(self, *args, **kwargs):
        if self.measures.filter(state=self.measures.model.State.CLOSED).exists():
            raise RectificationError(_("该问题已有销号的整改措施，不能删除。"))
        return super().delete(*args, **kwargs)


class FindingImport(models.Model):
    """A parsed findings workbook waiting for the office to confirm it (kept server-side)."""

    token = models.CharField(max_length=32, unique=True)
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="+", verbose_name=_("巡视巡察")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=200)
    rows = models.JSONField(default=list)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("问题清单导入")
        verbose_name_plural = _("问题清单导入")

    def __str__(self):
        return self.file_name
