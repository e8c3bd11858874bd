"""责任书按期签订: the year's duty letters signed by their due date (应签订日期).

Only letters that count (``DutyLetter.objects.active()``: a withdrawn letter does not) and that
have a due date. A letter is due once its due date has passed, or once it is signed (a letter
signed early counts before its date); it is on time when signed on or before the due date.
An unsigned letter past its date is the ledger's "逾期未签" (DutyLetter.status_on: missing).

due  = letters with a due date that has passed, or signed
done = letters signed on or before their due date
"""

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from accountability.models import DutyLetter

from . import BasisRow, MeasureDefinition
from .common import correlated, readable_link, target_key


def _letters(year):
    return DutyLetter.objects.active(year=year, due_on__isnull=False).order_by()


def _counted(today):
    return Q(due_on__lt=today) | Q(signed_on__isnull=False)


def expressions(target, year, today):
    key = target_key(target)
    grouped = (
        _letters(year)
        .values(key)
        .annotate(
            due=Count("pk", filter=_counted(today)),
            done=Count("pk", filter=Q(signed_on__lte=F("due_on"))),
        )
    )
    return correlated(grouped, key, "done"), correlated(grouped, key, "due")


def basis(scheme, target, today, scope):
    letters = _letters(scheme.year).filter(_counted(today))
    letters = (
        letters.filter(organisation=target)
        if scheme.scores_organisations
        else letters.filter(unit=target)
    )
    letters = scope.filter(letters, unit_field="unit", org_field="organisation", supervised=True)
    rows = []
    for letter in letters.select_related("unit", "recipient").order_by(
        "unit__path", "due_on", "pk"
    ):
        if letter.signed_on is None:
            status, detail = "missing", _("应于%(due)s前签订，尚未签订")
        elif letter.signed_on <= letter.due_on:
            status, detail = "on_time", _("应于%(due)s前签订，%(signed)s签订")
        else:
            status, detail = "late", _("应于%(due)s前签订，%(signed)s签订")
        rows.append(
            BasisRow(
                when=letter.due_on,
                title=letter.title,
                detail=detail
                % {
                    "due": letter.due_on.isoformat(),
                    "signed": letter.signed_on.isoformat() if letter.signed_on else "",
                },
                status=status,
                unit=letter.recipient_name,
                link=readable_link(
                    scope, "accountability:dutyletter-detail", letter.pk, letter.organisation_id
                ),
            )
        )
    return rows


DEFINITION = MeasureDefinition(
    code="letters_signed",
    formula=_(
        "本年度下发且未撤回、填写了应签订日期的责任书（函告书）。已过应签订日期或已签订的计入"
        "应签数，在应签订日期当天或之前签订的为按期签订。得分 = 分值 × 按期签订份数 ÷ 应签份数。"
    ),
    expressions=expressions,
    basis=basis,
)
