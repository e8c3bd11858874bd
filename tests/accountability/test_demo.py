"""The demo data: modelled on the seed reports, deterministic and idempotent."""

import pytest
from django.db.models import Sum

from accountability import demo
from accountability.models import DutyLetter, ResponsibilityItem, WorkRecord

from ..conftest import kept_for_the_module


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    with kept_for_the_module(django_db_blocker):
        yield demo.seed()


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once


def _records(code, year=2021, org="sw"):
    return WorkRecord.objects.filter(organisation__code=org, kind__code=code, date__year=year)


def test_seeding_twice_creates_nothing_new(seeded):
    before = (WorkRecord.all_objects.count(), DutyLetter.objects.count())
    demo.seed()
    assert (WorkRecord.all_objects.count(), DutyLetter.objects.count()) == before


def test_sw_2021_has_twelve_theory_study_sessions(seeded):
    assert _records("theory_study").count() == 12


def test_sw_2021_has_two_party_group_meetings_and_two_integrity_analyses(seeded):
    assert _records("party_group_meeting").count() == 2
    assert _records("integrity_analysis").count() == 2


def test_sw_2021_integrity_talks_reach_about_fifty_key_post_staff(seeded):
    total = _records("integrity_talk").aggregate(n=Sum("participant_count"))["n"]
    assert 45 <= total <= 55


def test_sw_2021_admonition_talks_are_about_thirty_person_times(seeded):
    assert _records("admonition_talk").aggregate(n=Sum("participant_count"))["n"] == 30


def test_sw_2021_rules_carry_the_reports_titles(seeded):
    titles = " ".join(_records("rule_issued").values_list("title", flat=True))
    assert "《水利工程项目建设监管办法（试行）》" in titles
    assert "《局经费支出管理办法》" in titles


def test_sw_2021_letters_signed_by_most_units_with_a_few_missing(seeded):
    letters = list(DutyLetter.objects.filter(organisation__code="sw", year=2021))
    missing = [letter for letter in letters if letter.status == DutyLetter.Status.MISSING]
    assert 1 <= len(missing) <= 4
    assert len(missing) < len(letters) / 2


def test_sw_2021_responsibility_list_has_the_seven_areas(seeded):
    areas = set(
        ResponsibilityItem.objects.filter(
            list__organisation__code="sw", list__year=2021
        ).values_list("area", flat=True)
    )
    assert len(areas) == 7


def test_sw_2021_theory_study_item_is_complete(seeded):
    item = (
        ResponsibilityItem.objects.with_progress()
        .filter(list__organisation__code="sw", list__year=2021, kind__code="theory_study")
        .get()
    )
    assert item.done_count == item.target_count == 12


def test_cjhd_has_its_2023_records(seeded):
    assert _records("theory_study", year=2023, org="cjhd").count() == 12
    assert _records("rule_issued", year=2023, org="cjhd").count() == 4


def test_seed_returns_both_bureaus_and_the_body_they_report_to(seeded):
    assert set(seeded) == {"sw", "cjhd", "szjg"}
    body = seeded["szjg"].organisation
    assert {seeded[c].organisation.supervisor_id for c in ("sw", "cjhd")} == {body.pk}
    assert set(body.below().values_list("code", flat=True)) == {"sw", "cjhd"}
    assert seeded["sw"].people["dangban"].username == "dangban"
    assert [a.username for a in demo.demo_accounts()][:2] == ["dangban", "chuzhang"]
