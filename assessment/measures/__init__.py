"""The measures a scoring rule may use: what each counts, and the records behind each point.

Every measure answers two numbers per target (a unit, or an organisation below a supervising
body) for a year, as of a day: ``due``, how many things had to be done on time by then, and
``done``, how many of them were. The rule's points are ``weight × done / due`` (the weight is the
rule's full marks); a target with nothing due loses nothing and gets the full weight, as
deduction-based 考核细则 have it ("无此项任务的不扣分"), and the results page says so.

A measure gives its two numbers for all the targets of a scheme at once (``counts``): one
grouped aggregate over its records (GROUP BY unit or organisation, Count with a filter, Exists),
restricted to the scheme's targets, one row per target that has anything to count. The scoring
then costs one query per rule whatever the number of units (``assessment.scoring``). A measure
may instead give ``expressions``, correlated to the target (``OuterRef("pk")``); those are
evaluated over the targets in one query of their own.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from ..models import Measure, Scheme

UNITS, ORGANISATIONS = Scheme.Target.UNITS, Scheme.Target.ORGANISATIONS
BOTH = frozenset({UNITS, ORGANISATIONS})


@dataclass(frozen=True)
class BasisRow:
    """One thing behind a point: a record, a letter, a measure, a month without a record."""

    when: object  # the date that decides whether it was on time
    title: str
    detail: str
    status: str  # "on_time" | "late" | "missing"
    unit: str = ""
    link: str = ""


STATUS_LABELS = {
    "on_time": _("按时完成"),
    "late": _("逾期完成"),
    "missing": _("逾期未完成"),
}


@dataclass(frozen=True)
class MeasureDefinition:
    code: str
    formula: object  # lazy text: how done and due are counted
    basis: Callable  # (scheme, target_obj, today, scope) -> list[BasisRow]
    # (target, year, today, within) -> rows (target id, done, due) for the target ids ``within``
    counts: Callable | None = None
    # or (target, year, today) -> (done, due) expressions correlated to the targets' queryset
    expressions: Callable | None = None
    targets: frozenset = field(default=BOTH)

    @property
    def label(self):
        return Measure(self.code).label

    def applies_to(self, target):
        return target in self.targets


def registry():
    """Every measure, in the order they are offered."""
    from . import letters, monthly, rectification, reports_on_time

    return {
        Measure.MONTHLY_RECORDS: monthly.DEFINITION,
        Measure.LETTERS_SIGNED: letters.DEFINITION,
        Measure.MEASURES_CLOSED: rectification.CLOSED_DEFINITION,
        Measure.FOLLOWUPS_DONE: rectification.FOLLOWUP_DEFINITION,
        Measure.REPORTS_ON_TIME: reports_on_time.DEFINITION,
    }


def offered(target):
    """The measures a scheme scoring ``target`` may use: (code, label) choices."""
    return [(code, d.label) for code, d in registry().items() if d.applies_to(target)]


def definition(code):
    return registry().get(code)
