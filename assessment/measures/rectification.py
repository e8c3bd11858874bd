"""整改措施按期销号 and 回头看按期开展, from rectification's measures.

Measures closed by their deadline: measures with a deadline (整改时限) in the year, not
"长期坚持". A measure is due once its deadline has passed, or once it is closed; it is on time
when closed (销号, the inspector's acceptance) on or before the deadline (local date). The ones
due and not on time are the overdue ones (Measure.objects.overdue) and those closed late; a
measure reopened after closure counts as not closed.

due  = measures with a deadline in the year that has passed, or closed
done = closed on or before the deadline

Follow-up checks (回头看) done: a closed measure's check falls due on ``followup_due_on``. A
check is done when the inspector records it (held or reopened: ``followup_checked_on``); a
check still open past its date (Measure.objects.followup_due, before today) is missed. The
measure keeps no due date once the check is done, so a check done late still counts as done.

due  = checks done in the year + checks due in the year before today and not done
done = checks done in the year
"""

from datetime import timedelta

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from rectification.models import Measure

from . import BasisRow, MeasureDefinition
from .common import correlated, local_day, readable_link, target_key

CLOSED = Measure.State.CLOSED


def _with_deadline(year):
    return Measure.objects.filter(is_ongoing=False, deadline__year=year).order_by()


def _closed_counted(today):
    return Q(deadline__lt=today) | Q(state=CLOSED)


def _closed_on_time():
    return Q(state=CLOSED, closed_at__date__lte=F("deadline"))


def closed_expressions(target, year, today):
    key = target_key(target)
    grouped = (
        _with_deadline(year)
        .values(key)
        .annotate(
            due=Count("pk", filter=_closed_counted(today)),
            done=Count("pk", filter=_closed_on_time()),
        )
    )
    return correlated(grouped, key, "done"), correlated(grouped, key, "due")


def _of_target(queryset, scheme, target, scope):
    queryset = (
        queryset.filter(organisation=target)
        if scheme.scores_organisations
        else queryset.filter(unit=target)
    )
    return scope.filter(queryset, unit_field="unit", org_field="organisation", supervised=True)


def _title(measure):
    return f"{measure.finding.number}.{measure.number} {measure.description}"


def closed_basis(scheme, target, today, scope):
    measures = _of_target(
        _with_deadline(scheme.year).filter(_closed_counted(today)), scheme, target, scope
    ).select_related("unit", "finding")
    rows = []
    for measure in measures.order_by("deadline", "pk"):
        closed_on = local_day(measure.closed_at) if measure.state == CLOSED else None
        if closed_on is None:
            status = "missing"
            detail = _("整改时限%(deadline)s，尚未销号（%(state)s）") % {
                "deadline": measure.deadline.isoformat(),
                "state": measure.get_state_display(),
            }
        else:
            status = "on_time" if closed_on <= measure.deadline else "late"
            detail = _("整改时限%(deadline)s，%(closed)s销号") % {
                "deadline": measure.deadline.isoformat(),
                "closed": closed_on.isoformat(),
            }
        rows.append(
            BasisRow(
                when=measure.deadline,
                title=_title(measure),
                detail=detail,
                status=status,
                unit=measure.unit.name,
                link=readable_link(
                    scope, "rectification:measure-detail", measure.pk, measure.organisation_id
                ),
            )
        )
    return rows


def _followups(year, today):
    missed = Measure.objects.followup_due(today - timedelta(days=1)).filter(
        followup_due_on__year=year
    )
    return Measure.objects.filter(
        Q(followup_checked_on__year=year) | Q(pk__in=missed.values("pk"))
    ).order_by()


def followup_expressions(target, year, today):
    key = target_key(target)
    grouped = (
        _followups(year, today)
        .values(key)
        .annotate(
            due=Count("pk"),
            done=Count("pk", filter=Q(followup_checked_on__year=year)),
        )
    )
    return correlated(grouped, key, "done"), correlated(grouped, key, "due")


def followup_basis(scheme, target, today, scope):
    measures = _of_target(_followups(scheme.year, today), scheme, target, scope).select_related(
        "unit", "finding"
    )
    rows = []
    for measure in measures.order_by("followup_checked_on", "followup_due_on", "pk"):
        if measure.followup_checked_on and measure.followup_checked_on.year == scheme.year:
            status = "on_time"
            when = measure.followup_checked_on
            detail = _("%(day)s完成回头看") % {"day": when.isoformat()}
        else:
            status = "missing"
            when = measure.followup_due_on
            detail = _("应于%(day)s前开展回头看，尚未开展") % {"day": when.isoformat()}
        rows.append(
            BasisRow(
                when=when,
                title=_title(measure),
                detail=detail,
                status=status,
                unit=measure.unit.name,
                link=readable_link(
                    scope, "rectification:measure-detail", measure.pk, measure.organisation_id
                ),
            )
        )
    return rows


CLOSED_DEFINITION = MeasureDefinition(
    code="measures_closed",
    formula=_(
        "整改时限在本年度的整改措施（不含长期坚持）。已过整改时限或已销号的计入应销号数，"
        "在整改时限当天或之前销号的为按期销号；销号后重新打开的视为未销号。"
        "得分 = 分值 × 按期销号条数 ÷ 应销号条数。"
    ),
    expressions=closed_expressions,
    basis=closed_basis,
)

FOLLOWUP_DEFINITION = MeasureDefinition(
    code="followups_done",
    formula=_(
        "已销号整改措施的回头看：本年度完成的回头看，加上应在本年度（今天之前）开展而尚未开展的"
        "回头看，计入应开展数。得分 = 分值 × 已开展次数 ÷ 应开展次数。"
    ),
    expressions=followup_expressions,
    basis=followup_basis,
)
