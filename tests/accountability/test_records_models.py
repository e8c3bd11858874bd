"""Invariants of the year's records."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accountability.models import (
    DutyLetter,
    ResponsibilityItem,
    ResponsibilityList,
    WorkRecord,
    WorkRecordKind,
)


@pytest.fixture
def kinds(world):
    return WorkRecordKind.ensure_presets(world.org)


def record(world, kind, day, **fields):
    return WorkRecord.objects.create(
        organisation=world.org, unit=world.works, kind=kind, date=day, title="学习", **fields
    )


@pytest.mark.django_db
class TestKinds:
    def test_presets_are_created_once(self, world):
        first = WorkRecordKind.ensure_presets(world.org)
        second = WorkRecordKind.ensure_presets(world.org)
        assert len(first) == len(WorkRecordKind.PRESETS) == len(second)
        assert WorkRecordKind.objects.filter(organisation=world.org).count() == len(first)

    def test_kind_of_another_organisation_is_refused(self, world, kinds):
        other = WorkRecordKind.ensure_presets(world.other_org)["theory_study"]
        rec = WorkRecord(
            organisation=world.org, unit=world.works, kind=other, date=date(2026, 3, 1), title="x"
        )
        with pytest.raises(ValidationError) as error:
            rec.full_clean()
        assert "kind" in error.value.message_dict


@pytest.mark.django_db
class TestProgress:
    def test_progress_counts_records_of_the_kind_in_the_year_only(self, world, kinds):
        study = kinds["theory_study"]
        plan = ResponsibilityList.objects.create(organisation=world.org, year=2026)
        item = ResponsibilityItem.objects.create(
            list=plan, area="思想政治建设", title="理论学习", kind=study, target_count=12
        )
        for month in (1, 2, 3):
            record(world, study, date(2026, month, 10))
        record(world, study, date(2025, 12, 10))  # another year
        record(world, kinds["party_lecture"], date(2026, 4, 1))  # another kind
        record(world, study, date(2026, 5, 1)).soft_delete()  # deleted
        assert ResponsibilityItem.objects.with_progress().get(pk=item.pk).done_count == 3

    def test_progress_adds_records_linked_explicitly(self, world, kinds):
        plan = ResponsibilityList.objects.create(organisation=world.org, year=2026)
        item = ResponsibilityItem.objects.create(
            list=plan, area="作风建设", title="督查", target_count=2
        )
        linked = record(world, kinds["supervision"], date(2026, 6, 1))
        linked.responsibility_items.add(item)
        assert ResponsibilityItem.objects.with_progress().get(pk=item.pk).done_count == 1

    def test_an_item_must_stay_within_its_lists_organisation(self, world, kinds):
        plan = ResponsibilityList.objects.create(organisation=world.org, year=2026)
        item = ResponsibilityItem(
            list=plan,
            area="作风建设",
            title="督查",
            responsible_unit=world.other_unit,
            kind=WorkRecordKind.ensure_presets(world.other_org)["supervision"],
            lead_leader=world.stranger,
        )
        with pytest.raises(ValidationError) as error:
            item.full_clean()
        assert set(error.value.message_dict) == {"responsible_unit", "kind", "lead_leader"}
        item.responsible_unit, item.kind, item.lead_leader = world.works, kinds["supervision"], None
        item.full_clean()  # the same item inside its organisation is valid


@pytest.mark.django_db
class TestLetters:
    def letter(self, world, **fields):
        return DutyLetter(
            organisation=world.org,
            year=2026,
            unit=world.works,
            title="责任书",
            issued_on=date(2026, 2, 1),
            due_on=date(2026, 3, 1),
            **fields,
        )

    def test_status_follows_dates(self, world):
        letter = self.letter(world)
        assert letter.status_on(date(2026, 2, 15)) == "issued"
        assert letter.status_on(date(2026, 3, 2)) == "missing"
        letter.signed_on, letter.signatory = date(2026, 2, 20), "张处长"
        assert letter.status_on(date(2026, 3, 2)) == "signed"

    def test_signed_letter_needs_a_signatory_in_the_database(self, world):
        letter = self.letter(world, signed_on=date(2026, 2, 20))
        with pytest.raises(IntegrityError), transaction.atomic():
            letter.save()

    def test_signing_before_issue_is_refused(self, world):
        letter = self.letter(world, signed_on=date(2026, 1, 20), signatory="张处长")
        with pytest.raises(ValidationError) as error:
            letter.full_clean()
        assert "signed_on" in error.value.message_dict
