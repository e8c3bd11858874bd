"""Demo reminder settings (see reports' seed_demo): each organisation gets its rules row."""

from .models import ReminderPolicy


def seed(organisations):
    """``organisations``: accountability.demo.seed()'s result, by code."""
    for code, demo in organisations.items():
        ReminderPolicy.objects.get_or_create(
            organisation=demo.organisation,
            defaults={"monthly_cutoff_day": 5 if code == "sw" else 10, "closure_wait_days": 5},
        )
