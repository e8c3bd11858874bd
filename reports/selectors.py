"""The leaders' dashboard: every figure one aggregate query, whatever the amount of data.

``dashboard(scope, organisation, year)`` returns plain dicts and lists for the template and the
charts. Rows are limited to the user's scope (a leader sees the units in their charge), and
each figure carries the URL of the filtered list behind it.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from common import prepared

from .figures import links
from .figures.rectification_source import overdue_q

OVERDUE_LIST_SIZE = 15


@dataclass
class Dashboard:
    organisation: object
    year: int
    today: date
    items: dict = field(default_factory=dict)
    areas: list = field(default_factory=list)
    kinds: list = field(default_factory=list)
    months: dict = field(default_factory=dict)
    rectification: dict = field(default_factory=dict)
    inspections: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    letters: dict = field(default_factory=dict)
    letters_by_unit: list = field(default_factory=list)
    units: list = field(default_factory=list)
    unit_totals: dict = field(default_factory=dict)
    # (the reader's id, the access generation) from the view: names the compiled queries
    reader: tuple | None = None

    def rows(self, label, queryset):
        """``list(queryset)``; when the view named its reader, by SQL compiled once per reader,
        access generation, organisation, year and day (common/prepared.py): the dashboard's
        dozen grouped queries took more time to build and compile than to run."""
        if self.reader is None:
            return list(queryset)
        name = ("dashboard", label, *self.reader, self.organisation.pk, self.year, self.today)
        return prepared.fetch(name, lambda: queryset)

    def chart_data(self):
        month_labels = [_("%d月") % m for m in range(1, 13)]
        return {
            "records": {
                "labels": month_labels,
                "datasets": [
                    {"label": k["name"], "data": self.months.get(k["id"], [0] * 12)}
                    for k in self.kinds
                    if k["count"]
                ],
            },
            "colours": {
                "labels": [_("绿灯"), _("黄灯"), _("红灯")],
                "data": [
                    self.rectification.get("green", 0),
                    self.rectification.get("yellow", 0),
                    self.rectification.get("red", 0),
                ],
            },
            "letters": {
                "labels": [row["unit__name"] for row in self.letters_by_unit],
                "signed": [row["signed"] for row in self.letters_by_unit],
                "unsigned": [row["total"] - row["signed"] for row in self.letters_by_unit],
                "legend": [_("已签订"), _("未签订")],
            },
        }


# -- what the figures count: shared with the supervising body's roll-up (oversight) -------------
# The roll-up groups the same rows by organisation with the same expressions, so that its
# numbers are the organisations' own dashboard figures by construction.


def year_measures(year):
    """The year's measures: those of the inspections of that year."""
    from rectification.models import Measure

    return Measure.objects.filter(finding__inspection__year=year)


def year_letters(year):
    """The year's duty letters still in force (withdrawn ones are not counted)."""
    from accountability.models import DutyLetter

    return DutyLetter.objects.active().filter(year=year)


def measure_counts(today):
    """Rectification figures as aggregate expressions over ``with_colour(today)`` rows."""
    return {
        "total": Count("pk"),
        "closed": Count("pk", filter=Q(state="closed")),
        "open": Count("pk", filter=~Q(state="closed")),
        "requested": Count("pk", filter=Q(state="closure_requested")),
        "overdue": Count("pk", filter=overdue_q(today)),
        **{c: Count("pk", filter=Q(colour=c)) for c in ("green", "yellow", "red")},
    }


def letter_counts():
    return {"total": Count("pk"), "signed": Count("pk", filter=Q(signed_on__isnull=False))}


def _work_records(scope, organisation):
    from accountability.models import WorkRecord

    return scope.filter(
        WorkRecord.objects.filter(organisation=organisation),
        unit_field="unit",
        org_field="organisation",
    )


def _measures(scope, organisation, year):
    return scope.filter(
        year_measures(year).filter(organisation=organisation),
        unit_field="unit",
        org_field="organisation",
    )


def _letters(scope, organisation, year):
    return scope.filter(
        year_letters(year).filter(organisation=organisation),
        unit_field="unit",
        org_field="organisation",
    )


def dashboard(scope, organisation, year, today=None, reader=None):
    """The figures; ``reader`` (the reader's id and access generation, see ``Dashboard.rows``)
    lets the queries be compiled once."""
    from accountability.models import ResponsibilityItem, WorkRecordKind

    d = Dashboard(
        organisation=organisation, year=year, today=today or timezone.localdate(), reader=reader
    )

    # Responsibility list: progress against targets, per area (1 query).
    items = scope.filter(
        ResponsibilityItem.objects.filter(list__organisation=organisation, list__year=year),
        unit_field="responsible_unit",
        org_field="list__organisation",
    ).with_progress(scope)
    reached = Q(target_count__isnull=False, done_count__gte=F("target_count"))
    areas = (
        items.values("area", "area_order")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=reached),
            targeted=Count("pk", filter=Q(target_count__isnull=False)),
        )
        .order_by("area_order", "area")
    )
    d.areas = d.rows("areas", areas)
    total = sum(a["total"] for a in d.areas)
    done = sum(a["done"] for a in d.areas)
    targeted = sum(a["targeted"] for a in d.areas)
    d.items = {
        "total": total,
        "done": done,
        "targeted": targeted,
        "rate": round(100 * done / targeted) if targeted else None,
        "url": links.url(links.ITEM_LIST, year=year),
    }

    # Work records per kind, this year and last, and per month (2 queries + kinds).
    kinds = d.rows(
        "kinds",
        WorkRecordKind.objects.filter(organisation=organisation, is_active=True)
        .order_by("order", "pk")
        .values("id", "code", "name"),
    )
    records = _work_records(scope, organisation)
    this, last = Q(date__year=year), Q(date__year=year - 1)
    per_kind = {
        row["kind_id"]: row
        for row in d.rows(
            "per_kind",
            records.filter(this | last)
            .values("kind_id")
            .annotate(
                n=Count("pk", filter=this),
                prev=Count("pk", filter=last),
                people=Sum("participant_count", filter=this),
            )
            .order_by(),
        )
    }
    for kind in kinds:
        row = per_kind.get(kind["id"], {})
        kind.update(
            count=row.get("n", 0),
            previous=row.get("prev", 0),
            people=row.get("people") or 0,
            url=links.work_records(kind["id"], year),
            previous_url=links.work_records(kind["id"], year - 1),
        )
        kind["change"] = kind["count"] - kind["previous"]
    d.kinds = kinds
    for row in d.rows(
        "months",
        records.filter(this)
        .annotate(month=ExtractMonth("date"))
        .values("kind_id", "month")
        .annotate(n=Count("pk"))
        .order_by(),
    ):
        d.months.setdefault(row["kind_id"], [0] * 12)[row["month"] - 1] = row["n"]

    # Rectification (3 queries: totals with colours, per inspection, the overdue list).
    _rectification(d, scope, organisation, year)

    # Duty letters and the per-unit table (3 grouped queries, merged by unit).
    _units(d, scope, organisation, year, records.filter(this))
    return d


def _rectification(d, scope, organisation, year):
    measures = _measures(scope, organisation, year)
    overdue = overdue_q(d.today)
    totals = measures.with_colour(d.today).aggregate(**measure_counts(d.today))
    totals["rate"] = round(100 * totals["closed"] / totals["total"]) if totals["total"] else None
    for key, params in {
        "total": {},
        "closed": {"state": "closed"},
        "open": {"open": "yes"},
        "requested": {"state": "closure_requested"},
        "overdue": {"overdue": "yes"},
        "green": {"colour": "green"},
        "yellow": {"colour": "yellow"},
        "red": {"colour": "red"},
    }.items():
        totals[f"{key}_url"] = links.url(links.MEASURE_LIST, year=year, **params)
    d.rectification = totals

    per_inspection = (
        measures.values(
            "finding__inspection_id", "finding__inspection__title", "finding__inspection__source"
        )
        .annotate(
            total=Count("pk"),
            closed=Count("pk", filter=Q(state="closed")),
            overdue=Count("pk", filter=overdue),
        )
        .order_by("finding__inspection__started_on", "finding__inspection_id")
    )
    d.inspections = [
        {
            "id": row["finding__inspection_id"],
            "title": row["finding__inspection__title"],
            "source": row["finding__inspection__source"],
            "total": row["total"],
            "closed": row["closed"],
            "overdue": row["overdue"],
            "rate": round(100 * row["closed"] / row["total"]) if row["total"] else 0,
            "url": links.url(links.MEASURE_LIST, inspection=row["finding__inspection_id"]),
        }
        for row in d.rows("per_inspection", per_inspection)
    ]
    d.overdue = d.rows(
        "overdue",
        measures.filter(overdue)
        .select_related("unit", "responsible_person", "finding")
        .order_by("deadline", "pk")[:OVERDUE_LIST_SIZE],
    )


def _per_unit(d, label, queryset, **counts):
    """{unit_id: {name: n}} for the rows of each unit itself, one grouped query."""
    rows = d.rows(label, queryset.values("unit_id").annotate(**counts).order_by())
    return {row.pop("unit_id"): row for row in rows}


def _units(d, scope, organisation, year, records):
    """The per-unit table: each unit with everything below it (as the lists filter by unit).

    Counts are grouped by unit in the database (three queries); each unit's figures are then
    added to its ancestors along the unit path, a walk over the units, not over the records.
    """
    letters = _letters(scope, organisation, year)
    measures = _measures(scope, organisation, year)
    signed = Q(signed_on__isnull=False)
    own = {}
    for part in (
        _per_unit(d, "unit_records", records, records=Count("pk")),
        _per_unit(
            d,
            "unit_measures",
            measures,
            measures=Count("pk"),
            measures_open=Count("pk", filter=~Q(state="closed")),
            overdue=Count("pk", filter=overdue_q(d.today)),
        ),
        _per_unit(
            d,
            "unit_letters",
            letters,
            letters=Count("pk"),
            letters_signed=Count("pk", filter=signed),
        ),
    ):
        for unit_id, row in part.items():
            own.setdefault(unit_id, {}).update(row)
    units = d.rows(
        "units",
        scope.readable_units()
        .filter(organisation=organisation)
        .order_by("path")
        .only("pk", "name", "path", "parent_id"),
    )
    fields = ("records", "measures", "measures_open", "overdue", "letters", "letters_signed")
    by_path = {unit.path: {name: 0 for name in fields} for unit in units}
    for unit in units:
        counts = own.get(unit.pk)
        if not counts:
            continue
        segments = unit.path.split(".")[:-1]
        for depth in range(1, len(segments) + 1):
            ancestor = ".".join(segments[:depth]) + "."
            if ancestor in by_path:
                for name, value in counts.items():
                    by_path[ancestor][name] += value
    # A root unit (局机关) holds every other: its subtree is the organisation, which the 合计 row
    # shows; its own row shows the root's own figures ("局机关（本级）") without a list behind them.
    own_only = {}
    for unit in units:
        if unit.parent_id is None:
            own_only[unit.path] = {name: own.get(unit.pk, {}).get(name, 0) for name in fields}
    d.unit_totals = {
        name: sum(own.get(unit.pk, {}).get(name, 0) for unit in units) for name in fields
    }
    d.unit_totals.update(
        records_url=links.url(links.WORK_RECORD_LIST, year=year),
        measures_url=links.url(links.MEASURE_LIST, year=year),
        overdue_url=links.url(links.MEASURE_LIST, year=year, overdue="yes"),
        letters_url=links.url(links.LETTER_LIST, year=year),
    )
    for path, counts in own_only.items():
        by_path[path] = counts
    d.units = [
        {
            "id": unit.pk,
            "name": unit.name,
            "depth": unit.depth,
            "own_only": unit.path in own_only,
            **by_path[unit.path],
            "records_url": links.url(links.WORK_RECORD_LIST, year=year, unit=unit.pk),
            "measures_url": links.url(links.MEASURE_LIST, year=year, unit=unit.pk),
            "overdue_url": links.url(links.MEASURE_LIST, year=year, unit=unit.pk, overdue="yes"),
            "letters_url": links.url(links.LETTER_LIST, year=year, unit=unit.pk),
        }
        for unit in units
        if any(by_path[unit.path][name] for name in ("records", "measures", "letters"))
    ]
    totals = letters.aggregate(**letter_counts())
    d.letters = {
        **totals,
        "url": links.url(links.LETTER_LIST, year=year),
        "signed_url": links.url(links.LETTER_LIST, year=year, status="signed"),
        "missing_url": links.url(links.LETTER_LIST, year=year, status="missing"),
    }
    # The chart: letters of each unit itself, so that a parent does not repeat its children.
    d.letters_by_unit = d.rows(
        "letters_by_unit",
        letters.values("unit_id", "unit__name", "unit__path")
        .annotate(total=Count("pk"), signed=Count("pk", filter=signed))
        .order_by("unit__path"),
    )
    d.letters["unsigned_units"] = [
        {
            "name": row["unit__name"],
            "missing": row["total"] - row["signed"],
            "url": links.url(links.LETTER_LIST, year=year, unit=row["unit_id"]),
        }
        for row in d.letters_by_unit
        if row["total"] > row["signed"]
    ]
