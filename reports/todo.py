"""我的待办: the person's own open work, as rows they can act on in one click.

One query per kind of row: at most ``LIMIT`` rows, each carrying the count of them all (a window
count, computed before the limit); the months missing records, a distinct list, counted from
the list (it is as long as the units the person heads times the monthly kinds). Whatever the
data size. The report versions to approve only for a principal leader (Scope.principal_org_ids).
Kinds: measures due, overdue or returned (the responsible person and the unit head); closure
requests to review and follow-up checks due (inspectors); letters to sign and months with
records missing (the unit's head); letters past their date and not signed, and the year's
groundwork not yet laid (the party office); report versions to approve (the principal leader).
"""

from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.models import (
    DutyLetter,
    Organisation,
    ResponsibilityItem,
    Role,
    WorkRecord,
)
from common import prepared
from rectification.models import Measure
from rectification.selectors import visible_measures

from .models import ReportOutline, ReportVersion

LIMIT = 8


@dataclass
class Row:
    text: str
    url: str
    action: str  # the button's label: what one click does
    badge: str = ""
    tone: str = "secondary"  # Bootstrap colour of the badge


@dataclass
class Group:
    key: str
    title: str
    rows: list[Row] = field(default_factory=list)
    total: int = 0

    @property
    def more(self):
        return self.total - len(self.rows)


# The request being answered (todo_for): its reader, access generation and day name the to-do
# queries compiled once (common/prepared.py).
_asking = ContextVar("todo_asking", default=None)


def _first(queryset, kind):
    """The first LIMIT rows of ``queryset`` and how many rows it has in all, in one query.

    A query depends on the reader's scope and the day alone: under a shared cache (an access
    generation) its SQL is compiled once per reader, generation and day, and run again."""

    def build():
        return queryset.annotate(todo_total=Window(Count("pk")))[:LIMIT]

    asking = _asking.get()
    rows = prepared.fetch((kind, *asking), build) if asking else list(build())
    return rows, rows[0].todo_total if rows else 0


def _short(text, limit=40):
    text = " ".join((text or "").split())
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _days(days_left):
    if days_left is None:
        return "", "secondary"
    if days_left < 0:
        return _("逾期%(n)s天") % {"n": -days_left}, "danger"
    if days_left == 0:
        return _("今天到期"), "warning"
    return _("%(n)s天后到期") % {"n": days_left}, "warning" if days_left <= 10 else "success"


def _measure_url(pk):
    return reverse("rectification:measure-detail", args=[pk])


def my_measures(user, scope, today):
    """Measures the person answers for that need them now: returned, overdue or due soon."""
    mine = Q(responsible_person=user) | Q(unit__head=user)
    qs = (
        visible_measures(scope)
        .with_colour(today)
        .filter(mine, state__in=[Measure.State.OPEN, Measure.State.IN_PROGRESS])
        .filter(~Q(colour="none") | ~Q(return_reason=""))
        .order_by("deadline", "pk")
    )
    measures, total = _first(qs.select_related("unit"), "measures")
    rows = [
        Row(
            text=(
                _("「%(what)s」被退回：%(reason)s")
                % {"what": _short(m.description), "reason": _short(m.return_reason, 30)}
                if m.return_reason
                else _("「%(what)s」（%(unit)s）")
                % {"what": _short(m.description), "unit": m.unit.name}
            ),
            url=_measure_url(m.pk),
            action=_("报告进展") if not m.return_reason else _("补充材料"),
            badge=_days(m.days_left)[0] if m.colour != "none" else _("已退回"),
            tone=_days(m.days_left)[1] if m.colour != "none" else "danger",
        )
        for m in measures
    ]
    return Group("measures", _("我负责的整改措施"), rows, total)


def closure_requests(user, scope, today):
    if not (scope.is_superuser or scope.has_role(Role.INSPECTOR)):
        return None
    qs = visible_measures(scope).filter(state=Measure.State.CLOSURE_REQUESTED)
    if not scope.is_superuser:
        qs = qs.filter(
            organisation_id__in=[o for o, roles in scope.roles.items() if Role.INSPECTOR in roles]
        )
    qs = qs.exclude(Q(responsible_person=user) | Q(closure_requested_by=user))
    measures, total = _first(
        qs.select_related("unit").order_by("closure_requested_at", "pk"), "closures"
    )
    rows = [
        Row(
            text=_("%(unit)s：「%(what)s」申请销号")
            % {"unit": m.unit.name, "what": _short(m.description)},
            url=_measure_url(m.pk),
            action=_("审核"),
            badge=timezone.localtime(m.closure_requested_at).strftime("%m-%d")
            if m.closure_requested_at
            else "",
        )
        for m in measures
    ]
    return Group("closures", _("待审核的销号申请"), rows, total)


def followups(user, scope, today):
    if not (scope.is_superuser or scope.has_role(Role.INSPECTOR)):
        return None
    qs = visible_measures(scope).followup_due(today, within_days=settings.WARNING_GREEN_DAYS)
    measures, total = _first(
        qs.select_related("unit").order_by("followup_due_on", "pk"), "followups"
    )
    rows = []
    for m in measures:
        badge, tone = _days((m.followup_due_on - today).days)
        rows.append(
            Row(
                text=_("%(unit)s：「%(what)s」回头看")
                % {"unit": m.unit.name, "what": _short(m.description)},
                url=_measure_url(m.pk),
                action=_("回头看"),
                badge=badge,
                tone=tone,
            )
        )
    return Group("followups", _("到期的回头看"), rows, total)


def _letter_row(letter, text, action, today):
    """A row that opens the letter, its badge the days to or past its date."""
    badge, tone = _days((letter.due_on - today).days if letter.due_on else None)
    url = reverse("accountability:dutyletter-detail", args=[letter.pk])
    return Row(text=text, url=url, action=action, badge=badge, tone=tone)


def letters_to_sign(user, scope, today):
    qs = DutyLetter.objects.active().filter(
        unit__head=user, signed_on__isnull=True, year__gte=today.year - 1
    )
    letters, total = _first(qs.select_related("unit").order_by("due_on", "pk"), "letters")
    rows = [_letter_row(letter, letter.title, _("签订"), today) for letter in letters]
    return Group("letters", _("待签订的责任书"), rows, total)


def overdue_letters(user, scope, today):
    """This year's letters past their date and not signed (逾期未签), for the party office that
    issued them to follow up: the rows behind the office card's figure. A letter the person signs
    themselves is under 待签订的责任书 instead."""
    offices = [org for org, roles in scope.roles.items() if Role.OFFICE in roles]
    if not offices:  # known with the scope: no query for anyone else
        return None
    qs = (
        DutyLetter.objects.active()
        .filter(
            organisation_id__in=offices,
            year=today.year,
            signed_on__isnull=True,
            due_on__lt=today,
        )
        .exclude(unit__head=user)
    )
    letters, total = _first(
        qs.select_related("unit", "recipient").order_by("due_on", "pk"), "overdue_letters"
    )
    rows = []
    for letter in letters:
        who = letter.unit.name
        if letter.recipient_id:
            who = f"{who} {letter.recipient.get_full_name()}"
        text = _("%(who)s：%(title)s") % {"who": who, "title": _short(letter.title)}
        rows.append(_letter_row(letter, text, _("查看"), today))
    return Group("overdue_letters", _("逾期未签的责任书"), rows, total)


def year_setup(user, scope, today):
    """The year's groundwork the party office has not laid yet: this year's responsibility
    list (责任清单) and duty letters (责任书), and the annual report's outline. A bureau that has
    just installed the portal finds its first steps here; every January, the new year's."""
    offices = [org for org, roles in scope.roles.items() if Role.OFFICE in roles]
    if not offices:  # known with the scope: no query for anyone else
        return None
    year = today.year

    def build():
        return (
            Organisation.objects.filter(pk__in=offices)
            .annotate(
                has_list=Exists(
                    ResponsibilityItem.objects.filter(
                        list__organisation=OuterRef("pk"), list__year=year
                    )
                ),
                has_letters=Exists(
                    DutyLetter.objects.active().filter(organisation=OuterRef("pk"), year=year)
                ),
                has_outline=Exists(ReportOutline.objects.filter(organisation=OuterRef("pk"))),
            )
            .filter(Q(has_list=False) | Q(has_letters=False) | Q(has_outline=False))
            .values("code", "name", "short_name", "has_list", "has_letters", "has_outline")
            .order_by("name")
        )

    asking = _asking.get()
    pending = prepared.fetch(("year_setup", *asking), build) if asking else list(build())
    several = len(offices) > 1
    rows = []
    for org in pending:
        # The organisation is named only where the person keeps the office of several.
        named = f"{org['short_name'] or org['name']}：" if several else ""
        if not org["has_list"]:
            rows.append(
                Row(
                    text=named + _("尚未制定%(year)s年度主体责任清单") % {"year": year},
                    url=f"{reverse('accountability:responsibilityitem-list')}?year={year}",
                    action=_("制定"),
                )
            )
        if not org["has_letters"]:
            rows.append(
                Row(
                    text=named + _("尚未下发%(year)s年度责任书") % {"year": year},
                    url=reverse("accountability:dutyletter-issue"),
                    action=_("下发"),
                )
            )
        if not org["has_outline"]:
            rows.append(
                Row(
                    text=named + _("尚未建立年度报告提纲"),
                    url=f"{reverse('reports:report-list')}?org={org['code']}",
                    action=_("建立"),
                )
            )
    return Group("year_setup", _("本年度基础工作"), rows[:LIMIT], len(rows))


def missing_months(user, scope, today):
    """Last month's monthly tasks of the person's units with no work record of their kind."""
    month_end = today.replace(day=1) - timedelta(days=1)
    month_start = month_end.replace(day=1)
    filed = WorkRecord.objects.filter(
        unit_id=OuterRef("responsible_unit_id"),
        kind_id=OuterRef("kind_id"),
        date__gte=month_start,
        date__lte=month_end,
    )
    qs = (
        ResponsibilityItem.objects.filter(
            responsible_unit__head=user,
            list__year=month_start.year,
            frequency=ResponsibilityItem.Frequency.MONTHLY,
            kind__isnull=False,
        )
        .exclude(Exists(filed))
        .values_list("responsible_unit_id", "responsible_unit__name", "kind__name")
        .distinct()
        .order_by("responsible_unit__name", "kind__name")
    )
    # All of them, counted here: one row per unit the person heads and monthly kind, a short
    # list (a second query for the count cost more than the rows).
    found = list(qs)
    total, found = len(found), found[:LIMIT]
    month = f"{month_start:%Y-%m}"
    url = reverse("accountability:workrecord-month")
    rows = [
        Row(
            text=_("%(unit)s %(month)s的「%(kind)s」尚未录入")
            % {"unit": unit, "month": month, "kind": kind},
            url=f"{url}?unit={unit_id}&month={month}",
            action=_("录入"),
            badge=_("缺记实"),
            tone="warning",
        )
        for unit_id, unit, kind in found
    ]
    return Group("months", _("缺少工作记实的月份"), rows, total)


def reports_to_approve(user, scope, today):
    """Versions submitted for sign-off (审签) to this principal leader."""
    if not scope.principal_org_ids:  # known with the scope: no query for everyone else
        return None
    qs = ReportVersion.objects.filter(
        state=ReportVersion.State.SUBMITTED,
        report__organisation_id__in=scope.principal_org_ids,
    )
    versions, total = _first(qs.select_related("report").order_by("submitted_at", "pk"), "reports")
    rows = [
        Row(
            text=_("%(title)s（第%(n)d版）") % {"title": version.report.title, "n": version.number},
            url=reverse("reports:version-detail", args=[version.pk]),
            action=_("审签"),
            badge=_("待审签"),
            tone="warning",
        )
        for version in versions
    ]
    return Group("reports", _("待审签的年度报告"), rows, total)


# Providers of apps above this one (报送, 督办 …), registered from their AppConfig.ready():
# reports lists their rows without importing them. Each takes (user, scope, today) and returns a
# Group or None, like the ones above.
REGISTERED = []


def register(provider):
    if provider not in REGISTERED:
        REGISTERED.append(provider)
    return provider


def todo_for(request, today=None):
    """The person's groups of open work, empty groups left out."""
    today = today or timezone.localdate()
    scope, user = request.scope, request.user
    providers = [
        my_measures,
        closure_requests,
        followups,
        letters_to_sign,
        overdue_letters,
        missing_months,
        reports_to_approve,
        year_setup,
        *REGISTERED,
    ]
    reader = prepared.reader(request)
    token = _asking.set((*reader, today) if reader is not None else None)
    try:
        groups = [provider(user, scope, today) for provider in providers]
    finally:
        _asking.reset(token)
    return [group for group in groups if group and group.rows]
