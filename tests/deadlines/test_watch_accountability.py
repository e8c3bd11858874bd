"""Duty letters not signed in time and monthly work records not filed by the cut-off day."""

import datetime

import pytest

from accountability.models import (
    DutyLetter,
    ResponsibilityItem,
    ResponsibilityList,
    WorkRecord,
    WorkRecordKind,
)
from deadlines import services as sweeps
from notices import services
from notices.models import Digest, ReminderPolicy


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr(services, "enqueue_deliveries", lambda ids: None)


def levels():
    digests = Digest.objects.filter(recipient__isnull=False).select_related("recipient")
    return {d.recipient.username: d.counts for d in digests}


def letter(world, due_on, signed_on=None):
    return DutyLetter.objects.create(
        organisation=world.org,
        year=due_on.year,
        unit=world.works,
        kind="duty",
        level="group_unit",
        title="2026年度党风廉政建设责任书",
        issued_on=due_on - datetime.timedelta(days=30),
        due_on=due_on,
        signed_on=signed_on,
    )


DAY = datetime.date(2026, 12, 3)


def test_a_letter_due_soon_reminds_the_unit_head_and_the_leader(world):
    letter(world, DAY + datetime.timedelta(days=5))
    sweeps.reminders_sweep(day=DAY, organisation_ids=[world.org.pk])
    assert levels() == {"head": {"yellow": 1}, "leader": {"yellow": 1}}


def test_an_unsigned_letter_past_its_date_is_red_for_the_principal_and_inspectors(world):
    letter(world, DAY - datetime.timedelta(days=1))
    sweeps.reminders_sweep(day=DAY, organisation_ids=[world.org.pk])
    found = levels()
    assert found["principal"] == {"red": 1}
    assert found["inspector"] == {"red": 1}
    assert "尚未签订" in Digest.objects.get(recipient=world.head).items["red"][0]["text"]


def test_a_letter_unsigned_for_over_a_year_is_no_longer_reminded(world):
    letter(world, DAY - datetime.timedelta(days=400))
    sweeps.reminders_sweep(day=DAY, organisation_ids=[world.org.pk])
    assert levels() == {}


def test_a_signed_letter_reminds_nobody(world):
    signed = letter(world, DAY - datetime.timedelta(days=1))
    DutyLetter.objects.filter(pk=signed.pk).update(
        signed_on=DAY - datetime.timedelta(days=3), signatory="张处长"
    )
    sweeps.reminders_sweep(day=DAY, organisation_ids=[world.org.pk])
    assert levels() == {}


def test_a_withdrawn_letter_reminds_nobody(world):
    withdrawn = letter(world, DAY - datetime.timedelta(days=1))
    DutyLetter.objects.filter(pk=withdrawn.pk).update(
        withdrawn_at=datetime.datetime(2026, 11, 20, tzinfo=datetime.UTC)
    )
    sweeps.reminders_sweep(day=DAY, organisation_ids=[world.org.pk])
    assert levels() == {}


@pytest.fixture
def monthly(world):
    WorkRecordKind.ensure_presets(world.org)
    kind = WorkRecordKind.objects.get(organisation=world.org, code="theory_study")
    year_list = ResponsibilityList.objects.create(organisation=world.org, year=2026)
    item = ResponsibilityItem.objects.create(
        list=year_list,
        area="强化思想政治建设",
        title="每月开展理论学习",
        responsible_unit=world.works,
        kind=kind,
        frequency="monthly",
    )
    ReminderPolicy.objects.create(organisation=world.org, monthly_cutoff_day=5)
    return item


def record(world, kind, date, unit=None):
    return WorkRecord.objects.create(
        organisation=world.org,
        unit=unit or world.works,
        kind=kind,
        date=date,
        title="理论中心组学习",
        participant_count=10,
    )


def test_before_the_cut_off_a_missing_monthly_record_is_a_yellow_notice(world, monthly):
    sweeps.reminders_sweep(day=DAY, organisation_ids=[world.org.pk])
    assert levels() == {"head": {"yellow": 1}, "leader": {"yellow": 1}}
    text = Digest.objects.get(recipient=world.head).items["yellow"][0]["text"]
    assert "2026年11月" in text
    assert "理论中心组学习" in text


def test_after_the_cut_off_a_missing_monthly_record_is_red(world, monthly):
    sweeps.reminders_sweep(day=datetime.date(2026, 12, 6), organisation_ids=[world.org.pk])
    assert levels()["principal"] == {"red": 1}


def test_a_record_filed_for_last_month_satisfies_the_item(world, monthly):
    record(world, monthly.kind, datetime.date(2026, 11, 15))
    sweeps.reminders_sweep(day=DAY, organisation_ids=[world.org.pk])
    assert levels() == {}


def test_a_record_of_another_unit_does_not_count(world, monthly):
    record(world, monthly.kind, datetime.date(2026, 11, 15), unit=world.finance)
    sweeps.reminders_sweep(day=DAY, organisation_ids=[world.org.pk])
    assert "head" in levels()


def test_a_record_from_this_month_does_not_fill_last_month(world, monthly):
    record(world, monthly.kind, datetime.date(2026, 12, 1))
    sweeps.reminders_sweep(day=DAY, organisation_ids=[world.org.pk])
    assert "head" in levels()


def test_quarterly_items_are_not_watched_monthly(world, monthly):
    monthly.frequency = "quarterly"
    monthly.save()
    sweeps.reminders_sweep(day=DAY, organisation_ids=[world.org.pk])
    assert levels() == {}
