"""Watchers: one function per kind of watched record, reading database state only.

Each watcher takes the sweep context and yields ``Item`` rows: what is due, at which colour,
for whom, with a link and a line of Chinese text. A watcher runs a fixed number of queries
whatever the number of records, and never looks at what was sent before: the digest and
delivery keys make sending idempotent, so the watchers can simply say what is true today.
"""

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.models import DutyLetter, ResponsibilityItem, Role, RoleAssignment, WorkRecord
from notices.models import Level
from rectification.models import Measure
from supervision.models import ReportDue, Submission, SupervisionNotice

from .ladder import SweepContext


@dataclass(frozen=True, slots=True)
class Item:
    key: str  # "<kind>:<pk>", unique per watched record
    organisation_id: int
    level: str
    urgency: int  # larger sorts first within a colour: days overdue, or -days left
    text: str
    link: str
    recipients: tuple[int, ...]


def _link_pattern(name, **kwargs):
    """``reverse()`` once, then format per row: a sweep may link tens of thousands of rows."""
    marker = 987654321
    if not kwargs:
        try:
            url = reverse(name)
        except Exception:  # noqa: BLE001
            url = ""
        return lambda pk: url
    try:
        url = reverse(name, kwargs={key: marker for key in kwargs})
    except Exception:  # noqa: BLE001 - the page may not exist yet; the inbox still lists the item
        return lambda pk: ""
    head, _sep, tail = url.partition(str(marker))
    return lambda pk: f"{head}{pk}{tail}"


def _days_text(days_left):
    if days_left < 0:
        return _("已逾期%(n)s天") % {"n": -days_left}
    if days_left == 0:
        return _("今天到期")
    return _("还有%(n)s天到期") % {"n": days_left}


def _days_texter():
    """``_days_text`` memoised for one watcher run: translating per row is the sweep's hot spot."""
    cache = {}

    def text(days_left):
        if days_left not in cache:
            cache[days_left] = _days_text(days_left)
        return cache[days_left]

    return text


def _short(text, limit=40):
    text = " ".join((text or "").split())
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


class _Ladder:
    """One watcher run's items for things due on a day: each placed on its organisation's ladder
    (or given its colour), worded with the run's template and sent to the people it names."""

    def __init__(self, ctx: SweepContext, template: str):
        self.ctx = ctx
        self.template = template
        self.days_text = _days_texter()

    def item(self, key, org_id, due_on, values, *, link, level=None, **people) -> Item | None:
        """None when the thing is not yet within the organisation's thresholds. ``values``
        fill the template; ``%(when)s`` (已逾期3天, 今天到期 …) is added here."""
        days_left = (due_on - self.ctx.day).days
        level = level or self.ctx.organisations[org_id].thresholds.level(days_left)
        if level is None:
            return None
        return Item(
            key=key,
            organisation_id=org_id,
            level=level,
            urgency=-days_left,
            text=self.template % {**values, "when": self.days_text(days_left)},
            link=link,
            recipients=self.ctx.recipients(level, org_id, **people),
        )


def measures(ctx: SweepContext) -> Iterator[Item]:
    """Open rectification measures within the thresholds or past their deadline."""
    link = _link_pattern("rectification:measure-detail", pk=0)
    rows = (
        Measure.objects.with_colour(ctx.day)
        .filter(
            organisation_id__in=list(ctx.organisations),
            colour__in=[Level.GREEN, Level.YELLOW, Level.RED],
        )
        .values_list(
            "pk",
            "colour",
            "deadline",
            "description",
            "responsible_person_id",
            "unit__leader_in_charge_id",
            "unit__head_id",
            "unit__name",
            "organisation_id",
        )
    )
    ladder = _Ladder(ctx, _("整改措施「%(what)s」（%(unit)s）%(when)s，整改时限%(deadline)s"))
    for pk, colour, deadline, description, person, leader, head, unit, org_id in rows.iterator(
        chunk_size=5000
    ):
        yield ladder.item(
            f"measure:{pk}",
            org_id,
            deadline,
            {"what": _short(description), "unit": unit, "deadline": deadline.isoformat()},
            link=link(pk),
            level=colour,  # the measure's own colour (its warning policy), from the query
            responsible=(person,),
            leader_in_charge=leader,
            head=head,
        )


def followups(ctx: SweepContext) -> Iterator[Item]:
    """Closed measures whose follow-up check (回头看) is due: the inspectors' task."""
    link = _link_pattern("rectification:measure-detail", pk=0)
    if not ctx.organisations:
        return
    horizon = ctx.day + timedelta(days=max(o.thresholds.green_days for o in _orgs(ctx)))
    rows = Measure.objects.filter(
        organisation_id__in=list(ctx.organisations),
        state=Measure.State.CLOSED,
        followup_due_on__isnull=False,
        followup_due_on__lte=horizon,
    ).values_list(
        "pk",
        "followup_due_on",
        "description",
        "responsible_person_id",
        "unit__leader_in_charge_id",
        "unit__head_id",
        "unit__name",
        "organisation_id",
    )
    ladder = _Ladder(
        ctx, _("整改措施「%(what)s」（%(unit)s）回头看检查%(when)s，应于%(due)s前完成")
    )
    for pk, due_on, description, person, leader, head, unit, org_id in rows.iterator(
        chunk_size=5000
    ):
        item = ladder.item(
            f"followup:{pk}",
            org_id,
            due_on,
            {"what": _short(description), "unit": unit, "due": due_on.isoformat()},
            link=link(pk),
            responsible=(person,),
            leader_in_charge=leader,
            head=head,
            inspectors_first=True,
        )
        if item:
            yield item


def closure_requests(ctx: SweepContext) -> Iterator[Item]:
    """Closure requests an inspector has not reviewed within the organisation's waiting days.

    Yellow after ``closure_wait_days``, red after twice that; the inspectors hear from yellow on.
    """
    link = _link_pattern("rectification:measure-detail", pk=0)
    shortest = min((o.policy.closure_wait_days for o in _orgs(ctx)), default=0)
    if not ctx.organisations:
        return
    requested = Measure.closure_requested_on_expression()
    rows = (
        Measure.objects.filter(
            organisation_id__in=list(ctx.organisations),
            state=Measure.State.CLOSURE_REQUESTED,
        )
        .annotate(requested_on=requested)
        .filter(requested_on__lt=_start_of(ctx.day - timedelta(days=shortest - 1)))
        .values_list(
            "pk",
            "requested_on",
            "description",
            "responsible_person_id",
            "unit__leader_in_charge_id",
            "unit__head_id",
            "unit__name",
            "organisation_id",
        )
    )
    closure_template = _("整改措施「%(what)s」（%(unit)s）的销号申请已等待审核%(n)s天")
    for pk, requested_on, description, _person, leader, head, unit, org_id in rows.iterator(
        chunk_size=5000
    ):
        waited = (ctx.day - _as_date(requested_on)).days
        wait_days = ctx.organisations[org_id].policy.closure_wait_days
        if waited < wait_days:
            continue
        level = Level.RED if waited >= 2 * wait_days else Level.YELLOW
        yield Item(
            key=f"closure:{pk}",
            organisation_id=org_id,
            level=level,
            urgency=waited,
            text=closure_template % {"what": _short(description), "unit": unit, "n": waited},
            link=link(pk),
            recipients=ctx.recipients(
                level, org_id, leader_in_charge=leader, head=head, inspectors_first=True
            ),
        )


DUTY_LETTER_WATCH_DAYS = 365


def duty_letters(ctx: SweepContext) -> Iterator[Item]:
    """Duty letters not signed by their due date (and those about to be due)."""
    if not ctx.organisations:
        return
    link = _link_pattern("accountability:dutyletter-detail", pk=0)
    horizon = ctx.day + timedelta(days=max(o.thresholds.green_days for o in _orgs(ctx)))
    rows = DutyLetter.objects.active(
        organisation_id__in=list(ctx.organisations),
        signed_on__isnull=True,
        due_on__isnull=False,
        due_on__lte=horizon,
        # A letter unsigned for over a year is the ledger's "missing", no longer a daily reminder.
        due_on__gte=ctx.day - timedelta(days=DUTY_LETTER_WATCH_DAYS),
    ).values_list(
        "pk",
        "due_on",
        "title",
        "unit__head_id",
        "unit__leader_in_charge_id",
        "unit__name",
        "organisation_id",
    )
    ladder = _Ladder(ctx, _("%(unit)s的「%(title)s」尚未签订，%(when)s（应签订日期%(due)s）"))
    for pk, due_on, title, head, leader, unit, org_id in rows.iterator(chunk_size=5000):
        item = ladder.item(
            f"dutyletter:{pk}",
            org_id,
            due_on,
            {"unit": unit, "title": _short(title), "due": due_on.isoformat()},
            link=link(pk),
            responsible=(head,),
            leader_in_charge=leader,
            head=head,
        )
        if item:
            yield item


def monthly_records(ctx: SweepContext) -> Iterator[Item]:
    """Monthly responsibilities with no work record of their kind for last month.

    For every responsibility item of frequency "monthly" with a responsible unit and a kind, the
    unit must have filed at least one record of that kind dated in the previous month by the
    organisation's cut-off day; before the cut-off it is a yellow/green notice, after it red.
    """
    if not ctx.organisations:
        return
    month_end = ctx.day.replace(day=1) - timedelta(days=1)
    month_start = month_end.replace(day=1)
    filed = WorkRecord.objects.filter(
        unit_id=OuterRef("responsible_unit_id"),
        kind_id=OuterRef("kind_id"),
        date__gte=month_start,
        date__lte=month_end,
    )
    link = _link_pattern("accountability:workrecord-list")
    rows = (
        ResponsibilityItem.objects.filter(
            list__organisation_id__in=list(ctx.organisations),
            list__year=month_start.year,
            frequency=ResponsibilityItem.Frequency.MONTHLY,
            responsible_unit__isnull=False,
            kind__isnull=False,
        )
        .exclude(Exists(filed))
        .values_list(
            "responsible_unit_id",
            "kind_id",
            "kind__name",
            "responsible_unit__name",
            "responsible_unit__head_id",
            "responsible_unit__leader_in_charge_id",
            "list__organisation_id",
        )
        .distinct()
    )
    month = _("%(y)s年%(m)s月") % {"y": month_start.year, "m": month_start.month}
    ladder = _Ladder(
        ctx, _("%(unit)s尚未录入%(month)s的「%(kind)s」工作记实，%(when)s（截止%(cutoff)s）")
    )
    for unit_id, kind_id, kind, unit, head, leader, org_id in rows.iterator(chunk_size=5000):
        cutoff = ctx.day.replace(
            day=min(
                ctx.organisations[org_id].policy.monthly_cutoff_day,
                calendar.monthrange(ctx.day.year, ctx.day.month)[1],
            )
        )
        item = ladder.item(
            f"monthly:{unit_id}:{kind_id}:{month_start:%Y-%m}",
            org_id,
            cutoff,
            {"unit": unit, "month": month, "kind": kind, "cutoff": cutoff.isoformat()},
            link=link(None),
            responsible=(head,),
            leader_in_charge=leader,
            head=head,
        )
        if item:
            yield item


def _office_ids(organisation_ids):
    """Each organisation's party-office staff: they submit reports and answer 督办."""
    found: dict[int, list[int]] = {}
    for org_id, user_id in RoleAssignment.objects.filter(
        organisation_id__in=organisation_ids, role=Role.OFFICE, user__is_active=True
    ).values_list("organisation_id", "user_id"):
        found.setdefault(org_id, []).append(user_id)
    return found


REPORT_DUE_WATCH_DAYS = 365


def report_dues(ctx: SweepContext) -> Iterator[Item]:
    """Annual reports due to the supervising body (报送) and not yet submitted, or returned."""
    if not ctx.organisations:
        return
    horizon = ctx.day + timedelta(days=max(o.thresholds.green_days for o in _orgs(ctx)))
    open_submission = Submission.objects.filter(
        organisation_id=OuterRef("org_id"), year=OuterRef("year")
    ).exclude(status=Submission.Status.RETURNED)
    rows = (
        ReportDue.objects.filter(
            supervisor__supervised__pk__in=list(ctx.organisations),
            due_date__lte=horizon,
            due_date__gte=ctx.day - timedelta(days=REPORT_DUE_WATCH_DAYS),
        )
        .annotate(
            org_id=F("supervisor__supervised__pk"),
            org_code=F("supervisor__supervised__code"),
        )
        .exclude(Exists(open_submission))
        .values_list("org_id", "org_code", "year", "due_date", "supervisor__name")
    )
    rows = list(rows)
    offices = _office_ids({row[0] for row in rows})
    url = _link_pattern("supervision:organisation")(None)
    ladder = _Ladder(ctx, _("%(year)s年度报告尚未报送%(body)s，%(when)s（截止%(due)s）"))
    for org_id, code, year, due_on, body in rows:
        item = ladder.item(
            f"reportdue:{org_id}:{year}",
            org_id,
            due_on,
            {"year": year, "body": body, "due": due_on.isoformat()},
            link=f"{url}?org={code}&year={year}" if url else "",
            responsible=tuple(offices.get(org_id, ())),
        )
        if item:
            yield item


def supervision_notices(ctx: SweepContext) -> Iterator[Item]:
    """督办 awaiting the organisation's reply (issued, or returned) by their reply deadline."""
    if not ctx.organisations:
        return
    horizon = ctx.day + timedelta(days=max(o.thresholds.green_days for o in _orgs(ctx)))
    rows = list(
        SupervisionNotice.objects.filter(
            organisation_id__in=list(ctx.organisations),
            status__in=[SupervisionNotice.Status.ISSUED, SupervisionNotice.Status.RETURNED],
            reply_due__lte=horizon,
        ).values_list("pk", "organisation_id", "subject", "reply_due", "supervisor__name")
    )
    offices = _office_ids({row[1] for row in rows})
    link = _link_pattern("supervision:notice-detail", pk=0)
    ladder = _Ladder(ctx, _("%(body)s督办「%(subject)s」尚未答复，%(when)s（答复期限%(due)s）"))
    for pk, org_id, subject, due_on, body in rows:
        item = ladder.item(
            f"supervisionnotice:{pk}",
            org_id,
            due_on,
            {"body": body, "subject": _short(subject), "due": due_on.isoformat()},
            link=link(pk),
            responsible=tuple(offices.get(org_id, ())),
        )
        if item:
            yield item


def _orgs(ctx):
    return ctx.organisations.values()


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _as_date(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).date()
    return value


WATCHERS = (
    measures,
    followups,
    closure_requests,
    duty_letters,
    monthly_records,
    report_dues,
    supervision_notices,
)


def watch(ctx: SweepContext) -> Iterator[Item]:
    for watcher in WATCHERS:
        yield from watcher(ctx)
