"""Rectification measures tracked until truly fixed, their timeline and evidence.

A measure moves open → in progress → closure requested → closed (对账销号), or is returned with a
reason to in progress again. After closure a follow-up check (回头看) falls due; the inspector
records that it holds or reopens the measure. The transitions are model methods here; the
services in ``services.py`` lock the row, call them, and write the timeline entry and evidence.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, IntegerField, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.evidence import EvidenceFileBase

from .inspections import Finding, RectificationError


class DaysLeft(Func):
    """Whole days from ``today`` to a date column (negative when past)."""

    output_field = IntegerField()

    def __init__(self, expression, today, **extra):
        super().__init__(expression, Value(today, output_field=models.DateField()), **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ")

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
        )


class Colour(models.TextChoices):
    GREEN = "green", _("绿灯")
    YELLOW = "yellow", _("黄灯")
    RED = "red", _("红灯")
    NONE = "none", _("正常")


COLOUR_RANK = {Colour.RED: 3, Colour.YELLOW: 2, Colour.GREEN: 1, Colour.NONE: 0}


class Ladder(Func):
    """A measure's place on the three-colour ladder, as one SQL CASE: its colour, or its rank
    (red 3, yellow 2, green 1, none 0) with ``rank=True``.

    None for a closed or ongoing (长期坚持) measure or one without a deadline; then red when the
    deadline has passed, yellow within the organisation's yellow days (WarningPolicy, else
    WARNING_YELLOW_DAYS), green within its green days, none before that.

    One expression rather than ``Case(When(Q(...)), ...)``: the Q conditions were resolved into
    lookups and compiled one by one, on every measure query (lists, pages, counts, the home
    page), and cost Django about 2.6 ms a query out of 3.8 (30 Nov 2026); this writes the same
    CASE from five compiled columns.
    """

    arity = 5
    output_field = models.CharField()

    def __init__(self, today, rank=False, **extra):
        self.today, self.rank = today, rank
        if rank:
            extra["output_field"] = IntegerField()
        super().__init__(
            F("deadline"),
            F("state"),
            F("is_ongoing"),
            F("organisation__warning_policy__yellow_days"),
            F("organisation__warning_policy__green_days"),
            **extra,
        )

    def as_sql(self, compiler, connection, **extra):
        deadline, state, ongoing, yellow, green = (
            compiler.compile(source) for source in self.get_source_expressions()
        )
        if connection.vendor == "sqlite":
            days = f"CAST(julianday({deadline[0]}) - julianday(%s) AS INTEGER)"
        else:
            days = f"({deadline[0]} - %s)"
        today = connection.ops.adapt_datefield_value(self.today)
        if self.rank:
            steps = [COLOUR_RANK[colour] for colour in LADDER]
        else:
            steps = [colour.value for colour in LADDER]
        sql = (
            f"CASE WHEN ({state[0]} = %s OR {ongoing[0]} OR {deadline[0]} IS NULL) THEN %s "
            f"WHEN {days} < 0 THEN %s "
            f"WHEN {days} <= COALESCE({yellow[0]}, %s) THEN %s "
            f"WHEN {days} <= COALESCE({green[0]}, %s) THEN %s ELSE %s END"
        )
        params = (
            *state[1],
            Measure.State.CLOSED,
            *ongoing[1],
            *deadline[1],
            steps[0],
            *deadline[1],
            today,
            steps[1],
            *deadline[1],
            today,
            *yellow[1],
            settings.WARNING_YELLOW_DAYS,
            steps[2],
            *deadline[1],
            today,
            *green[1],
            settings.WARNING_GREEN_DAYS,
            steps[3],
            steps[0],
        )
        return sql, params


# The ladder's steps in the order Ladder tests them (the first is also the default).
LADDER = (Colour.NONE, Colour.RED, Colour.YELLOW, Colour.GREEN)


class MeasureQuerySet(models.QuerySet):
    def with_colour(self, today=None):
        """Annotate ``days_left``, ``colour`` and ``colour_rank`` (red 3 … none 0) in SQL.

        Thresholds are the organisation's ``WarningPolicy`` or the settings' defaults. Closed
        and ongoing (长期坚持) measures have no colour (see Ladder).
        """
        today = today or timezone.localdate()
        return self.annotate(
            days_left=DaysLeft(F("deadline"), today),
            colour=Ladder(today),
            colour_rank=Ladder(today, rank=True),
        )

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(deadline__lt=today, is_ongoing=False).exclude(state=Measure.State.CLOSED)

    def followup_due(self, today=None, within_days=0):
        today = today or timezone.localdate()
        return self.filter(
            state=Measure.State.CLOSED,
            followup_due_on__isnull=False,
            followup_due_on__lte=today + timedelta(days=within_days),
        )


class Measure(models.Model):
    """A rectification measure (整改措施): owned, dated, and closed only by an inspector."""

    class State(models.TextChoices):
        OPEN = "open", _("未开始")
        IN_PROGRESS = "in_progress", _("整改中")
        CLOSURE_REQUESTED = "closure_requested", _("待销号")
        CLOSED = "closed", _("已销号")

    finding = models.ForeignKey(
        Finding, verbose_name=_("反馈问题"), on_delete=models.PROTECT, related_name="measures"
    )
    organisation = models.ForeignKey(
        "accountability.Organisation",
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    number = models.PositiveSmallIntegerField(_("措施序号"), default=1)
    description = models.TextField(_("整改措施"))
    lead_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("牵头领导"),
        on_delete=models.PROTECT,
        related_name="led_measures",
    )
    unit = models.ForeignKey(
        "accountability.Unit",
        verbose_name=_("责任处室"),
        on_delete=models.PROTECT,
        related_name="measures",
    )
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        on_delete=models.PROTECT,
        related_name="measures",
    )
    deadline = models.DateField(_("整改时限"), null=True, blank=True)
    is_ongoing = models.BooleanField(_("长期坚持"), default=False)
    rules_issued = models.PositiveSmallIntegerField(
        _("修订出台制度数"), default=0, help_text=_("为落实本措施修订或出台的制度规定项数。")
    )
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.OPEN)
    latest_progress = models.TextField(_("进展情况"), blank=True)
    closure_requested_at = models.DateTimeField(_("申请销号时间"), null=True, blank=True)
    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请销号人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField(_("退回原因"), blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("销号人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    followup_due_on = models.DateField(_("回头看时间"), null=True, blank=True)
    followup_checked_on = models.DateField(_("回头看完成时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改措施")
        verbose_name_plural = _("整改措施")
        ordering = ["finding__inspection", "finding__aspect_order", "finding__number", "number"]
        indexes = [
            models.Index(fields=["organisation", "state"], name="measure_org_state"),
            models.Index(fields=["organisation", "deadline", "id"], name="measure_org_deadline"),
            models.Index(fields=["unit", "state"], name="measure_unit_state"),
            models.Index(fields=["state", "followup_due_on"], name="measure_followup"),
            # The ledger's default order, and the inspector's queue of waiting requests.
            models.Index(fields=["organisation", "finding", "id"], name="measure_org_finding"),
            models.Index(
                fields=["organisation", "closure_requested_at"],
                condition=Q(state="closure_requested"),
                name="measure_waiting",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_ongoing=True) | Q(deadline__isnull=False),
                name="measure_deadline_or_ongoing",
            ),
            models.CheckConstraint(
                condition=~Q(state="closed") | Q(closed_at__isnull=False, closed_by__isnull=False),
                name="measure_closed_has_closer",
            ),
            models.CheckConstraint(
                condition=~Q(state="closure_requested")
                | Q(closure_requested_at__isnull=False, closure_requested_by__isnull=False),
                name="measure_request_has_requester",
            ),
        ]

    def __str__(self):
        return self.description[:60]

    def save(self, *args, **kwargs):
        if self.finding_id and not self.organisation_id:
            self.organisation_id = self.finding.organisation_id
        if self.is_ongoing:
            self.deadline = None
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if not self.is_ongoing and self.deadline is None:
            errors["deadline"] = _("请填写整改时限，或勾选“长期坚持”。")
        if self.finding_id:
            org_id = self.finding.organisation_id
            if self.unit_id and self.unit.organisation_id != org_id:
                errors["unit"] = _("责任处室必须属于本党组织。")
            if self.responsible_person_id and self.responsible_person.organisation_id != org_id:
                errors["responsible_person"] = _("责任人必须属于本党组织。")
            elif self.responsible_person_id and self._read_only_person(org_id):
                errors["responsible_person"] = _(
                    "该人员是只读的领导班子成员或审计人员，不能担任责任人，请选择处室负责人或具体经办人员。"
                )
            if self.lead_leader_id and self.lead_leader.organisation_id != org_id:
                errors["lead_leader"] = _("牵头领导必须属于本党组织。")
            feedback_on = self.finding.inspection.feedback_on
            if (
                self.deadline
                and feedback_on
                and self.deadline < feedback_on
                and not self.is_ongoing
            ):
                errors["deadline"] = _(
                    "整改时限不能早于巡视巡察反馈日期（%(day)s），请核对后重新填写。"
                ) % {"day": feedback_on.isoformat()}
        if errors:
            raise ValidationError(errors)

    def _read_only_person(self, org_id):
        """The person holds only reading roles here (a leader without a writing role)."""
        from accountability.models.organisation import read_only_person_ids

        return read_only_person_ids(org_id).filter(user_id=self.responsible_person_id).exists()

    def delete(self, *args, **kwargs):
        # Read the state from the database: the instance in hand may be stale.
        if Measure.objects.filter(pk=self.pk, state=self.State.CLOSED).exists():
            raise RectificationError(_("已销号的整改措施不能删除。"))
        if self.updates.exists():
            raise RectificationError(_("该整改措施已有进展或审核记录，不能删除。"))
        return super().delete(*args, **kwargs)

    # -- reading ---------------------------------------------------------------------------------
    @property
    def deadline_display(self):
        if self.is_ongoing:
            return str(_("长期坚持"))
        return self.deadline.isoformat() if self.deadline else "—"

    @property
    def is_overdue(self):
        return (
            self.state != self.State.CLOSED
            and not self.is_ongoing
            and self.deadline is not None
            and self.deadline < timezone.localdate()
        )

    @property
    def closure_display(self):
        """What the ledger's 销号情况 column says."""
        if self.state == self.State.CLOSED:
            when = timezone.localtime(self.closed_at).date().isoformat()
            return str(_("已销号（%(when)s）")) % {"when": when}
        if self.state == self.State.CLOSURE_REQUESTED:
            return str(_("已申请销号，待审核"))
        if self.return_reason:
            return str(_("销号申请被退回：%(reason)s")) % {"reason": self.return_reason}
        return str(_("未销号"))

    @staticmethod
    def closure_requested_on_expression():
        """When the pending closure request was made (for the reminders' waiting time)."""
        return F("closure_requested_at")

    # -- transitions (call through rectification.services, which locks the row) ---------------
    def _require_state(self, *states, message):
        if self.state not in states:
            raise RectificationError(message)

    def start_progress(self):
        if self.state == self.State.OPEN:
            self.state = self.State.IN_PROGRESS

    def request_closure(self, *, by, note):
        self._require_state(
            self.State.OPEN,
            self.State.IN_PROGRESS,
            message=_("该整改措施当前状态为“%(state)s”，不能申请销号。")
            % {"state": self.get_state_display()},
        )
        if not (note or "").strip():
            raise RectificationError(_("申请销号须填写整改进展情况。"))
        self.state = self.State.CLOSURE_REQUESTED
        self.closure_requested_at = timezone.now()
        self.closure_requested_by = by
        self.latest_progress = note.strip()

    def _require_reviewable(self, by):
        self._require_state(
            self.State.CLOSURE_REQUESTED,
            message=_("该整改措施已不在待销号状态（可能已被其他人审核），请刷新后查看。"),
        )
        if by.pk in (self.responsible_person_id, self.closure_requested_by_id):
            raise RectificationError(_("责任人或申请人不能审核自己的销号申请。"))

    def accept_closure(self, *, by, followup_days):
        self._require_reviewable(by)
        self.state = self.State.CLOSED
        self.closed_at = timezone.now()
        self.closed_by = by
        self.return_reason = ""
        self.followup_due_on = timezone.localdate() + timedelta(days=followup_days)
        self.followup_checked_on = None

    def return_closure(self, *, by, reason):
        if not (reason or "").strip():
            raise RectificationError(_("退回销号申请必须填写退回原因。"))
        self._require_reviewable(by)
        self.state = self.State.IN_PROGRESS
        self.return_reason = reason.strip()
        self.closure_requested_at = None
        self.closure_requested_by = None

    def _require_followup(self):
        self._require_state(
            self.State.CLOSED,
            message=_("只有已销号的整改措施才能开展回头看（可能已被其他人处理），请刷新后查看。"),
        )
        if self.followup_due_on is None:
            raise RectificationError(_("该整改措施的回头看已经完成，请刷新后查看。"))

    def record_followup(self, *, by):
        """The follow-up check found the problem fixed: the closure holds."""
        self._require_followup()
        self.followup_checked_on = timezone.localdate()
        self.followup_due_on = None

    def reopen(self, *, by, reason):
        """The problem came back (or the follow-up found it unfixed): back to in progress."""
        if not (reason or "").strip():
            raise RectificationError(_("重新打开整改措施必须填写原因。"))
        self._require_state(
            self.State.CLOSED,
            message=_("只有已销号的整改措施才能重新打开（可能已被其他人处理），请刷新后查看。"),
        )
        self.state = self.State.IN_PROGRESS
        self.return_reason = reason.strip()
        self.closed_at = None
        self.closed_by = None
        self.closure_requested_at = None
        self.closure_requested_by = None
        self.followup_due_on = None
        self.followup_checked_on = timezone.localdate()


class ProgressUpdate(models.Model):
    """One entry of a measure's timeline: progress, a closure request, or a review decision."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("报告进展")
        CLOSURE_REQUEST = "closure_request", _("申请销号")
        ACCEPTED = "accepted", _("同意销号")
        RETURNED = "returned", _("退回")
        FOLLOWUP_HELD = "followup_held", _("回头看：整改成果巩固")
        REOPENED = "reopened", _("重新打开")

    measure = models.ForeignKey(
        Measure, verbose_name=_("整改措施"), on_delete=models.PROTECT, related_name="updates"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    note = models.TextField(_("说明"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("整改进展")
        verbose_name_plural = _("整改进展")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["measure", "-at"], name="update_measure_at")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.measure_id}"


class MeasureEvidence(EvidenceFileBase):
    measure = models.ForeignKey(
        Measure, verbose_name=_("整改措施"), on_delete=models.PROTECT, related_name="evidence"
    )
    update = models.ForeignKey(
        ProgressUpdate,
        verbose_name=_("所属进展"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
    )
    history = HistoricalRecords()

    class Meta(EvidenceFileBase.Meta):
        verbose_name = _("整改佐证材料")
        verbose_name_plural = _("整改佐证材料")
