"""Appendix tables of the annual report: the rectification ledger and the duty-letter table.

Each is one query over ``values()``, returned as lists of strings so that the rows can be frozen
in a ReportExport as printed.
"""

from django.utils.translation import gettext as _

from .figures.rectification_source import year_inspections

MEASURE_STATES = {
    "open": _("未开始"),
    "in_progress": _("整改中"),
    "closure_requested": _("待销号"),
    "closed": _("已销号"),
}
LETTER_STATUS = {"issued": _("待签订"), "signed": _("已签订"), "missing": _("逾期未签")}


def _date(value):
    return value.isoformat() if value else ""


def ledger_rows(organisation, year, today):
    from rectification.models import Measure

    rows = (
        Measure.objects.filter(finding__inspection__in=year_inspections(organisation, year))
        .order_by(
            "finding__inspection__started_on",
            "finding__inspection_id",
            "finding__aspect_order",
            "finding__number",
            "pk",
        )
        .values_list(
            "finding__inspection__source",
            "finding__aspect",
            "finding__number",
            "finding__description",
            "description",
            "lead_leader__full_name",
            "unit__name",
            "responsible_person__full_name",
            "deadline",
            "is_ongoing",
            "state",
        )
    )
    out = []
    for index, (
        source,
        aspect,
        number,
        finding,
        measure,
        lead,
        unit,
        person,
        deadline,
        ongoing,
        state,
    ) in enumerate(rows, start=1):
        due = _("长期坚持") if ongoing else _date(deadline)
        status = MEASURE_STATES.get(state, state)
        if state != "closed" and deadline and not ongoing and deadline < today:
            status = _("逾期")
        out.append(
            [
                str(index),
                f"{source}｜{aspect}",
                f"{number}. {finding}",
                measure,
                lead or "",
                unit or "",
                person or "",
                due,
                status,
            ]
        )
    return out


def duty_letter_rows(organisation, year, today):
    from accountability.models import DutyLetter

    rows = (
        DutyLetter.objects.active()
        .filter(organisation=organisation, year=year)
        .order_by("unit__path", "kind", "pk")
        .values_list("unit__name", "kind", "title", "due_on", "signed_on", "signatory")
    )
    kinds = dict(DutyLetter._meta.get_field("kind").choices)
    out = []
    for index, (unit, kind, title, due_on, signed_on, signatory) in enumerate(rows, start=1):
        if signed_on:
            status = LETTER_STATUS["signed"]
        elif due_on and due_on < today:
            status = LETTER_STATUS["missing"]
        else:
            status = LETTER_STATUS["issued"]
        out.append(
            [
                str(index),
                unit or "",
                str(kinds.get(kind, kind)),
                title,
                _date(signed_on),
                signatory or "",
                status,
            ]
        )
    return out
