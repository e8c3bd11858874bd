"""Where a figure leads: A's and B's list pages, filtered to the records behind the number.

The list URLs belong to the other apps; if one is missing (an app not yet deployed), the figure
simply has no link rather than a broken one.
"""

from functools import lru_cache
from urllib.parse import urlencode

from django.urls import NoReverseMatch, get_urlconf, reverse

WORK_RECORD_LIST = "accountability:workrecord-list"
LETTER_LIST = "accountability:dutyletter-list"
ITEM_LIST = "accountability:responsibilityitem-list"
MEASURE_LIST = "rectification:measure-list"
FINDING_LIST = "rectification:finding-list"
INSPECTION_LIST = "rectification:inspection-list"


@lru_cache(maxsize=64)
def _base(name, urlconf):
    try:
        return reverse(name, urlconf=urlconf)
    except NoReverseMatch:
        return ""


def url(name, **params):
    """``name``'s URL with the filters as query parameters ("" when the page does not exist).

    The dashboard builds a few hundred of these per page: the bare paths are cached.
    """
    base = _base(name, get_urlconf())
    if not base:
        return ""
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{base}?{urlencode(params)}" if params else base


def work_records(kind, year, **extra):
    return url(WORK_RECORD_LIST, kind=getattr(kind, "pk", kind), year=year, **extra)


def for_letters(metric, year, fields):
    """The letter list filtered to the letters behind ``metric`` (kind / level in ``fields``)."""
    if metric == "letters":
        return url(LETTER_LIST, year=year, figure="count", **fields)
    if metric == "letters_units":
        return url(LETTER_LIST, year=year, status="signed", figure="units", **fields)
    return url(LETTER_LIST, year=year, status="signed", figure="count", **fields)


def for_metric(metric, organisation, year):
    if metric in ("items", "items_done"):
        return url(ITEM_LIST, year=year)
    if metric == "inspections":
        return url(INSPECTION_LIST, year=year)
    if metric in ("aspects", "findings"):
        return url(FINDING_LIST, year=year)
    if metric == "findings_closed":
        return url(FINDING_LIST, year=year, rectified="yes")
    if metric in ("measures", "rules"):
        return url(MEASURE_LIST, year=year)
    if metric == "measures_closed":
        return url(MEASURE_LIST, year=year, state="closed")
    if metric == "measures_overdue":
        return url(MEASURE_LIST, year=year, overdue="yes")
    return ""
