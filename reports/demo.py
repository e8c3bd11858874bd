"""Demo report outlines and drafts (see seed_demo)."""


def seed(organisations):
    """``organisations``: accountability.demo.seed()'s result, by code."""
