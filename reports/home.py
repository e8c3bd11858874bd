"""The home page's cards: per role, a few links and counts.

Each app contributes through its own selectors; this module only arranges them, because reports
is the one app allowed to read from all the others.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accountability.models import Role, User
from accountability.selectors import home_figures as accountability_figures
from rectification.selectors import home_figures as rectification_figures


@dataclass
class Card:
    title: str
    role: str
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)
    figures: list[tuple[str, int, str]] = field(default_factory=list)  # (label, value, url)


def organisation_figures(scope):
    """Units and people in scope, counted in one query each."""
    units = scope.readable_units().aggregate(
        total=Count("pk"), departments=Count("pk", filter=Q(kind="department"))
    )
    people = User.objects.filter(unit__in=scope.readable_units(), is_active=True).count()
    return units, people


def cards_for(request):
    scope = request.scope
    roles = scope.role_set
    units, people = organisation_figures(scope)
    unit_url = reverse("accountability:unit-list")
    cards = []
    if Role.OFFICE in roles or request.user.is_superuser:
        cards.append(
            Card(
                title=_("党办工作台"),
                role=Role.OFFICE,
                links=[(_("组织机构"), unit_url)],
                figures=[
                    (pgettext_lazy("how many", "单位"), units["total"], unit_url),
                    (_("人员"), people, unit_url),
                ],
            )
        )
    if Role.UNIT_HEAD in roles:
        cards.append(
            Card(
                title=_("本单位事项"),
                role=Role.UNIT_HEAD,
                links=[(_("本单位及下级单位"), unit_url)],
                figures=[(_("负责的单位"), units["total"], unit_url)],
            )
        )
    if Role.LEADER in roles:
        cards.append(
            Card(
                title=_("领导驾驶舱"),
                role=Role.LEADER,
                links=[(_("统计分析"), reverse("reports:index"))],
                figures=[(_("分管单位"), units["total"], unit_url)],
            )
        )
    if Role.INSPECTOR in roles:
        cards.append(
            Card(
                title=_("纪检监督"),
                role=Role.INSPECTOR,
                links=[(_("整改监督"), reverse("rectification:index"))],
                figures=[(_("监督范围内单位"), units["total"], unit_url)],
            )
        )
    if Role.ADMIN in roles or request.user.is_superuser:
        cards.append(
            Card(
                title=_("系统管理"),
                role=Role.ADMIN,
                links=[
                    (_("管理后台"), reverse("admin:index")),
                    (_("导入单位和人员"), reverse("accountability:unit-import")),
                ],
                figures=[(_("人员"), people, unit_url)],
            )
        )
    add_accountability_figures(cards, scope)
    add_rectification_figures(cards, scope)
    return cards


def add_accountability_figures(cards, scope):
    """This year's work records and overdue unsigned letters on the office and unit-head cards."""
    shown = [card for card in cards if card.role in (Role.OFFICE, Role.UNIT_HEAD)]
    if not shown:
        return
    counts = accountability_figures(scope)
    records = reverse("accountability:workrecord-list")
    letters = reverse("accountability:dutyletter-list")
    year, month = counts["year"], counts["month"]
    for card in shown:
        card.links.append((_("按月录入工作记实"), reverse("accountability:workrecord-month")))
        card.figures += [
            (_("本月工作记实"), counts["records_month"], f"{records}?year={year}&month={month}"),
            (_("本年工作记实"), counts["records_year"], f"{records}?year={year}"),
            (
                _("逾期未签责任书"),
                counts["letters_missing"],
                f"{letters}?year={year}&status=missing",
            ),
        ]


def add_rectification_figures(cards, scope):
    """Open and overdue measures and closure requests waiting, in one query for all cards."""
    shown = [card for card in cards if card.role != Role.ADMIN]
    if not shown:
        return
    counts = rectification_figures(scope)
    ledger = reverse("rectification:measure-list")
    for card in shown:
        waiting_url = f"{ledger}?state=closure_requested"
        if card.role == Role.INSPECTOR:
            waiting_url = reverse("rectification:review-queue")
        card.figures += [
            (_("未销号整改措施"), counts["open"], f"{ledger}?open=yes"),
            (_("逾期整改措施"), counts["overdue"], f"{ledger}?overdue=yes"),
            (_("待审核销号申请"), counts["waiting"], waiting_url),
        ]
        if card.role == Role.INSPECTOR:
            card.figures.append(
                (_("到期回头看"), counts["followups"], reverse("rectification:followup-list"))
            )
