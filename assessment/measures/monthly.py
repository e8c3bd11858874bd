"""工作记实按月按时录入: monthly duties with a record of their kind filed by the cut-off day.

What is owed is what the reminders already chase (deadlines.watchers.monthly_records): every
item of the year's responsibility list with frequency "monthly", a responsible unit and a kind
obliges that unit to file at least one work record of that kind dated in each month, by the
organisation's cut-off day of the month after (notices.ReminderPolicy.monthly_cutoff_day, 5 when
the organisation has no rules row). "Filed" is when the record was entered (``created_at``, local
date), not the date it carries: a record typed in later than the cut-off is late.

due  = (monthly unit–kind duties) × (months of the year whose cut-off day has passed)
done = those duty-months with a live record of the kind, dated in the month, entered by the
       cut-off day
Several monthly items with the same unit and kind are one duty.
"""

from datetime import timedelta

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accountability.models import ResponsibilityItem, WorkRecord
from notices.models import ReminderPolicy

from . import BasisRow, MeasureDefinition
from .common import (
    balanced_sum,
    correlated,
    local_day,
    month_start,
    readable_link,
    start_of,
    target_key,
)

DEFAULT_CUTOFF_DAY = ReminderPolicy._meta.get_field("monthly_cutoff_day").default


def monthly_duties(year):
    """The year's monthly duties, one row per (list, responsible unit, kind)."""
    monthly = Q(
        frequency=ResponsibilityItem.Frequency.MONTHLY,
        responsible_unit__isnull=False,
        kind__isnull=False,
    )
    earlier_twin = ResponsibilityItem.objects.filter(
        monthly,
        list_id=OuterRef("list_id"),
        responsible_unit_id=OuterRef("responsible_unit_id"),
        kind_id=OuterRef("kind_id"),
        pk__lt=OuterRef("pk"),
    )
    return (
        ResponsibilityItem.objects.filter(monthly, list__year=year)
        .exclude(Exists(earlier_twin))
        .annotate(
            cutoff_day=Coalesce(
                F("list__organisation__reminder_policy__monthly_cutoff_day"),
                Value(DEFAULT_CUTOFF_DAY),
            )
        )
        .order_by()
    )


def filed_on_time(start, cutoff_day):
    """Records entered by the cut-off day (``cutoff_day``: a number or an expression) of the
    month after the month starting on ``start``."""
    after = month_start(start.year, start.month + 1)
    after_next = month_start(start.year, start.month + 2)
    return Q(created_at__lt=start_of(after)) | Q(
        created_at__lt=start_of(after_next), created_at__day__lte=cutoff_day
    )


def _month_due(start, today):
    """1 when the month's cut-off day has passed by ``today``, else 0 (an expression: the day
    is the organisation's)."""
    after = month_start(start.year, start.month + 1)
    if today < after:
        return None
    if today >= month_start(start.year, start.month + 2):
        return Value(1)
    return Case(When(cutoff_day__lt=today.day, then=Value(1)), default=Value(0))


def expressions(target, year, today):
    key = target_key(target, "responsible_unit_id", "list__organisation_id")
    due_terms, done_terms = [], []
    for month in range(1, 13):
        start = month_start(year, month)
        due = _month_due(start, today)
        if due is None:
            continue
        filed = WorkRecord.objects.filter(
            filed_on_time(start, OuterRef("cutoff_day")),
            unit_id=OuterRef("responsible_unit_id"),
            kind_id=OuterRef("kind_id"),
            date__gte=start,
            date__lt=month_start(year, month + 1),
        )
        due_terms.append(due)
        done_terms.append(Case(When(Exists(filed), then=due), default=Value(0)))
    if not due_terms:
        return Value(0), Value(0)
    grouped = (
        monthly_duties(year)
        .annotate(
            due_months=balanced_sum(due_terms),
            done_months=balanced_sum(done_terms),
        )
        .values(key)
        .annotate(
            due=Sum("due_months", output_field=IntegerField()),
            done=Sum("done_months", output_field=IntegerField()),
        )
    )
    return correlated(grouped, key, "done"), correlated(grouped, key, "due")


def basis(scheme, target, today, scope):
    """Each due month of each duty: the record that met it, a late one, or none."""
    year = scheme.year
    duties = monthly_duties(year)
    if scheme.scores_organisations:
        duties = duties.filter(list__organisation=target)
    else:
        duties = duties.filter(responsible_unit=target)
    duties = list(
        duties.values_list(
            "responsible_unit_id", "responsible_unit__name", "kind_id", "kind__name", "cutoff_day"
        ).order_by("responsible_unit__path", "kind__order", "kind_id")
    )
    pairs = {(unit_id, kind_id) for unit_id, _u, kind_id, _k, _c in duties}
    records = scope.filter(
        WorkRecord.objects.filter(
            unit_id__in={u for u, _k in pairs},
            kind_id__in={k for _u, k in pairs},
            date__year=year,
        ),
        unit_field="unit",
        org_field="organisation",
        supervised=True,
    ).order_by("date", "created_at", "pk")
    by_month = {}
    for record in records.values(
        "pk", "unit_id", "kind_id", "date", "title", "created_at", "organisation_id"
    ):
        by_month.setdefault(
            (record["unit_id"], record["kind_id"], record["date"].month), []
        ).append(record)
    rows = []
    for unit_id, unit_name, kind_id, kind_name, cutoff_day in duties:
        for month in range(1, 13):
            start = month_start(year, month)
            after = month_start(year, month + 1)
            cutoff = after + timedelta(days=cutoff_day - 1)
            if today <= cutoff:
                continue
            filed = by_month.get((unit_id, kind_id, month), [])
            on_time = [r for r in filed if local_day(r["created_at"]) <= cutoff]
            shown = (on_time or filed or [None])[0]
            month_label = _("%(y)s年%(m)s月") % {"y": start.year, "m": month}
            if shown is None:
                rows.append(
                    BasisRow(
                        when=cutoff,
                        title=_("%(month)s「%(kind)s」")
                        % {"month": month_label, "kind": kind_name},
                        detail=_("截止%(cutoff)s未录入") % {"cutoff": cutoff.isoformat()},
                        status="missing",
                        unit=unit_name,
                    )
                )
                continue
            rows.append(
                BasisRow(
                    when=cutoff,
                    title=_("%(month)s「%(kind)s」：%(title)s")
                    % {"month": month_label, "kind": kind_name, "title": shown["title"]},
                    detail=_("记实日期%(date)s，录入于%(filed)s，截止%(cutoff)s")
                    % {
                        "date": shown["date"].isoformat(),
                        "filed": local_day(shown["created_at"]).isoformat(),
                        "cutoff": cutoff.isoformat(),
                    },
                    status="on_time" if on_time else "late",
                    unit=unit_name,
                    link=readable_link(
                        scope,
                        "accountability:workrecord-detail",
                        shown["pk"],
                        shown["organisation_id"],
                    ),
                )
            )
    return rows


DEFINITION = MeasureDefinition(
    code="monthly_records",
    formula=_(
        "责任清单中“每月”频次的事项，责任单位每月应在次月截止日（提醒规则中的月度记实截止日，"
        "未设置为5日）前录入至少一条该类别的工作记实。得分 = 分值 × 按时录入的月数 ÷ "
        "已过截止日的应录入月数；以录入系统的时间为准。"
    ),
    expressions=expressions,
    basis=basis,
)
