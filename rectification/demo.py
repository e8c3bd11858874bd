"""Demo inspections, findings and measures (see reports' seed_demo)."""


def seed(organisations):
    """``organisations``: accountability.demo.seed()'s result, by code."""
