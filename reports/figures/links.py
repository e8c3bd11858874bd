"""Where a figure leads: A's and B's list pages, filtered to the records behind the number.

The list URLs belong to the other apps; if one is missing (an app not yet deployed), the figure
simply has no link rather than a broken one.
"""

from functools import lru_cache
from urllib.parse import quote_plus

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

    The dashboard builds a few hundred of these per page: the bare paths are cached, and the
    query is ``urlencode``'s, written directly (numbers need no quoting; words are quoted as
    ``urlencode`` quotes them), a sixth of the dashboard's time otherwise.
    """
    base = _base(name, get_urlconf())
    if not base:
        return ""
    query = "&".join(
        f"{quote_plus(key)}={value if type(value) is int else quote_plus(str(value))}"
        for key, value in params.items()
        if value not in (None, "")
    )
    return f"{base}?{query}" if query else base


def work_records(kind, year, **extra):
    return url(WORK_RECORD_LIST, kind=getattr(kind, "pk", kind), year=year, **extra)


def for_letters(metric, year, fields):
    """The letter list filtered to the letters behind ``metric`` (kind / level in ``fields``)."""
    if metric == "letters":
        return url(LETTER_LIST, year=year, figure="count", **fields)
    if metric == "letters_units":
        return url(LETTER_LIST, year=year, status="signed", figure="units", **fields)
    return url(LETTER_LIST, year=year, status="signed", figure="count", **fields)


# metric -> (list, filters): ``figure`` names the total the list states in its banner.
METRIC_LINKS = {
    "items": (ITEM_LIST, {"figure": "count"}),
    "items_done": (ITEM_LIST, {"figure": "done"}),
    "inspections": (INSPECTION_LIST, {"figure": "count"}),
    "aspects": (FINDING_LIST, {"figure": "aspects"}),
    "findings": (FINDING_LIST, {"figure": "count"}),
    "findings_closed": (FINDING_LIST, {"rectified": "yes", "figure": "count"}),
    "measures": (MEASURE_LIST, {"figure": "count"}),
    "rules": (MEASURE_LIST, {"figure": "rules"}),
    "measures_closed": (MEASURE_LIST, {"state": "closed", "figure": "count"}),
    "measures_overdue": (MEASURE_LIST, {"overdue": "yes", "figure": "count"}),
}


def for_metric(metric, organisation, year):
    if metric not in METRIC_LINKS:
        return ""
    name, filters = METRIC_LINKS[metric]
    return url(name, year=year, **filters)
