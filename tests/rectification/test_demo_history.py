"""The demo is written in the order it happened: a seeded measure's history reads right, and
the next real action shows the state it really left."""

import datetime

import pytest
from django.utils import timezone

from accountability import demo as accountability_demo
from accountability.models import DutyLetter, User
from common.history import history_rows
from rectification import demo, services
from rectification.models import Measure

from ..conftest import kept_for_the_module

TODAY = datetime.date(2026, 11, 24)
S = Measure.State


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    with kept_for_the_module(django_db_blocker):
        organisations = accountability_demo.seed()
        demo.seed(organisations, today=TODAY)
        yield organisations


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once


def _requested(seeded):
    return Measure.objects.get(
        organisation=seeded["sw"].organisation,
        finding__inspection__source="市委第三巡察组",
        state=S.CLOSURE_REQUESTED,
    )


def test_a_seeded_measures_history_reads_in_the_order_it_happened(seeded):
    measure = _requested(seeded)
    rows = history_rows(measure)  # newest first
    created = rows[-1]
    assert created.action == "创建"
    assert created.who == "刘晓燕"  # the party office registered it, not "系统"
    dates = [timezone.localtime(row.when) for row in rows]
    assert dates == sorted(dates, reverse=True)
    assert max(dates).date() < TODAY
    first_step = measure.updates.order_by("at").first()
    assert timezone.localtime(created.when) < timezone.localtime(first_step.at)


def test_the_next_real_action_shows_the_state_it_left(seeded):
    measure = _requested(seeded)
    inspector = User.objects.get(username="jijian")
    services.measure_return_closure(measure=measure, by=inspector, reason="佐证材料不全")
    changes = {(c.field, c.old, c.new) for c in history_rows(measure)[0].changes}
    assert ("状态", "待销号", "整改中") in changes


def test_a_seeded_letter_was_issued_before_it_was_signed(seeded):
    letter = DutyLetter.objects.filter(signed_on__isnull=False).first()
    rows = history_rows(letter)
    assert [row.action for row in rows] == ["修改", "创建"]
    assert timezone.localtime(rows[-1].when).date() == letter.issued_on
    assert timezone.localtime(rows[0].when).date() == letter.signed_on
