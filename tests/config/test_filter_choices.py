"""Filter bars read their choices with plain queries (common/filters.py), not server-side
cursors, and still offer every choice."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("route", ["rectification:measure-list", "accountability:workrecord-list"])
def test_a_list_page_reads_its_filter_choices_without_a_cursor(login, world, route):
    client = login(world.office)
    client.get(reverse(route))  # warm-up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(route))
    assert response.status_code == 200
    assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("DECLARE")]
    html = response.content.decode()
    # Both bars offer the departments (the ledger's, to whole-organisation readers, only the
    # first two levels of the tree).
    for unit in (world.root, world.works, world.finance):
        assert f'<option value="{unit.pk}"' in html
    assert world.other_unit.name not in html
