"""Two inspectors acting on one measure at the same moment, each on their own connection."""

import threading

import pytest
from django.db import connection

from accountability.models import Role
from rectification import services
from rectification.models import Measure, ProgressUpdate, RectificationError
from tests.factories import UserFactory

from .factories import pdf


def _race(measure_pk, actions):
    """Run each action in its own thread (own connection), released together."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            measure = Measure.objects.get(pk=measure_pk)
            action(measure)
            outcomes[index] = "ok"
        except RectificationError as error:
            outcomes[index] = error.messages[0]
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.fixture
def race(transactional_db, world):
    from .factories import FindingFactory, InspectionFactory, MeasureFactory

    finding = FindingFactory(inspection=InspectionFactory(organisation=world.org), number=1)
    measure = MeasureFactory(
        finding=finding, lead_leader=world.leader, unit=world.works, responsible_person=world.head
    )
    services.measure_request_closure(measure=measure, by=world.head, note="完成", files=[pdf()])
    second = UserFactory(
        username="inspector2", full_name="黄纪检", unit=world.root, roles=[Role.INSPECTOR]
    )
    return world, measure, second


def test_concurrent_accepts_close_once_and_tell_the_loser(race):
    world, measure, second = race
    outcomes = _race(
        measure.pk,
        [
            lambda m: services.measure_accept_closure(measure=m, by=world.inspector),
            lambda m: services.measure_accept_closure(measure=m, by=second),
        ],
    )
    assert sorted(outcomes, key=str) == sorted(
        ["ok", "该整改措施已不在待销号状态（可能已被其他人审核），请刷新后查看。"], key=str
    )
    measure.refresh_from_db()
    assert measure.state == Measure.State.CLOSED
    assert ProgressUpdate.objects.filter(measure=measure, kind="accepted").count() == 1


def test_concurrent_accept_and_return_apply_exactly_one(race):
    world, measure, second = race
    outcomes = _race(
        measure.pk,
        [
            lambda m: services.measure_accept_closure(measure=m, by=world.inspector),
            lambda m: services.measure_return_closure(measure=m, by=second, reason="材料不全"),
        ],
    )
    assert outcomes.count("ok") == 1
    measure.refresh_from_db()
    decisions = ProgressUpdate.objects.filter(measure=measure, kind__in=["accepted", "returned"])
    assert decisions.count() == 1
    expected = Measure.State.CLOSED if outcomes[0] == "ok" else Measure.State.IN_PROGRESS
    assert measure.state == expected
    # The history holds the winner's change and nothing from the loser.
    assert (
        measure.history.filter(history_change_reason__in=["同意销号", "退回：材料不全"]).count()
        == 1
    )
