"""Pieces the measures share."""

from datetime import date, datetime, time

from django.db.models import IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from ..models import Scheme


def target_key(target, unit_field="unit_id", org_field="organisation_id"):
    return unit_field if target == Scheme.Target.UNITS else org_field


def correlated(grouped, key, column):
    """``column`` of the row of ``grouped`` (already GROUP BY ``key``) for the outer target."""
    return Coalesce(
        Subquery(grouped.filter(**{key: OuterRef("pk")}).values(column)[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def month_start(year, month):
    """The first day of ``month`` of ``year``; month 13 is January of the next year."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, 1)


def start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def local_day(moment):
    return timezone.localtime(moment).date() if moment else None


def readable_link(scope, name, pk, org_id):
    """A link to the record's own page for a reader of its organisation; the supervising body
    reads the record on the basis page itself (its detail pages are the organisation's)."""
    if scope.is_superuser or org_id in scope.full_read_org_ids:
        return reverse(name, args=[pk])
    return ""


def balanced_sum(terms):
    """``a + b + c + …`` as a balanced tree: SQLite's parser refuses deeply nested expressions
    ("parser stack overflow"), and a left-nested sum of twelve months nests twelve deep."""
    terms = list(terms)
    while len(terms) > 1:
        paired = [terms[i] + terms[i + 1] for i in range(0, len(terms) - 1, 2)]
        if len(terms) % 2:
            paired.append(terms[-1])
        terms = paired
    return terms[0]
