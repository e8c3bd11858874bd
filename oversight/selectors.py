"""The supervising body's roll-up: each organisation below it, one row, for one year.

Every figure is one grouped query over all the organisations at once (``values("organisation")
.annotate(...)``), so that the page makes the same number of queries for 2 organisations as for
200. The expressions are the dashboard's own (``reports.selectors``): a roll-up number is the
organisation's dashboard figure, never a second definition of "overdue" or of the colours.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.models import Organisation, WorkRecord
from accountability.models.organisation import PATH_STEP
from reports.models import Report, ReportVersion
from reports.selectors import letter_counts, measure_counts, year_letters, year_measures
from supervision.models import ReportDue, Submission

MONTHS = tuple(range(1, 13))
MEASURE_FIGURES = ("total", "open", "closed", "overdue", "red", "yellow", "green")
LETTER_FIGURES = ("total", "signed", "missing")


# The report's state on the roll-up: its latest version's, "" when no report was started.
REPORT_STATES = {
    "": _("未起草"),
    ReportVersion.State.DRAFT: _("草稿"),
    ReportVersion.State.SUBMITTED: _("待审签"),
    ReportVersion.State.APPROVED: _("已定稿"),
    ReportVersion.State.RETURNED: _("审签退回"),
}


# 报送: the organisation's latest submission of the year's report to its supervising body.
SUBMISSION_STATES = {
    "": _("未报送"),
    "late": _("逾期未报"),
    Submission.Status.SUBMITTED: _("已报送"),
    Submission.Status.RECEIVED: _("已签收"),
    Submission.Status.RETURNED: _("已退回"),
}


class MonthState:
    FILED = "filed"  # at least one record that month
    MISSING = "missing"  # the month is over and nothing was filed
    CURRENT = "current"  # this month, nothing yet
    FUTURE = "future"


@dataclass
class OrganisationRow:
    id: int
    code: str
    name: str
    depth: int  # 1 = directly below the supervising body
    parent_name: str
    months: list = field(default_factory=list)  # [(month, count, state)] × 12
    records: int = 0
    months_filed: int = 0
    months_missing: int = 0
    letters: dict = field(default_factory=dict)
    measures: dict = field(default_factory=dict)
    report_state: str = ""  # the latest ReportVersion.State, "" when no report was started
    # The latest Submission.Status; "" when none, "late" when none and the due date has passed.
    submission_state: str = ""
    submission_on_time: bool | None = None
    url: str = ""  # the organisation's page (set by the view)

    @property
    def report_label(self):
        return REPORT_STATES[self.report_state]

    @property
    def submission_label(self):
        return SUBMISSION_STATES[self.submission_state]


@dataclass
class Rollup:
    year: int
    today: date
    rows: list = field(default_factory=list)
    totals: dict = field(default_factory=dict)

    @property
    def groups(self):
        """Rows grouped by depth below the body: [(depth, [rows])], nearest first."""
        grouped = {}
        for row in self.rows:
            grouped.setdefault(row.depth, []).append(row)
        return sorted(grouped.items())


def month_state(year, month, today):
    if (year, month) > (today.year, today.month):
        return MonthState.FUTURE
    if (year, month) == (today.year, today.month):
        return MonthState.CURRENT
    return MonthState.MISSING


def _depths(organisations, supervising_paths):
    """Depth of each organisation below the nearest supervising path that holds it."""
    step = PATH_STEP + 1
    depths = {}
    for org in organisations:
        holders = [p for p in supervising_paths if org["path"].startswith(p) and p != org["path"]]
        base = max((len(p) for p in holders), default=0)
        depths[org["id"]] = max(1, (len(org["path"]) - base) // step)
    return depths


def rollup(org_ids, year, *, supervising_paths=(), today=None) -> Rollup:
    """The roll-up of the organisations ``org_ids`` (those the viewer supervises) for ``year``.

    Seven queries whatever the number of organisations: the organisations, then records per
    organisation and month, letters, measures, the latest report version per organisation, the
    submissions of the year's report and the due dates their supervising bodies set.
    """
    today = today or timezone.localdate()
    result = Rollup(year=year, today=today)
    organisations = list(
        Organisation.objects.filter(pk__in=org_ids)
        .order_by("path")
        .values("id", "code", "name", "short_name", "path", "supervisor_id", "supervisor__name")
    )
    if not organisations:
        result.totals = _totals([], year, today)
        return result
    ids = [org["id"] for org in organisations]
    depths = _depths(organisations, supervising_paths)

    per_month = {}
    for row in (
        WorkRecord.objects.filter(organisation_id__in=ids, date__year=year)
        .annotate(month=ExtractMonth("date"))
        .values("organisation_id", "month")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        per_month[(row["organisation_id"], row["month"])] = row["n"]

    letters = {
        row.pop("organisation_id"): row
        for row in year_letters(year)
        .filter(organisation_id__in=ids)
        .values("organisation_id")
        .annotate(**letter_counts())
        .order_by()
    }
    measures = {
        row.pop("organisation_id"): row
        for row in year_measures(year)
        .filter(organisation_id__in=ids)
        .with_colour(today)
        .values("organisation_id")
        .annotate(**measure_counts(today))
        .order_by()
    }
    latest = ReportVersion.objects.filter(report=OuterRef("pk")).order_by("-number")
    reports = dict(
        Report.objects.filter(organisation_id__in=ids, year=year)
        .annotate(state=Subquery(latest.values("state")[:1]))
        .order_by()
        .values_list("organisation_id", "state")
    )

    submissions = {}
    for org_id, status, on_time in (
        Submission.objects.filter(organisation_id__in=ids, year=year)
        .order_by("organisation_id", "submitted_at", "pk")
        .values_list("organisation_id", "status", "on_time")
    ):
        submissions[org_id] = (status, on_time)  # the latest wins
    dues = dict(
        ReportDue.objects.filter(
            supervisor_id__in={org["supervisor_id"] for org in organisations}, year=year
        ).values_list("supervisor_id", "due_date")
    )

    for org in organisations:
        row = OrganisationRow(
            id=org["id"],
            code=org["code"],
            name=org["short_name"] or org["name"],
            depth=depths[org["id"]],
            parent_name=org["supervisor__name"] or "",
        )
        for month in MONTHS:
            n = per_month.get((org["id"], month), 0)
            state = MonthState.FILED if n else month_state(year, month, today)
            row.months.append((month, n, state))
            row.records += n
        row.months_filed = sum(1 for _m, _n, s in row.months if s == MonthState.FILED)
        row.months_missing = sum(1 for _m, _n, s in row.months if s == MonthState.MISSING)
        got = letters.get(org["id"], {})
        row.letters = {name: got.get(name, 0) for name in ("total", "signed")}
        row.letters["missing"] = row.letters["total"] - row.letters["signed"]
        got = measures.get(org["id"], {})
        row.measures = {name: got.get(name, 0) for name in MEASURE_FIGURES}
        if org["id"] in reports:
            row.report_state = reports[org["id"]] or ReportVersion.State.DRAFT
        if org["id"] in submissions:
            row.submission_state, row.submission_on_time = submissions[org["id"]]
        elif (due := dues.get(org["supervisor_id"])) is not None and due < today:
            row.submission_state = "late"
        result.rows.append(row)
    result.rows.sort(key=lambda r: (r.depth, r.name))
    result.totals = _totals(result.rows, year, today)
    return result


def _totals(rows, year, today):
    months = []
    for index, month in enumerate(MONTHS):
        n = sum(row.months[index][1] for row in rows)
        filed = sum(1 for row in rows if row.months[index][2] == MonthState.FILED)
        months.append((month, n, filed))
    reports = {}
    for row in rows:
        reports[row.report_state] = reports.get(row.report_state, 0) + 1
    reports = [(REPORT_STATES[state], n) for state, n in sorted(reports.items())]
    submissions = {}
    for row in rows:
        submissions[row.submission_state] = submissions.get(row.submission_state, 0) + 1
    submissions = [(SUBMISSION_STATES[state], n) for state, n in sorted(submissions.items())]
    return {
        "organisations": len(rows),
        "months": months,
        "records": sum(row.records for row in rows),
        "months_missing": sum(row.months_missing for row in rows),
        "letters": {name: sum(row.letters[name] for row in rows) for name in LETTER_FIGURES},
        "measures": {name: sum(row.measures[name] for row in rows) for name in MEASURE_FIGURES},
        "reports": reports,
        "submissions": submissions,
    }


def organisation_months(organisation, year):
    """One organisation's records per kind and month: {kind_id: [n × 12]} (one query)."""
    months = {}
    for row in (
        WorkRecord.objects.filter(organisation=organisation, date__year=year)
        .annotate(month=ExtractMonth("date"))
        .values("kind_id", "month")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        months.setdefault(row["kind_id"], [0] * 12)[row["month"] - 1] = row["n"]
    return months
