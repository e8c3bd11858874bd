"""The list pages, dashboards and their Excel exports against query strings built by
hypothesis (issue #7): filters, search words, sort keys, pages, years and months are text the
user controls too, and never reach a form's NUL check. Any of them gives a page (200), a
redirect or a 404 (an organisation that is not one's own), never a 500.
"""

import pytest
from django.urls import reverse
from hypothesis import event, example, given
from hypothesis import strategies as st

from .conftest import CHECKED, HYPOTHESIS
from .test_forms_property import SAMPLES

# (page, who reads it)
PAGES = [
    ("home", "office"),
    ("reports:dashboard", "principal"),
    ("reports:report-list", "office"),
    ("accountability:workrecord-list", "office"),
    ("accountability:workrecord-month", "head"),
    ("accountability:workrecord-create", "office"),
    ("accountability:dutyletter-list", "office"),
    ("accountability:responsibilityitem-list", "office"),
    ("accountability:riskpoint-list", "office"),
    ("rectification:inspection-list", "office"),
    ("rectification:finding-list", "office"),
    ("rectification:measure-list", "head"),
    ("rectification:review-queue", "inspector"),
    ("rectification:followup-list", "inspector"),
    ("reminders:digest-list", "head"),
    ("reminders:delivery-list", "admin"),
    ("search:results", "head"),
]
KEYS = [
    "org", "year", "month", "unit", "kind", "q", "sort", "page", "from", "date", "deleted",
    "state", "colour", "overdue", "open", "level", "status", "rectified", "due", "export",
    "recipient", "channel", "day_from", "day_to", "leader", "person",
]  # fmt: skip
values = st.one_of(
    st.sampled_from(SAMPLES),
    st.sampled_from(["xlsx", "yes", "no", "-date", "unit", "2026", "2026-03", "1", "test"]),
    st.text(max_size=30),
    st.integers().map(str),
)
queries = st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), values, max_size=5)


@pytest.mark.parametrize(("page", "user"), PAGES, ids=[page for page, _user in PAGES])
@HYPOTHESIS
@given(query=queries)
@example(query={"org": "\x00"})  # answered 500 on the report pages (PostgreSQL refuses NUL)
@example(query={"year": "0"})  # answered 500 on the work-record ledger (no year 0 date)
@example(query={"q": "\x00", "export": "xlsx", "sort": "\x00"})
# "²" passed isdigit() and then failed int(); int() refuses more than 4,300 digits: both 500s.
@example(query={"org": "²", "year": "²", "unit": "²", "from": "²"})
@example(query={"org": "9" * 5000, "year": "9" * 5000, "unit": "9" * 5000, "from": "9" * 5000})
def test_any_query_string_gives_a_page_never_a_500(page, user, query, world, client):
    client.force_login(getattr(world, user))
    response = client.get(reverse(page), query)
    assert response.status_code in (200, 302, 404), response.status_code
    event(str(response.status_code))
    CHECKED["examples"][f"{page} (query strings)"] += 1
