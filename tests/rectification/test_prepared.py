"""Querysets compiled once and run again with another key (common/prepared.py, issue 15).

What a prepared query gives must be what the ORM gives, field for field, relation for relation,
annotation for annotation, on PostgreSQL and on SQLite (its dates and decimals come back through
converters); a change of scope or day is another plan; a missing object is a 404.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.access import scope_for
from accountability.models import Role, RoleAssignment
from common import prepared
from rectification.models import Measure
from rectification.selectors import visible_measures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_plans():
    prepared._plans().clear()
    yield
    prepared._plans().clear()


def measures_of(user, today):
    scope = scope_for(user)

    def build(pk):
        return (
            visible_measures(scope)
            .with_colour(today)
            .select_related("finding__inspection", "unit")
            .filter(pk=pk)
        )

    return build


def described(measure):
    """Everything a page reads of the measure and what came with it."""
    fields = {f.attname: getattr(measure, f.attname) for f in Measure._meta.concrete_fields}
    return {
        **fields,
        "days_left": measure.days_left,
        "colour": measure.colour,
        "finding": (measure.finding.pk, measure.finding.description),
        "inspection": (measure.finding.inspection.pk, measure.finding.inspection.title),
        "inspection.started_on": measure.finding.inspection.started_on,
        "unit": (measure.unit.pk, measure.unit.name, measure.unit.path),
    }


def test_a_prepared_query_gives_what_the_orm_gives(rect):
    today = timezone.localdate()
    rect.measure.deadline = today + datetime.timedelta(days=3)
    rect.measure.save()
    build = measures_of(rect.head, today)
    for measure in (rect.measure, rect.finance_measure, rect.other_measure):
        expected = list(build(measure.pk))
        for _ in range(2):  # the first call compiles, the second runs the kept SQL
            got = prepared.fetch(("test", rect.head.pk, today), build, measure.pk)
            assert [described(m) for m in got] == [described(m) for m in expected]
    # The head reads their own unit's measure only; its colour counts from today.
    (mine,) = prepared.fetch(("test", rect.head.pk, today), build, rect.measure.pk)
    assert (mine.days_left, mine.colour) == (3, "yellow")
    assert isinstance(mine.deadline, datetime.date) and isinstance(
        mine.created_at, datetime.datetime
    )
    assert prepared.fetch(("test", rect.head.pk, today), build, rect.other_measure.pk) == []
    # The related objects were made from the row: reading them asks nothing more.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert mine.finding.inspection.title == rect.inspection.title and mine.unit.name == "基建处"
    assert len(captured) == 0


def test_the_query_is_compiled_once_per_name(rect, monkeypatch):
    plans = []
    original = prepared._plan
    monkeypatch.setattr(prepared, "_plan", lambda qs, n: plans.append(qs) or original(qs, n))
    today = timezone.localdate()
    build = measures_of(rect.office, today)
    for measure in (rect.measure, rect.finance_measure, rect.measure):
        prepared.fetch(("office", today), build, measure.pk)
    assert len(plans) == 1
    prepared.fetch(("office", today + datetime.timedelta(days=1)), build, rect.measure.pk)
    assert len(plans) == 2


def test_a_query_without_exactly_one_marker_goes_through_the_orm(rect):
    everything = prepared.fetch("all", lambda pk: Measure.objects.order_by("pk"), rect.measure.pk)
    assert len(everything) == Measure.objects.count() == 3
    twice = prepared.fetch(
        "twice", lambda pk: Measure.objects.filter(pk=pk, finding__measures__pk=pk), rect.measure.pk
    )
    assert [m.pk for m in twice] == [rect.measure.pk]
    assert prepared._plans()["all"] is None and prepared._plans()["twice"] is None


def test_plans_are_bounded(rect, monkeypatch):
    monkeypatch.setattr(prepared, "PLANS", 3)
    build = measures_of(rect.office, timezone.localdate())
    for day in range(5):
        prepared.fetch(("office", day), build, rect.measure.pk)
    assert list(prepared._plans()) == [("office", 2), ("office", 3), ("office", 4)]


def test_the_measure_page_follows_the_readers_scope(login, rect):
    client = login(rect.head)
    page = reverse("rectification:measure-detail", args=[rect.measure.pk])
    for _ in range(2):
        response = client.get(page)
        assert response.status_code == 200 and rect.measure.description in response.text
    assert (
        client.get(
            reverse("rectification:measure-detail", args=[rect.finance_measure.pk])
        ).status_code
        == 404
    )
    assert client.get(reverse("rectification:measure-detail", args=[999999])).status_code == 404
    # Their role goes: the very next page is another scope's (the access generation changed).
    RoleAssignment.objects.filter(user=rect.head, role=Role.UNIT_HEAD).delete()
    rect.head.refresh_from_db()
    assert client.get(page).status_code == 404


def test_the_home_page_to_do_lists_are_compiled_once_and_follow_the_data(
    login, rect, monkeypatch, time_machine, settings
):
    """With a shared cache (PostgreSQL and Redis); without one (make run's SQLite) there is no
    access generation to name a plan by, and every query goes through the ORM, as right."""
    plans = []
    original = prepared._plan
    monkeypatch.setattr(prepared, "_plan", lambda qs, n: plans.append(qs) or original(qs, n))
    time_machine.move_to(timezone.localtime().replace(hour=10), tick=False)
    today = timezone.localdate()
    rect.measure.deadline = today - datetime.timedelta(days=2)
    rect.measure.save()
    client = login(rect.head)
    home = client.get(reverse("home")).text
    assert rect.measure.description[:20] in home and "逾期2天" in home
    compiled = len(plans)
    if settings.PERSON_CACHE:
        assert compiled >= 2  # the head's measures and letters to sign, at least
    else:
        assert compiled == 0
    rect.measure.deadline = today + datetime.timedelta(days=5)
    rect.measure.save()
    home = client.get(reverse("home")).text
    assert len(plans) == compiled  # the same SQL run again, on the rows as they are now
    assert "5天后到期" in home and "逾期2天" not in home
    # Another day: compiled again (the colours and the days count from today).
    time_machine.move_to(timezone.localtime() + datetime.timedelta(days=1), tick=False)
    client = login(rect.head)  # a new day's sign-in (the idle timeout ended yesterday's)
    assert "4天后到期" in client.get(reverse("home")).text
    assert len(plans) == 2 * compiled


def test_values_rows_are_the_orms_dicts(rect):
    from django.db.models import Count, Max, Q

    today = timezone.localdate()

    def build():
        return (
            visible_measures(scope_for(rect.office))
            .with_colour(today)
            .values("unit_id", "unit__name")
            .annotate(
                n=Count("pk"),
                open=Count("pk", filter=~Q(state="closed")),
                latest=Max("deadline"),
            )
            .order_by("unit__path")
        )

    expected = list(build())
    assert len(expected) == 2 and all(isinstance(row["latest"], datetime.date) for row in expected)
    for _ in range(2):
        assert prepared.fetch(("values", today), build) == expected

    # DISTINCT over values ordered by a column it does not name: rows carry the ordering too.
    def distinct():
        return Measure.objects.values("unit__name").distinct().order_by("unit__name", "-pk")

    assert prepared.fetch("distinct", distinct) == list(distinct())


def test_the_ledger_pages_and_counts_through_prepared_queries(login, rect, monkeypatch, settings):
    """The ledger's count and pages (common/lists.py PreparedPaginator): the same pages, counts
    and 404s as Django's paginator, compiled once per reader, scope, day and query string."""
    from tests.rectification.factories import MeasureFactory

    compiled = []
    original = prepared._plan
    monkeypatch.setattr(prepared, "_plan", lambda qs, n: compiled.append(qs) or original(qs, n))
    for n in range(54):
        MeasureFactory(
            finding=rect.finding,
            unit=rect.works,
            lead_leader=rect.leader,
            responsible_person=rect.head,
            description=f"批量措施{n:02d}",
        )
    ledger = reverse("rectification:measure-list")
    client = login(rect.office)
    year = rect.inspection.year

    def page(query):
        response = client.get(f"{ledger}?year={year}&sort=deadline{query}")
        return response.status_code, response

    status, first = page("")
    assert status == 200
    assert first.context["paginator"].count == 56 and len(first.context["object_list"]) == 50
    assert "共 56 条整改措施" in first.text
    plans = len(compiled)
    assert plans == (2 if settings.PERSON_CACHE else 0)  # the count and the page
    status, again = page("")
    assert len(compiled) == plans
    assert [m.pk for m in again.context["object_list"]] == [
        m.pk for m in first.context["object_list"]
    ]
    status, second = page("&page=2")
    assert status == 200 and len(second.context["object_list"]) == 6
    shown = {m.pk for m in first.context["object_list"]} | {
        m.pk for m in second.context["object_list"]
    }
    assert len(shown) == 56
    assert page("&page=last")[1].context["page_obj"].number == 2
    assert page("&page=3")[0] == 404 and page("&page=x")[0] == 404
    # Filtered to nothing: an empty first page, counted 0.
    status, none = page("&colour=red&state=closed")
    assert status == 200 and none.context["paginator"].count == 0
    assert list(none.context["object_list"]) == []
    # A new measure is counted on the next look, by the same SQL.
    MeasureFactory(
        finding=rect.finding, unit=rect.works, lead_leader=rect.leader, responsible_person=rect.head
    )
    plans = len(compiled)
    status, grown = page("")
    assert grown.context["paginator"].count == 57 and len(compiled) == plans
    # Another reader's ledger: their own scope, their own plans.
    status, head = login(rect.head) and page("")
    assert head.context["paginator"].count == 56  # the 基建处 measures, not 财务处's
