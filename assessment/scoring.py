"""The scores and the ranking of a scheme's targets, in one SQL statement.

For each target (a unit of the owner, or an organisation below the owning body):

    points(rule) = weight × done ÷ due, rounded to 0.01   (weight, the full marks, when due = 0)
    score        = Σ points(rule) + Σ manual points
    rank         = standard competition ranking on the score ("1224": equal scores share a
                   place and the next place is skipped, as 并列第二名 is read), read off the
                   rows the statement returns ordered by score

``done`` and ``due`` come from each measure's grouped aggregate, correlated to the target
(``assessment.measures``); the manual points are a correlated SUM; the statement orders
by the score. So a scheme costs one query for its rules and one for every target's score, however
many units or organisations there are; it runs the same on PostgreSQL and SQLite.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    F,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round
from django.utils import timezone

from . import measures
from .measures.common import balanced_sum
from .models import ManualAdjustment

POINTS = DecimalField(max_digits=12, decimal_places=2)
ZERO = Decimal("0.00")


@dataclass
class RuleColumn:
    rule: object
    definition: object
    key: str


@dataclass
class Cell:
    rule_id: int
    done: int
    due: int
    points: Decimal

    @property
    def applicable(self):
        return self.due > 0


@dataclass
class ResultRow:
    target_id: int
    name: str
    depth: int
    cells: list
    manual: Decimal
    score: Decimal
    rank: int
    extra: dict = field(default_factory=dict)


@dataclass
class Result:
    scheme: object
    today: object
    columns: list
    skipped: list  # rules whose measure is not available here
    rows: list
    full_marks: Decimal


def _rule_columns(scheme):
    columns, skipped = [], []
    registry = measures.registry()
    for rule in scheme.rules.all():
        definition = registry.get(rule.measure)
        if definition is None or not definition.applies_to(scheme.target):
            skipped.append(rule)
            continue
        columns.append(RuleColumn(rule=rule, definition=definition, key=f"r{rule.pk}"))
    return columns, skipped


def scored_targets(scheme, today=None, columns=None):
    """The scheme's targets annotated with ``<key>_done``, ``<key>_due``, ``<key>_points`` per
    rule, ``manual``, ``score`` and ``rank``."""
    today = today or timezone.localdate()
    if columns is None:
        columns, _skipped = _rule_columns(scheme)
    queryset = scheme.targets()
    annotations = {}
    for column in columns:
        done, due = column.definition.expressions(scheme.target, scheme.year, today)
        annotations[f"{column.key}_done"] = done
        annotations[f"{column.key}_due"] = due
    queryset = queryset.annotate(**annotations)
    points = {}
    for column in columns:
        done, due = F(f"{column.key}_done"), F(f"{column.key}_due")
        points[f"{column.key}_points"] = Case(
            When(
                **{f"{column.key}_due__gt": 0},
                then=Round(Value(column.rule.weight, output_field=POINTS) * done / due, 2),
            ),
            default=Value(column.rule.weight, output_field=POINTS),
            output_field=POINTS,
        )
    field_name = "organisation" if scheme.scores_organisations else "unit"
    manual = (
        ManualAdjustment.objects.filter(scheme=scheme, **{field_name: OuterRef("pk")})
        .order_by()
        .values(field_name)
        .annotate(total=Sum("points"))
        .values("total")
    )
    queryset = queryset.annotate(
        **points,
        manual=Coalesce(Subquery(manual[:1]), Value(ZERO), output_field=POINTS),
    )
    total = balanced_sum([*(F(name) for name in points), F("manual")])
    return queryset.annotate(score=Round(total, 2, output_field=POINTS)).order_by(
        F("score").desc(), "path"
    )


def competition_ranks(scores):
    """Standard competition ranks ("1224") of ``scores``, sorted from the highest.

    Taken from the ordered scores rather than a RANK() window in the statement: the window
    repeats the whole score expression, which nests past SQLite's parser limit ("parser stack
    overflow") with four measures.
    """
    ranks, previous = [], None
    for position, score in enumerate(scores, start=1):
        ranks.append(ranks[-1] if score == previous else position)
        previous = score
    return ranks


def assess(scheme, today=None):
    """The scheme's result table: one query for the rules, one for all the targets."""
    today = today or timezone.localdate()
    columns, skipped = _rule_columns(scheme)
    keys = [
        name
        for column in columns
        for name in (f"{column.key}_done", f"{column.key}_due", f"{column.key}_points")
    ]
    rows = []
    found = list(
        scored_targets(scheme, today, columns).values(
            "pk", "name", "path", "manual", "score", *keys
        )
    )
    ranks = competition_ranks([_decimal(values["score"]) for values in found])
    for values, rank in zip(found, ranks, strict=True):
        cells = [
            Cell(
                rule_id=c.rule.pk,
                done=values[f"{c.key}_done"],
                due=values[f"{c.key}_due"],
                points=_decimal(values[f"{c.key}_points"]),
            )
            for c in columns
        ]
        rows.append(
            ResultRow(
                target_id=values["pk"],
                name=values["name"],
                depth=max(0, values["path"].count(".") - 1)
                if not scheme.scores_organisations
                else 0,
                cells=cells,
                manual=_decimal(values["manual"]),
                score=_decimal(values["score"]),
                rank=rank,
            )
        )
    full_marks = sum((c.rule.weight for c in columns), ZERO)
    return Result(
        scheme=scheme,
        today=today,
        columns=columns,
        skipped=skipped,
        rows=rows,
        full_marks=full_marks,
    )


def _decimal(value):
    """SQLite hands back floats: the same two decimals as PostgreSQL's numeric."""
    return Decimal(str(value if value is not None else 0)).quantize(Decimal("0.01"))


def cell(scheme, rule, definition, target, today=None):
    """One rule's numbers for one target (the basis page's heading), in one query."""
    column = RuleColumn(rule=rule, definition=definition, key=f"r{rule.pk}")
    values = (
        scored_targets(scheme, today, [column])
        .filter(pk=target.pk)
        .values(f"{column.key}_done", f"{column.key}_due", f"{column.key}_points")
        .first()
    )
    if values is None:
        return None
    return Cell(
        rule_id=rule.pk,
        done=values[f"{column.key}_done"],
        due=values[f"{column.key}_due"],
        points=_decimal(values[f"{column.key}_points"]),
    )
