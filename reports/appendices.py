"""Appendix tables of the annual report: the rectification ledger and the duty-letter table.

Each is one query over ``values()``, returned as lists of strings so that the rows can be frozen
in a ReportExport as printed. The ledger has the Excel ledger's columns (rectification's
整改台账 export) and lists every finding the text counts, one without a measure yet included.
"""

from django.utils.translation import gettext as _

from .figures.rectification_source import year_inspections

LETTER_STATUS = {"issued": _("待签订"), "signed": _("已签订"), "missing": _("逾期未签")}


def _date(value):
    return value.isoformat() if value else ""


def ledger_columns():
    # The same headers, in the same order, as rectification's Excel ledger (_ledger_columns).
    return [
        str(_("序号")),
        str(_("问题")),
        str(_("整改措施")),
        str(_("牵头领导")),
        str(_("责任处室")),
        str(_("责任人")),
        str(_("整改时限")),
        str(_("进展情况")),
        str(_("销号情况")),
    ]


LEDGER_WIDTHS = [5, 18, 18, 8, 8, 7, 10, 13, 13]


def ledger_rows(organisation, year, today=None):
    """One row per measure, and one per finding that has no measure yet (so that every finding
    the report counts is listed)."""
    from rectification.models import Finding, Measure

    rows = (
        Finding.objects.filter(inspection__in=year_inspections(organisation, year))
        .order_by(
            "inspection__started_on",
            "inspection_id",
            "aspect_order",
            "number",
            "measures__number",
            "measures__pk",
        )
        .values_list(
            "number",
            "description",
            "measures__pk",
            "measures__description",
            "measures__lead_leader__full_name",
            "measures__unit__name",
            "measures__responsible_person__full_name",
            "measures__deadline",
            "measures__is_ongoing",
            "measures__latest_progress",
            "measures__state",
            "measures__closed_at",
            "measures__return_reason",
        )
    )
    out = []
    for index, row in enumerate(rows, start=1):
        (number, finding, measure_pk, measure, lead, unit, person) = row[:7]
        deadline, ongoing, progress, state, closed_at, return_reason = row[7:]
        problem = f"{number}. {finding}"  # as the Excel ledger's 问题 column says it
        if measure_pk is None:
            out.append([str(index), problem, str(_("尚未制定整改措施")), "", "", "", "", "", ""])
            continue
        shown = Measure(
            deadline=deadline,
            is_ongoing=ongoing,
            state=state,
            closed_at=closed_at,
            return_reason=return_reason or "",
        )
        out.append(
            [
                str(index),
                problem,
                measure or "",
                lead or "",
                unit or "",
                person or "",
                shown.deadline_display,
                progress or "",
                shown.closure_display,
            ]
        )
    return out


def letter_columns():
    return [
        str(_("序号")),
        str(_("单位")),
        str(_("类型")),
        str(_("层级")),
        str(_("标题")),
        str(_("签订日期")),
        str(_("签订人")),
        str(_("状态")),
    ]


LETTER_WIDTHS = [7, 13, 9.5, 15, 19, 14, 10.5, 12]


def duty_letter_rows(organisation, year, today):
    from accountability.models import DutyLetter

    rows = (
        DutyLetter.objects.active()
        .filter(organisation=organisation, year=year)
        .order_by("unit__path", "kind", "level", "pk")
        .values_list("unit__name", "kind", "level", "title", "due_on", "signed_on", "signatory")
    )
    kinds = dict(DutyLetter.Kind.choices)
    levels = dict(DutyLetter.Level.choices)
    out = []
    for index, (unit, kind, level, title, due_on, signed_on, signatory) in enumerate(rows, 1):
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
                str(levels.get(level, level)),
                title,
                _date(signed_on),
                signatory or "",
                str(status),
            ]
        )
    return out


def letters_title(year, rows):
    """The table's title names the kinds it lists: 责任书, 函告书, or both."""
    from accountability.models import DutyLetter

    listed = {row[2] for row in rows}
    kinds = [str(label) for _value, label in DutyLetter.Kind.choices if str(label) in listed]
    if not kinds:
        kinds = [str(DutyLetter.Kind.DUTY.label)]
    names = "（".join(kinds) + "）" * (len(kinds) - 1)
    return _("%(year)s年度党风廉政建设%(names)s签订情况表") % {"year": year, "names": names}


# Appendices that apps above reports add (assessment's results): key -> builder(report, today),
# which returns a table of the shape below, or None when it has nothing for this report. Filled
# in those apps' AppConfig.ready, so that reports never imports them. Besides the keys below, a
# table may name the columns printed centred (``centred``: their indexes), as numbers are.
EXTRA_APPENDICES = {}


def register_appendix(key, builder):
    EXTRA_APPENDICES[key] = builder


def appendix_tables(report, today):
    """The report's appendices as frozen tables (see reports.document)."""
    tables = []
    organisation, year = report.organisation, report.year
    if report.include_ledger:
        tables.append(
            {
                "key": "ledger",
                "title": str(_("%(year)s年度巡视巡察整改台账") % {"year": year}),
                "columns": ledger_columns(),
                "widths": LEDGER_WIDTHS,
                "rows": ledger_rows(organisation, year, today),
                "landscape": True,
                "empty": str(_("本年度无巡视巡察反馈问题。")),
            }
        )
    if report.include_letters:
        rows = duty_letter_rows(organisation, year, today)
        tables.append(
            {
                "key": "letters",
                "title": str(letters_title(year, rows)),
                "columns": letter_columns(),
                "widths": LETTER_WIDTHS,
                "rows": rows,
                "landscape": False,
                "empty": str(_("本年度未下发责任书。")),
            }
        )
    for key, builder in EXTRA_APPENDICES.items():
        table = builder(report, today)
        if table is not None:
            tables.append({"key": key, **table})
    for number, table in enumerate(tables, start=1):
        table["label"] = str(_("附件%d") % number)
    return tables


def legacy_tables(document):
    """Appendices of a document frozen before they carried their own columns (version 1)."""
    tables = []
    if document.get("ledger") is not None:
        tables.append(
            {
                "key": "ledger",
                "title": str(_("%(year)s年度巡视巡察整改台账") % {"year": document["year"]}),
                "columns": [
                    str(_("序号")),
                    str(_("反馈问题")),
                    str(_("问题")),
                    str(_("整改措施")),
                    str(_("牵头领导")),
                    str(_("责任处室")),
                    str(_("责任人")),
                    str(_("整改时限")),
                    str(_("状态")),
                ],
                "widths": [4, 12, 20, 20, 7, 9, 7, 9, 8],
                "rows": document["ledger"],
                "landscape": True,
                "empty": str(_("本年度无巡视巡察反馈问题。")),
            }
        )
    if document.get("letters") is not None:
        tables.append(
            {
                "key": "letters",
                "title": str(
                    _("%(year)s年度党风廉政建设责任书签订情况表") % {"year": document["year"]}
                ),
                "columns": [
                    str(_("序号")),
                    str(_("单位")),
                    str(_("类型")),
                    str(_("名称")),
                    str(_("签订日期")),
                    str(_("签订人")),
                    str(_("状态")),
                ],
                "widths": [6, 16, 9, 28, 15, 14, 12],
                "rows": document["letters"],
                "landscape": False,
                "empty": str(_("本年度未下发责任书。")),
            }
        )
    for number, table in enumerate(tables, start=1):
        table["label"] = str(_("附件%d") % number)
    return tables
