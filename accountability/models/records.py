"""The year's records: work-record kinds and records, responsibility lists, duty letters, risks.

Nothing here is hard-deleted through the application: work records and kinds are soft-deleted
(a report or a responsibility item may count them), letters and lists are protected.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.evidence import EvidenceFileBase

from .organisation import Organisation, Unit, User

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class WorkRecordKind(models.Model):
    """A configurable kind of work record (理论中心组学习, 廉政谈话 …), per organisation."""

    PRESETS = [
        ("theory_study", _("理论中心组学习")),
        ("party_lecture", _("党课")),
        ("party_group_meeting", _("党组会议专题研究")),
        ("integrity_talk", _("廉政谈话")),
        ("admonition_talk", _("约谈提醒")),
        ("heart_talk", _("谈心谈话")),
        ("integrity_analysis", _("廉情分析会")),
        ("warning_education", _("警示教育")),
        ("supervision", _("督查检查")),
        ("rule_issued", _("制度出台")),
        ("democratic_life", _("民主生活会")),
    ]

    # An organisation's kinds go with it: one with records cannot be deleted (the records hold
    # it), but one set up by mistake, with only the presets it was given, can.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("党组织"),
        on_delete=models.CASCADE,
        related_name="record_kinds",
    )
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=40)
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作记实类别")
        verbose_name_plural = _("工作记实类别")
        ordering = ["organisation", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="kind_code_unique"),
            models.UniqueConstraint(fields=["organisation", "name"], name="kind_name_unique"),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def ensure_presets(cls, organisation):
        """Create the preset kinds an organisation lacks; returns them by code. Their names are
        stored in the site's language (Chinese), whatever the language of the request; the
        body's own meetings are named after the body (党组 / 党委 / 党总支 / 工委会议专题研究)."""
        existing = {k.code: k for k in cls.objects.filter(organisation=organisation)}
        with translation.override(settings.LANGUAGE_CODE):
            body_meeting = _("%(body)s会议专题研究") % {
                "body": organisation.get_body_type_display()
            }
            missing = [
                cls(
                    organisation=organisation,
                    code=code,
                    name=str(body_meeting if code == "party_group_meeting" else name),
                    order=index,
                )
                for index, (code, name) in enumerate(cls.PRESETS, start=1)
                if code not in existing
            ]
        for kind in missing:
            kind.save()
            existing[kind.code] = kind
        return existing


class LiveWorkRecordManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(is_deleted=False)


class WorkRecord(models.Model):
    """One thing done (a study session, a talk, a rule issued …), with its evidence."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="work_records"
    )
    kind = models.ForeignKey(
        WorkRecordKind, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="records"
    )
    date = models.DateField(_("日期"))
    title = models.CharField(_("事项"), max_length=200)
    participant_count = models.PositiveIntegerField(_("参加人数"), default=0)
    participants = models.ManyToManyField(
        User, verbose_name=_("参加人员"), blank=True, related_name="+"
    )
    leader = models.ForeignKey(
        User,
        verbose_name=_("参加领导"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("内容摘要"), blank=True)
    responsibility_items = models.ManyToManyField(
        "ResponsibilityItem", verbose_name=_("落实的责任事项"), blank=True, related_name="records"
    )
    is_deleted = models.BooleanField(_("已删除"), default=False)
    created_by = models.ForeignKey(
        User, verbose_name=_("录入人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[participants, responsibility_items])

    all_objects = models.Manager()
    objects = LiveWorkRecordManager()

    class Meta:
        verbose_name = _("工作记实")
        verbose_name_plural = _("工作记实")
        ordering = ["-date", "-pk"]
        default_manager_name = "objects"
        base_manager_name = "all_objects"
        indexes = [
            models.Index(fields=["organisation", "date"], name="workrecord_org_date"),
            models.Index(fields=["unit", "date"], name="workrecord_unit_date"),
            models.Index(fields=["kind", "date"], name="workrecord_kind_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(participant_count__gte=0), name="workrecord_participants_positive"
            )
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"

    def clean(self):
        errors = {}
        if (
            self.unit_id
            and self.organisation_id
            and self.unit.organisation_id != self.organisation_id
        ):
            errors["unit"] = _("单位必须属于本党组织。")
        if (
            self.kind_id
            and self.organisation_id
            and self.kind.organisation_id != self.organisation_id
        ):
            errors["kind"] = _("类别必须属于本党组织。")
        if self.kind_id and not self.kind.is_active and self._state.adding:
            errors["kind"] = _("该类别已停用，请选择其他类别。")
        if errors:
            raise ValidationError(errors)

    def soft_delete(self):
        self.is_deleted = True
        self.save(update_fields=["is_deleted"])

    def restore(self):
        self.is_deleted = False
        self.save(update_fields=["is_deleted"])


class WorkRecordEvidence(EvidenceFileBase):
    record = models.ForeignKey(
        WorkRecord, verbose_name=_("工作记实"), on_delete=models.PROTECT, related_name="evidence"
    )
    history = HistoricalRecords()

    class Meta(EvidenceFileBase.Meta):
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")


class ResponsibilityList(models.Model):
    """责任清单: the tasks the leadership group commits to for a year."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    title = models.CharField(_("名称"), max_length=120, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("责任清单")
        verbose_name_plural = _("责任清单")
        ordering = ["organisation", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_list_per_year")
        ]

    def __str__(self):
        return self.title or f"{self.year}年度全面从严治党主体责任清单"


class ResponsibilityItemQuerySet(models.QuerySet):
    def with_progress(self, scope=None):
        """Annotate ``done_count``: records of the item's kind in the list's year and
        organisation, plus records linked to the item explicitly (each record counted once).

        With a ``scope``, only the records that scope may read are counted: the list itself is
        open to every member, but its progress must not count other units' records for a
        reader who cannot see them (issue #13).
        """
        visible = Q()
        if scope is not None and not scope.is_superuser:
            visible = Q(organisation_id__in=scope.full_read_org_ids)
            if scope.read_paths:
                visible |= Q(unit_id__in=scope.readable_unit_ids)
        by_kind = (
            WorkRecord.objects.filter(
                visible,
                organisation_id=OuterRef("list__organisation_id"),
                kind_id=OuterRef("kind_id"),
                date__year=OuterRef("list__year"),
            )
            .order_by()
            .values("kind_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        linked_other_kind = (
            WorkRecord.objects.filter(visible, responsibility_items=OuterRef("pk"))
            .exclude(kind_id=OuterRef("kind_id"))
            .order_by()
            .values("is_deleted")
            .annotate(n=Count("pk"))
            .values("n")
        )
        linked_without_kind = (
            WorkRecord.objects.filter(visible, responsibility_items=OuterRef("pk"))
            .order_by()
            .values("is_deleted")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            done_count=models.Case(
                models.When(
                    kind__isnull=True,
                    then=Coalesce(Subquery(linked_without_kind[:1]), Value(0)),
                ),
                default=Coalesce(Subquery(by_kind[:1]), Value(0))
                + Coalesce(Subquery(linked_other_kind[:1]), Value(0)),
                output_field=models.IntegerField(),
            )
        )


class ResponsibilityItem(models.Model):
    """One task of the list (责任分工): who leads it, who does it, how often, how much."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("每月")
        QUARTERLY = "quarterly", _("每季度")
        HALF_YEARLY = "half_yearly", _("每半年")
        YEARLY = "yearly", _("每年")
        ONGOING = "ongoing", _("长期坚持")
        ONCE = "once", _("一次性")

    list = models.ForeignKey(
        ResponsibilityList,
        verbose_name=_("责任清单"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    area = models.CharField(_("所属方面"), max_length=60)
    area_order = models.PositiveIntegerField(_("方面排序"), default=0)
    order = models.PositiveIntegerField(_("排序"), default=0)
    title = models.CharField(_("责任事项"), max_length=200)
    lead_leader = models.ForeignKey(
        User,
        verbose_name=_("牵头领导"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsibility_items",
    )
    kind = models.ForeignKey(
        WorkRecordKind,
        verbose_name=_("对应记实类别"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    target_count = models.PositiveIntegerField(_("年度目标次数"), null=True, blank=True)
    frequency = models.CharField(
        _("频次"), max_length=20, choices=Frequency.choices, default=Frequency.YEARLY
    )
    history = HistoricalRecords()

    objects = ResponsibilityItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("责任事项")
        verbose_name_plural = _("责任事项")
        ordering = ["list", "area_order", "order", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        """The unit, kind and lead leader must belong to the list's organisation."""
        if not self.list_id:
            return
        org_id = self.list.organisation_id
        errors = {}
        if self.responsible_unit_id and self.responsible_unit.organisation_id != org_id:
            errors["responsible_unit"] = _("责任单位必须属于本党组织。")
        if self.kind_id and self.kind.organisation_id != org_id:
            errors["kind"] = _("记实类别必须属于本党组织。")
        if self.lead_leader_id and self.lead_leader.organisation_id != org_id:
            errors["lead_leader"] = _("牵头领导必须属于本党组织。")
        if errors:
            raise ValidationError(errors)


class DutyLetterQuerySet(models.QuerySet):
    def active(self, **filters):
        """Letters that count (and match ``filters``): a withdrawn letter stays in history but
        out of rates and reminders."""
        return self.filter(withdrawn_at__isnull=True, **filters)


class DutyLetter(models.Model):
    """责任书 / 函告书 issued to a unit (or, for the levels that ask for people, to a person of
    it) for a year, and whether it came back signed."""

    class Kind(models.TextChoices):
        DUTY = "duty", _("责任书")
        NOTICE = "notice", _("函告书")

    class Level(models.TextChoices):
        GROUP_UNIT = "group_unit", _("党组—单位")
        GROUP_LEADER = "group_leader", _("党组—班子成员")
        HEAD_POST = "head_post", _("负责人—重点岗位")

    # Levels signed by a person (a leader, a key post) rather than by a unit.
    PERSONAL_LEVELS = (Level.GROUP_LEADER, Level.HEAD_POST)

    class Status(models.TextChoices):
        ISSUED = "issued", _("已下发")
        SIGNED = "signed", _("已签订")
        MISSING = "missing", _("逾期未签")
        WITHDRAWN = "withdrawn", _("已撤回")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="duty_letters"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.DUTY)
    level = models.CharField(
        _("层级"), max_length=20, choices=Level.choices, default=Level.GROUP_UNIT
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    issued_on = models.DateField(_("下发日期"))
    due_on = models.DateField(_("应签订日期"), null=True, blank=True)
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    signatory = models.CharField(_("签订人"), max_length=60, blank=True)
    recipient = models.ForeignKey(
        User,
        verbose_name=_("签订对象"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duty_letters",
        help_text=_("班子成员、重点岗位等以个人签订的责任书填写；以单位签订的留空。"),
    )
    batch = models.UUIDField(_("下发批次"), null=True, blank=True, db_index=True, editable=False)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User,
        verbose_name=_("撤回人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = DutyLetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("责任书")
        verbose_name_plural = _("责任书")
        ordering = ["organisation", "-year", "unit__path", "kind"]
        constraints = [
            # A withdrawn letter does not block issuing the right one again.
            models.UniqueConstraint(
                fields=["organisation", "year", "unit", "kind", "level"],
                condition=Q(recipient__isnull=True, withdrawn_at__isnull=True),
                name="one_letter_per_unit_kind_level_year",
            ),
            models.UniqueConstraint(
                fields=["organisation", "year", "recipient", "kind", "level"],
                condition=Q(recipient__isnull=False, withdrawn_at__isnull=True),
                name="one_letter_per_person_kind_level_year",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(signed_on__isnull=True),
                name="signed_letter_not_withdrawn",
            ),
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True) | ~Q(signatory=""),
                name="signed_letter_has_signatory",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.signed_on and not self.signatory:
            errors["signatory"] = _("请填写签订人。")
        if self.signed_on and self.issued_on and self.signed_on < self.issued_on:
            errors["signed_on"] = _("签订日期不能早于下发日期。")
        if self.due_on and self.issued_on and self.due_on < self.issued_on:
            errors["due_on"] = _("应签订日期不能早于下发日期。")
        if (
            self.unit_id
            and self.organisation_id
            and self.unit.organisation_id != self.organisation_id
        ):
            errors["unit"] = _("单位必须属于本党组织。")
        if (
            self.recipient_id
            and self.organisation_id
            and self.recipient.organisation_id != self.organisation_id
        ):
            errors["recipient"] = _("签订对象必须是本党组织的人员。")
        if self.withdrawn_at and self.signed_on:
            errors["signed_on"] = _("已撤回的责任书不能登记签订。")
        if errors:
            raise ValidationError(errors)

    @property
    def is_withdrawn(self):
        return self.withdrawn_at is not None

    @property
    def recipient_name(self):
        """Who signs: the person for a personal letter, otherwise the unit."""
        if self.recipient_id:
            return f"{self.recipient} ({self.unit.name})"
        return self.unit.name

    def status_on(self, day=None):
        if self.withdrawn_at:
            return self.Status.WITHDRAWN
        if self.signed_on:
            return self.Status.SIGNED
        day = day or timezone.localdate()
        if self.due_on and self.due_on < day:
            return self.Status.MISSING
        return self.Status.ISSUED

    @property
    def status(self):
        return self.status_on()

    @staticmethod
    def status_expression(day):
        """The status computed in the database, for filtering and counting."""
        return models.Case(
            models.When(withdrawn_at__isnull=False, then=Value("withdrawn")),
            models.When(signed_on__isnull=False, then=Value("signed")),
            models.When(due_on__lt=day, then=Value("missing")),
            default=Value("issued"),
            output_field=models.CharField(),
        )


class DutyLetterScan(EvidenceFileBase):
    letter = models.ForeignKey(
        DutyLetter, verbose_name=_("责任书"), on_delete=models.PROTECT, related_name="scans"
    )
    history = HistoricalRecords()

    class Meta(EvidenceFileBase.Meta):
        verbose_name = _("签订扫描件")
        verbose_name_plural = _("签订扫描件")


class RiskPoint(models.Model):
    """廉政风险点: a post or process, how it could go wrong, and how it is prevented."""

    class Level(models.TextChoices):
        HIGH = "high", _("高")
        MEDIUM = "medium", _("中")
        LOW = "low", _("低")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="risk_points"
    )
    post = models.CharField(_("岗位或环节"), max_length=100)
    description = models.TextField(_("风险描述"))
    level = models.CharField(_("风险等级"), max_length=10, choices=Level.choices)
    measures = models.TextField(_("防控措施"))
    owner = models.ForeignKey(
        User, verbose_name=_("责任人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    review_on = models.DateField(_("复查日期"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("廉政风险点")
        verbose_name_plural = _("廉政风险点")
        ordering = ["organisation", "unit__path", "level", "pk"]

    def __str__(self):
        return f"{self.unit} · {self.post}"

    def clean(self):
        if (
            self.unit_id
            and self.organisation_id
            and self.unit.organisation_id != self.organisation_id
        ):
            raise ValidationError({"unit": _("单位必须属于本党组织。")})
