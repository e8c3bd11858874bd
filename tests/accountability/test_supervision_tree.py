"""Organisations in a tree of supervision: a body reads below itself, nobody reads a sibling."""

import pytest
from django.core.exceptions import ValidationError

from accountability.access import scope_for
from accountability.models import Organisation, Role, Unit
from tests.factories import OrganisationFactory, UnitFactory, UserFactory


@pytest.fixture
def city(world):
    """A city body above the test bureau and its neighbour; a district body between them."""
    body = OrganisationFactory(code="city", name="市直机关工委", short_name="市直机关")
    body_root = UnitFactory(organisation=body, name="工委机关", kind="bureau")
    district = OrganisationFactory(code="district", name="区机关工委", short_name="区机关")
    UnitFactory(organisation=district, name="区工委机关", kind="bureau")
    district.supervisor = body
    district.save()
    world.org.supervisor = district
    world.org.save()
    world.other_org.supervisor = body
    world.other_org.save()
    world.body, world.district = body, district
    world.body_office = UserFactory(
        username="body_office", full_name="许工委", unit=body_root, roles=[Role.OFFICE]
    )
    world.body_admin = UserFactory(
        username="body_admin", full_name="冯工委", unit=body_root, roles=[Role.ADMIN]
    )
    return world


@pytest.mark.django_db
class TestTree:
    def test_paths_follow_the_supervisor_and_a_move_rewrites_the_subtree(self, city):
        org = Organisation.objects.get(pk=city.org.pk)
        assert org.path == f"{city.body.pk:06d}.{city.district.pk:06d}.{org.pk:06d}."
        city.district.supervisor = None
        city.district.save()
        org.refresh_from_db()
        assert org.path == f"{city.district.pk:06d}.{org.pk:06d}."
        assert set(city.body.below()) == {city.other_org}

    def test_an_organisation_cannot_be_made_its_own_ancestor(self, city):
        city.body.supervisor = city.org
        with pytest.raises(ValidationError) as raised:
            city.body.full_clean()
        assert "上级党组织" in str(raised.value) or "不能把" in str(raised.value)
        city.body.supervisor = city.body
        with pytest.raises(ValidationError):
            city.body.full_clean()


@pytest.mark.django_db
class TestSupervisedScope:
    def test_the_body_office_reads_every_organisation_below_at_any_depth(self, city):
        scope = scope_for(city.body_office)
        assert scope.supervised_org_ids == {city.district.pk, city.org.pk, city.other_org.pk}
        assert city.body.pk not in scope.supervised_org_ids

    def test_supervised_rows_appear_only_when_asked_for_and_never_for_writing(self, city):
        scope = scope_for(city.body_office)
        units = Unit.objects.all()
        assert not scope.filter(units, unit_field=None, org_field="organisation").filter(
            organisation=city.org
        )
        read = scope.filter(units, unit_field=None, org_field="organisation", supervised=True)
        assert read.filter(organisation=city.org).count() == 4
        written = scope.filter(
            units, unit_field=None, org_field="organisation", write=True, supervised=True
        )
        assert not written.filter(organisation=city.org).exists()

    def test_nobody_below_reads_a_sibling_or_the_body(self, city):
        for person in (city.office, city.principal, city.inspector, city.stranger):
            scope = scope_for(person)
            assert scope.supervised_org_ids == set()
            assert not scope.filter(
                Unit.objects.filter(
                    organisation=city.other_org if person != city.stranger else city.org
                ),
                unit_field=None,
                org_field="organisation",
                supervised=True,
            ).exists()

    def test_the_body_administrator_reads_nothing_below(self, city):
        assert scope_for(city.body_admin).supervised_org_ids == set()
