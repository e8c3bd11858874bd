"""Rectification figures for a year, read from B's models in two aggregate queries.

"修订出台相关制度规定X项" is B's ``Measure.rules_issued`` summed over the year's measures (see
CONTRACT.md, Changes).
"""

from django.db.models import Count, Exists, OuterRef, Q, Sum


def year_inspections(organisation, year):
    from rectification.models import Inspection

    return Inspection.objects.filter(organisation=organisation, year=year)


def open_measures():
    from rectification.models import Measure

    return Measure.objects.exclude(state="closed")


def overdue_q(today, prefix=""):
    return Q(**{f"{prefix}deadline__lt": today, f"{prefix}is_ongoing": False}) & ~Q(
        **{f"{prefix}state": "closed"}
    )


def figures(organisation, year, today):
    """Three aggregate queries: rounds, findings, measures."""
    from rectification.models import Finding, Measure

    inspections = year_inspections(organisation, year)
    findings = (
        Finding.objects.filter(inspection__in=inspections)
        .annotate(
            has_open=Exists(open_measures().filter(finding=OuterRef("pk"))),
            has_any=Exists(Measure.objects.filter(finding=OuterRef("pk"))),
        )
        .aggregate(
            aspects=Count("aspect", distinct=True),
            findings=Count("pk"),
            findings_closed=Count("pk", filter=Q(has_any=True, has_open=False)),
        )
    )
    measures = Measure.objects.filter(finding__inspection__in=inspections).aggregate(
        measures=Count("pk"),
        measures_closed=Count("pk", filter=Q(state="closed")),
        measures_overdue=Count("pk", filter=overdue_q(today)),
        rules=Sum("rules_issued", default=0),
    )
    # Every round of the year, with findings or not: what the figure's link lists.
    rounds = {"inspections": inspections.count()}
    return {**rounds, **findings, **measures}
