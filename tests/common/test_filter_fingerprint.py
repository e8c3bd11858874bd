"""The filter bars' cached fragments, named without reading their choice lists (issue 15).

A list page's filter bar is cached per reader (templates/includes/filter_form.html). Its lists of
units, leaders and record kinds are named by the access generation instead of being read on
every page; any change to those rows must still show on the very next page.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.models import Role, RoleAssignment, WorkRecordKind
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

RECORDS = "accountability:workrecord-list"
# The filter bar's own reads: the lists its choices come from (the main table of the query).
CHOICE_READS = {
    "units": 'FROM "accountability_unit"',
    "kinds": 'FROM "accountability_workrecordkind"',
    "leaders": 'SELECT DISTINCT "accountability_user"',
}


def choice_reads(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    sql = [query["sql"] for query in captured]
    found = {name for name, read in CHOICE_READS.items() if any(read in s for s in sql)}
    return found, response.text


def filter_bar(html):
    return re.search(r'<form method="get" class="card card-body.*?</form>', html, re.S).group(0)


def test_a_second_look_reads_no_choice_list(login, world):
    client = login(world.office)
    first, _ = choice_reads(client, reverse(RECORDS))
    assert first == {"units", "kinds", "leaders"}
    again, html = choice_reads(client, reverse(RECORDS))
    assert again == set()
    assert "基建处" in filter_bar(html)  # from the cached fragment, as it was drawn


def test_a_renamed_unit_a_new_kind_and_a_new_leader_show_on_the_next_page(login, world):
    client = login(world.office)
    client.get(reverse(RECORDS))

    def bar_after(change):
        change()
        reads, html = choice_reads(client, reverse(RECORDS))
        assert reads == {"units", "kinds", "leaders"}  # read again, once
        return filter_bar(html)

    def rename():
        world.works.name = "基本建设处"
        world.works.save()

    bar = bar_after(rename)
    assert "基本建设处" in bar and "基建处<" not in bar
    kinds = []
    bar = bar_after(
        lambda: kinds.append(
            WorkRecordKind.objects.create(organisation=world.org, code="visit", name="走访调研")
        )
    )
    assert f'value="{kinds[0].pk}"' in bar and "走访调研" in bar
    newcomer = UserFactory(username="newleader", full_name="钱新任", unit=world.root)
    client.get(reverse(RECORDS))
    bar = bar_after(
        lambda: RoleAssignment.objects.create(
            user=newcomer, organisation=world.org, role=Role.LEADER
        )
    )
    assert "钱新任" in bar
    doomed = UnitFactory(organisation=world.org, parent=world.root, name="临时专班")
    assert "临时专班" in filter_bar(client.get(reverse(RECORDS)).text)
    assert "临时专班" not in bar_after(doomed.delete)


def test_the_bar_follows_the_chosen_values_and_the_language(login, world):
    client = login(world.office)
    base = reverse(RECORDS)
    client.get(base)
    html = client.get(f"{base}?unit={world.works.pk}").text
    assert f'<option value="{world.works.pk}" selected>' in filter_bar(html)
    client.cookies["django_language"] = "en"
    assert "All" in filter_bar(client.get(base).text)


def test_readers_and_organisations_do_not_share_a_bar(login, world):
    office = login(world.office)
    assert "基建处" in filter_bar(office.get(reverse(RECORDS)).text)
    for reader, theirs, not_theirs in (
        (world.stranger, "另一处", "基建处"),  # another organisation's office
        (world.outsider, "财务处", "基建处"),  # a unit head: their own unit only
    ):
        other = Client()
        other.force_login(reader)
        bar = filter_bar(other.get(reverse(RECORDS)).text)
        assert theirs in bar and not_theirs not in bar


def test_without_a_shared_cache_the_lists_are_read_every_time(login, world, settings):
    settings.PERSON_CACHE = False
    client = login(world.office)
    client.get(reverse(RECORDS))
    reads, _ = choice_reads(client, reverse(RECORDS))
    assert reads == {"units", "kinds", "leaders"}
