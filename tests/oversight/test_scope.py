"""``Scope.reading``: the read-only scope the drill-down runs the organisations' views with."""

from accountability.access import scope_for


def test_it_reads_only_organisations_the_person_supervises(city):
    scope = scope_for(city.body_office).reading([city.org.pk, city.body.pk, 999_999])
    assert scope.full_read_org_ids == {city.org.pk}
    assert scope.organisation_ids == {city.org.pk}


def test_it_writes_nothing_and_holds_no_role(city):
    scope = scope_for(city.body_inspector).reading([city.org.pk])
    assert not scope.can_write_anything
    assert not scope.can_write_unit(city.works)
    assert not scope.has_role("inspector") and scope.role_set == frozenset()
    assert scope.user_id is None and not scope.is_superuser


def test_someone_who_supervises_nothing_reads_nothing(city):
    for person in (city.office, city.stranger, city.body_admin):
        assert scope_for(person).reading([city.org.pk]).full_read_org_ids == frozenset()


def test_only_a_body_with_organisations_below_has_supervising_paths(city):
    assert scope_for(city.body_leader).supervising_paths == (city.body.path,)
    assert scope_for(city.office).supervising_paths == ()  # an office, but nothing below
    assert scope_for(city.body_admin).supervising_paths == ()  # below, but not a reading role
