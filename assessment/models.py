"""Unit assessment (考核): a scoring scheme per owner and year, its rules and manual points.

A scheme is owned either by an organisation, whose party office scores the organisation's own
units (``Target.UNITS``), or by a supervising body, whose office scores the organisations below
it (``Target.ORGANISATIONS``). Each rule gives one of the offered measures (``measures.py``) its
full marks (``weight``): the rule's points are ``weight × the measure's share`` for a target.
Manual points (加减分) carry a reason and who gave them. The scores are never stored: they are
computed from the records each time (``scoring.py``), so that every point traces back to them.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accountability.models import Organisation, Unit

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class Measure(models.TextChoices):
    """The measures a rule may score; their definitions are in ``assessment.measures``."""

    MONTHLY_RECORDS = "monthly_records", _("工作记实按月按时录入")
    LETTERS_SIGNED = "letters_signed", _("责任书按期签订")
    MEASURES_CLOSED = "measures_closed", _("整改措施按期销号")
    FOLLOWUPS_DONE = "followups_done", _("整改回头看开展")
    REPORTS_ON_TIME = "reports_on_time", _("年度报告按时报送")


class Scheme(models.Model):
    class Target(models.TextChoices):
        UNITS = "units", _("本单位各处室（单位）")
        ORGANISATIONS = "organisations", _("下级党组织")

    owner = models.ForeignKey(
        Organisation, verbose_name=_("考核主体"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField(_("考核年度"), validators=YEAR_VALIDATORS)
    target = models.CharField(
        _("考核对象"), max_length=20, choices=Target.choices, default=Target.UNITS
    )
    name = models.CharField(_("方案名称"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-year", "owner", "target"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "year", "target"],
                name="assessment_one_scheme_per_owner_year_target",
                violation_error_message=_("该考核主体本年度已有同类考核方案。"),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def scores_organisations(self):
        return self.target == self.Target.ORGANISATIONS

    def clean(self):
        if (
            self.target == self.Target.ORGANISATIONS
            and self.owner_id
            and not self.owner.below().exists()
        ):
            raise ValidationError(
                {"target": _("本党组织没有下级党组织，只能考核本单位各处室（单位）。")}
            )

    def targets(self):
        """The units or organisations the scheme scores, in display order."""
        if self.scores_organisations:
            return self.owner.below().order_by("path")
        return Unit.objects.filter(organisation_id=self.owner_id, is_active=True).order_by("path")


class Rule(models.Model):
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="rules"
    )
    measure = models.CharField(_("考核项目"), max_length=30, choices=Measure.choices)
    weight = models.DecimalField(
        _("分值"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("该项满分：全部按时完成得满分，按完成比例计分。"),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考核细则")
        verbose_name_plural = _("考核细则")
        ordering = ["scheme", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "measure"],
                name="assessment_one_rule_per_measure",
                violation_error_message=_("该考核项目已在本方案中，请直接修改其分值。"),
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0),
                name="assessment_rule_weight_not_negative",
                violation_error_message=_("分值不能为负数。"),
            ),
        ]

    def __str__(self):
        return self.get_measure_display()


class ManualAdjustment(models.Model):
    """加减分: points given by hand to one target, with the reason written down."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="adjustments"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    points = models.DecimalField(
        _("加减分"),
        max_digits=6,
        decimal_places=2,
        help_text=_("加分填正数，减分填负数。"),
    )
    reason = models.CharField(_("理由"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("加减分")
        verbose_name_plural = _("加减分")
        ordering = ["scheme", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, organisation__isnull=True)
                | Q(unit__isnull=True, organisation__isnull=False),
                name="assessment_adjustment_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""), name="assessment_adjustment_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.target} {self.points:+}"

    @property
    def target(self):
        return self.organisation if self.organisation_id else self.unit
