"""The scores and the ranking of a scheme's targets, from a few grouped aggregates.

For each target (a unit of the owner, or an organisation below the owning body):

    points(rule) = weight × done ÷ due, rounded to 0.01   (weight, the full marks, when due = 0)
    score        = Σ points(rule) + Σ manual points
    rank         = standard competition ranking on the score ("1224": equal scores share a
                   place and the next place is skipped, as 并列第二名 is read)

``done`` and ``due`` are counted in the database: one grouped aggregate per rule over all the
scheme's targets (``assessment.measures``), and one for the manual points. What is left is a
few numbers per target (a product, a sum, a sort), done here rather than in a single statement:
as one statement every target's correlated subqueries were written out again in the points,
the score and its ORDER BY, and PostgreSQL ran each of them that many times (and Django spent
as long again compiling them). So a scheme costs one query for its rules, one for its targets,
one per rule and one for the manual points, however many units or organisations there are; it
runs the same on PostgreSQL and SQLite.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils import timezone

from . import measures
from .models import ManualAdjustment

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


@dataclass
class RuleColumn:
    rule: object
    definition: object


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
    cells: list
    manual: Decimal
    score: Decimal
    rank: int


@dataclass
class Result:
    scheme: object
    today: object
    columns: list
    skipped: list  # rules whose measure does not apply to the scheme's targets
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
        columns.append(RuleColumn(rule=rule, definition=definition))
    return columns, skipped


def points(weight, done, due):
    """``weight × done ÷ due`` to the cent, halves away from zero (as PostgreSQL's ROUND on
    numeric); the full weight when nothing is due."""
    if not due:
        return Decimal(weight).quantize(CENT)
    return (Decimal(weight) * done / due).quantize(CENT, rounding=ROUND_HALF_UP)


def _counts(scheme, definition, today, within):
    """{target id: (done, due)} for one measure over the targets ``within``, in one query."""
    if definition.counts is not None:
        rows = definition.counts(scheme.target, scheme.year, today, within)
    else:
        done, due = definition.expressions(scheme.target, scheme.year, today)
        rows = (
            scheme.targets()
            .filter(pk__in=within)
            .annotate(done=done, due=due)
            .values_list("pk", "done", "due")
            .order_by()
        )
    return {target: (done or 0, due or 0) for target, done, due in rows}


def _manual_points(scheme):
    field_name = "organisation" if scheme.scores_organisations else "unit"
    totals = (
        ManualAdjustment.objects.filter(scheme=scheme)
        .values(field_name)
        .annotate(total=Sum("points"))
        .values_list(field_name, "total")
        .order_by()
    )
    return {target: _decimal(total) for target, total in totals}


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
    """The scheme's result table, ordered by score (then by the targets' order)."""
    today = today or timezone.localdate()
    columns, skipped = _rule_columns(scheme)
    targets = list(scheme.targets().values_list("pk", "name"))
    within = scheme.targets().values("pk")
    counts = [_counts(scheme, c.definition, today, within) for c in columns]
    manual = _manual_points(scheme)
    rows = []
    for pk, name in targets:
        cells = []
        for column, counted in zip(columns, counts, strict=True):
            done, due = counted.get(pk, (0, 0))
            cells.append(
                Cell(
                    rule_id=column.rule.pk,
                    done=done,
                    due=due,
                    points=points(column.rule.weight, done, due),
                )
            )
        given = manual.get(pk, ZERO)
        rows.append(
            ResultRow(
                target_id=pk,
                name=name,
                cells=cells,
                manual=given,
                score=sum((c.points for c in cells), given),
                rank=0,
            )
        )
    rows.sort(key=lambda row: -row.score)  # stable: equal scores keep the targets' order
    for row, rank in zip(rows, competition_ranks([row.score for row in rows]), strict=True):
        row.rank = rank
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
    today = today or timezone.localdate()
    done, due = _counts(scheme, definition, today, [target.pk]).get(target.pk, (0, 0))
    return Cell(rule_id=rule.pk, done=done, due=due, points=points(rule.weight, done, due))
