"""Figures bound to the records: tokens in the narrative, resolved in the database.

``{{count:theory_study}}`` in a section's text is a *figure*: a metric (``count``) and, for
metrics about one kind of work record, the kind's code. ``markup`` parses and renders tokens;
``resolve`` computes every figure a report needs for one organisation and year in a fixed number
of queries; ``catalogue`` lists what the editor's picker offers.
"""

from .markup import TOKEN_RE, Token, render_html, render_plain, tokens_in
from .metrics import METRICS, Metric
from .resolve import FigureContext, Resolved

__all__ = [
    "METRICS",
    "TOKEN_RE",
    "FigureContext",
    "Metric",
    "Resolved",
    "Token",
    "render_html",
    "render_plain",
    "tokens_in",
]
