"""Reads other apps show: counts for the home page's cards, in two queries whatever the data."""

from django.db.models import Count, Q
from django.utils import timezone

from .models import DutyLetter, WorkRecord


def home_figures(scope, today=None):
    """This year's work records and duty letters in the user's scope."""
    today = today or timezone.localdate()
    records = WorkRecord.objects.filter(date__year=today.year)
    records = scope.filter(records, unit_field="unit", org_field="organisation").aggregate(
        year=Count("pk"),
        month=Count("pk", filter=Q(date__month=today.month)),
    )
    letters = scope.filter(
        DutyLetter.objects.active().filter(year=today.year),
        unit_field="unit",
        org_field="organisation",
    ).aggregate(
        total=Count("pk"),
        missing=Count("pk", filter=Q(signed_on__isnull=True, due_on__lt=today)),
    )
    return {
        "records_year": records["year"],
        "records_month": records["month"],
        "letters_total": letters["total"],
        "letters_missing": letters["missing"],
        "year": today.year,
        "month": today.month,
    }
