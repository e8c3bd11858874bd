"""The three-colour ladder over real measures, with the clock frozen."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from deadlines import services as sweeps
from notices import services
from notices.models import Digest, ReminderPolicy
from rectification.models import Measure, WarningPolicy
from tests.rectification.factories import FindingFactory, MeasureFactory

TODAY = datetime.date(2026, 11, 24)
MORNING = datetime.datetime(2026, 11, 24, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MORNING, tick=False):
        yield


@pytest.fixture
def measure(rect, monkeypatch):
    monkeypatch.setattr(services, "enqueue_deliveries", lambda ids: None)

    def _measure(days_left, **fields):
        rect.measure.deadline = TODAY + datetime.timedelta(days=days_left)
        for name, value in fields.items():
            setattr(rect.measure, name, value)
        rect.measure.save()
        rect.finance_measure.deadline = TODAY + datetime.timedelta(days=200)
        rect.finance_measure.save()
        rect.other_measure.deadline = TODAY - datetime.timedelta(days=30)  # red, other org
        rect.other_measure.save()
        return rect.measure

    return _measure


def levels(world):
    """{person: digest counts} for the cast of ``world``."""
    digests = Digest.objects.filter(recipient__isnull=False).select_related("recipient")
    return {d.recipient.username: d.counts for d in digests}


def test_green_goes_to_the_responsible_person_only(world, measure):
    measure(15)
    sweeps.reminders_sweep()
    assert levels(world) == {"head": {"green": 1}, "stranger": {"red": 1}}


def test_yellow_also_goes_to_the_leader_in_charge(world, measure):
    measure(5)
    sweeps.reminders_sweep()
    assert levels(world) == {
        "head": {"yellow": 1},
        "leader": {"yellow": 1},
        "stranger": {"red": 1},
    }


def test_red_also_goes_to_principal_unit_head_and_inspectors(world, measure):
    world.works.head = world.office  # so that the unit head is not the responsible person
    world.works.save()
    measure(-3)
    sweeps.reminders_sweep()
    assert levels(world) == {
        "head": {"red": 1},
        "leader": {"red": 1},
        "principal": {"red": 1},
        "office": {"red": 1},
        "inspector": {"red": 1},
        "stranger": {"red": 1},
    }


def test_due_today_is_yellow_not_red(world, measure):
    measure(0)
    sweeps.reminders_sweep()
    assert levels(world)["head"] == {"yellow": 1}


def test_nothing_before_the_green_threshold(world, measure):
    measure(21)
    sweeps.reminders_sweep()
    assert "head" not in levels(world)


def test_the_organisations_thresholds_decide_the_colour(world, measure):
    WarningPolicy.objects.create(organisation=world.org, green_days=40, yellow_days=30)
    measure(25)
    sweeps.reminders_sweep()
    assert levels(world)["head"] == {"yellow": 1}


def test_closed_and_ongoing_measures_are_not_reminded(world, measure, rect):
    measure(-3, is_ongoing=True)
    Measure.objects.filter(pk=rect.finance_measure.pk).update(
        deadline=TODAY, state=Measure.State.CLOSED, closed_by=world.inspector, closed_at=MORNING
    )
    sweeps.reminders_sweep()
    assert levels(world) == {"stranger": {"red": 1}}


def test_the_same_day_later_changes_nothing_for_those_already_reminded(world, measure):
    m = measure(15)
    sweeps.reminders_sweep()
    m.deadline = TODAY - datetime.timedelta(days=1)
    m.save()
    sweeps.reminders_sweep()
    assert Digest.objects.get(recipient=world.head).counts == {"green": 1}
    # The leader had no digest today, so the midday pass brings them the news at once.
    assert Digest.objects.get(recipient=world.leader).counts == {"red": 1}


def test_a_followup_check_due_reminds_the_inspectors(world, rect, monkeypatch):
    monkeypatch.setattr(services, "enqueue_deliveries", lambda ids: None)
    Measure.objects.filter(pk=rect.measure.pk).update(
        state=Measure.State.CLOSED,
        closed_by=world.inspector,
        closed_at=MORNING,
        followup_due_on=TODAY + datetime.timedelta(days=3),
    )
    sweeps.reminders_sweep(organisation_ids=[world.org.pk])
    digest = Digest.objects.get(recipient=world.inspector)
    assert digest.counts == {"yellow": 1}
    assert "回头看" in digest.items["yellow"][0]["text"]


def _closure_requested(world, rect, days_ago):
    Measure.objects.filter(pk=rect.measure.pk).update(
        state=Measure.State.CLOSURE_REQUESTED,
        closure_requested_by=world.head,
        closure_requested_at=MORNING - datetime.timedelta(days=days_ago),
        deadline=TODAY + datetime.timedelta(days=100),
    )


def test_a_closure_request_waiting_too_long_reminds_the_inspectors(world, rect, monkeypatch):
    monkeypatch.setattr(services, "enqueue_deliveries", lambda ids: None)
    ReminderPolicy.objects.create(organisation=world.org, closure_wait_days=5)
    _closure_requested(world, rect, days_ago=6)
    sweeps.reminders_sweep(organisation_ids=[world.org.pk])
    assert levels(world) == {"inspector": {"yellow": 1}, "leader": {"yellow": 1}}


def test_a_fresh_closure_request_reminds_nobody(world, rect, monkeypatch):
    monkeypatch.setattr(services, "enqueue_deliveries", lambda ids: None)
    _closure_requested(world, rect, days_ago=2)
    sweeps.reminders_sweep(organisation_ids=[world.org.pk])
    assert levels(world) == {}


def test_a_closure_request_waiting_twice_as_long_is_red(world, rect, monkeypatch):
    monkeypatch.setattr(services, "enqueue_deliveries", lambda ids: None)
    _closure_requested(world, rect, days_ago=11)
    sweeps.reminders_sweep(organisation_ids=[world.org.pk])
    assert levels(world)["principal"] == {"red": 1}


def test_items_of_another_organisation_never_reach_this_ones_inspectors(world, measure):
    measure(100)
    sweeps.reminders_sweep()
    assert "inspector" not in levels(world)


def test_a_person_gets_one_digest_for_many_measures(world, rect, monkeypatch):
    monkeypatch.setattr(services, "enqueue_deliveries", lambda ids: None)
    finding = FindingFactory(inspection=rect.inspection, number=9)
    for n in range(5):
        MeasureFactory(
            finding=finding,
            lead_leader=world.leader,
            unit=world.works,
            responsible_person=world.head,
            deadline=TODAY - datetime.timedelta(days=n),
        )
    sweeps.reminders_sweep(organisation_ids=[world.org.pk])
    assert Digest.objects.filter(recipient=world.head).count() == 1
    assert Digest.objects.get(recipient=world.head).counts == {"red": 4, "yellow": 1}
