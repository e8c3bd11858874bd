"""The demo data: a live mix of states, and running it twice changes nothing."""

import datetime

import pytest

from accountability import demo as accountability_demo
from rectification import demo
from rectification.models import Finding, Inspection, Measure, ProgressUpdate

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


def test_water_bureau_city_inspection_has_four_aspects(seeded):
    inspection = Inspection.objects.get(source="市委第三巡察组")
    aspects = set(inspection.findings.values_list("aspect", flat=True))
    assert len(aspects) == 4


def test_water_bureau_has_the_mix_of_states(seeded):
    org = seeded["sw"].organisation
    measures = Measure.objects.filter(
        organisation=org, finding__inspection__source="市委第三巡察组"
    )
    closed = measures.filter(state=S.CLOSED).count()
    assert closed > measures.count() / 2
    assert measures.overdue(TODAY).count() >= 2
    assert measures.filter(state=S.CLOSURE_REQUESTED).count() == 1
    assert measures.exclude(return_reason="").filter(state=S.IN_PROGRESS).count() == 1
    assert measures.followup_due(TODAY).count() == 1


def test_provincial_tour_names_the_maguan_case(seeded):
    tour = Inspection.objects.get(kind=Inspection.Kind.TOUR, organisation=seeded["sw"].organisation)
    assert tour.year == 2021
    assert tour.findings.filter(description__contains="马关围涂工程串通投标").exists()
    assert not tour.findings.with_status().filter(rectified=False).exists()


def test_timeline_entries_are_dated_back(seeded):
    first = ProgressUpdate.objects.filter(measure__finding__inspection__year=2021).order_by("at")
    assert first.first().at.year == 2021


def test_seeding_twice_changes_nothing(seeded):
    counts = (Inspection.objects.count(), Finding.objects.count(), Measure.objects.count())
    updates = ProgressUpdate.objects.count()
    demo.seed(accountability_demo.seed(), today=TODAY)
    assert (Inspection.objects.count(), Finding.objects.count(), Measure.objects.count()) == counts
    assert ProgressUpdate.objects.count() == updates


def test_river_bureau_gets_a_smaller_round(seeded):
    org = seeded["cjhd"].organisation
    assert 0 < Measure.objects.filter(organisation=org).count() < 10
