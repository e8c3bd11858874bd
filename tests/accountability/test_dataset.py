"""The bench dataset generator: sizes, a usable cast, and rectification on top of it."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from accountability import dataset
from accountability.access import scope_for
from accountability.models import DutyLetter, Organisation, Role, User, WorkRecord
from rectification.models import Measure

TODAY = date(2026, 6, 30)


PER_YEAR = 40


@pytest.fixture
def generated(db):
    return dataset.generate(scale=1, seed=7, today=TODAY, records_per_year=PER_YEAR)


def test_scale_one_is_one_organisation_of_thirty_units(generated):
    assert generated["organisations"] == 1
    assert generated["units"] == dataset.UNITS_PER_ORGANISATION


def test_scale_one_has_five_years_of_work_records(generated):
    assert WorkRecord.objects.count() == dataset.YEARS * PER_YEAR
    years = set(WorkRecord.objects.dates("date", "year").values_list("date__year", flat=True))
    assert years == set(range(TODAY.year - 4, TODAY.year + 1))


def test_no_record_is_dated_after_today(generated):
    assert not WorkRecord.objects.filter(date__gt=TODAY).exists()


def test_unit_paths_put_units_under_their_root(generated):
    org = Organisation.objects.get()
    root = org.units.get(parent=None)
    assert org.units.filter(path__startswith=root.path).count() == dataset.UNITS_PER_ORGANISATION


def test_generated_office_user_writes_the_whole_organisation(generated):
    office = User.objects.get(role_assignments__role=Role.OFFICE)
    scope = scope_for(office)
    assert len(scope.writable_unit_ids) == dataset.UNITS_PER_ORGANISATION


def test_letters_are_one_per_unit_and_year(generated):
    units_below_root = dataset.UNITS_PER_ORGANISATION - 1
    assert DutyLetter.objects.count() == units_below_root * dataset.YEARS


def _rows(organisation):
    return list(
        WorkRecord.objects.filter(organisation=organisation)
        .order_by("pk")
        .values_list("date", "title", "participant_count", "unit__name", "kind__code")
    )


def test_same_seed_gives_the_same_records(db):
    first = dataset.generate(scale=1, seed=7, today=TODAY, records_per_year=PER_YEAR)
    second = dataset.generate(scale=1, seed=7, today=TODAY, records_per_year=PER_YEAR)
    [org_a], [org_b] = first["context"]["organisations"], second["context"]["organisations"]
    assert org_a.pk != org_b.pk
    assert _rows(org_a) == _rows(org_b)


def test_command_generates_rectification_measures_too(db):
    call_command("generate_dataset", "--scale", "0.02", "--seed", "5")
    assert Organisation.objects.exclude(code="bench-5-supervisor").count() == 1
    assert Measure.objects.exists()


def test_command_puts_a_supervising_body_above_the_organisations(db):
    call_command("generate_dataset", "--scale", "0.02", "--seed", "5")
    body = Organisation.objects.get(code="bench-5-supervisor")
    bureau = Organisation.objects.exclude(pk=body.pk).get()
    assert bureau.supervisor == body and bureau.path == f"{body.path}{bureau.pk:06d}."
    for key in ("office", "leader", "inspector"):
        scope = scope_for(User.objects.get(username=f"gw-5-{key}"))
        assert scope.supervised_org_ids == {bureau.pk}, key
    assert not User.objects.filter(username__startswith="bench-", organisation=body).exists()


def test_command_refuses_a_database_that_already_has_the_seed(db):
    call_command("generate_dataset", "--scale", "0.02", "--seed", "5")
    with pytest.raises(CommandError):
        call_command("generate_dataset", "--scale", "0.02", "--seed", "5")
