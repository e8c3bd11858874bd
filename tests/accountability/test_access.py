"""The access helper: one answer to "who may see and change this"."""

import pytest
from django.core.exceptions import PermissionDenied

from accountability.access import scope_for
from accountability.models import Unit, User


def visible(user, world):
    return set(scope_for(user).readable_units().values_list("name", flat=True))


@pytest.mark.django_db
class TestReadScope:
    def test_office_sees_every_unit_of_its_organisation_and_nothing_else(self, world):
        assert visible(world.office, world) == {"局机关", "基建处", "工程科", "财务处"}

    def test_unit_head_sees_own_unit_and_units_below_only(self, world):
        assert visible(world.head, world) == {"基建处", "工程科"}

    def test_head_of_another_unit_sees_none_of_works(self, world):
        assert visible(world.outsider, world) == {"财务处"}

    def test_leader_in_charge_sees_the_units_in_charge(self, world):
        assert visible(world.leader, world) == {"基建处", "工程科"}

    def test_principal_leader_sees_whole_organisation(self, world):
        assert visible(world.principal, world) == {"局机关", "基建处", "工程科", "财务处"}

    def test_inspector_sees_whole_organisation(self, world):
        assert "财务处" in visible(world.inspector, world)
        assert "另一处" not in visible(world.inspector, world)

    def test_office_of_another_organisation_sees_only_its_own(self, world):
        assert visible(world.stranger, world) == {"另一局机关", "另一处"}

    def test_user_without_roles_sees_nothing(self, world):
        nobody = User.objects.create_user(
            "nobody", password="x", full_name="无角色", unit=world.works
        )
        assert visible(nobody, world) == set()

    def test_inactive_user_sees_nothing(self, world):
        world.office.is_active = False
        world.office.save()
        assert visible(world.office, world) == set()


@pytest.mark.django_db
class TestFilter:
    def test_filter_by_unit_field_keeps_rows_in_scope_only(self, world):
        people = scope_for(world.head).filter(User.objects.all(), unit_field="unit")
        assert set(people.values_list("username", flat=True)) == {"head"}

    def test_filter_for_office_uses_organisation_and_excludes_other_organisation(self, world):
        people = scope_for(world.office).filter(User.objects.all(), unit_field="unit")
        names = set(people.values_list("username", flat=True))
        assert "stranger" not in names
        assert {"office", "head", "outsider"} <= names

    def test_write_filter_excludes_read_only_rows(self, world):
        writable = scope_for(world.leader).filter(
            Unit.objects.all(), unit_field=None, org_field="organisation", write=True
        )
        assert not writable.exists()

    def test_filter_query_count_does_not_depend_on_tree_size(self, world):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def count():
            with CaptureQueriesContext(connection) as ctx:
                list(scope_for(world.head).filter(User.objects.all(), unit_field="unit"))
            return len(ctx)

        before = count()
        for n in range(20):
            Unit.objects.create(
                organisation=world.org,
                parent=world.works_section,
                name=f"小组{n}",
                kind="department",
            )
        assert count() == before


@pytest.mark.django_db
class TestWrite:
    def test_head_may_write_own_unit_and_below(self, world):
        scope = scope_for(world.head)
        scope.require_write(unit=world.works)
        scope.require_write(unit=world.works_section)

    def test_head_may_not_write_another_unit(self, world):
        with pytest.raises(PermissionDenied):
            scope_for(world.head).require_write(unit=world.finance)

    @pytest.mark.parametrize("who", ["leader", "principal", "inspector"])
    def test_read_only_roles_may_not_write(self, world, who):
        with pytest.raises(PermissionDenied):
            scope_for(getattr(world, who)).require_write(unit=world.works)

    def test_office_may_write_whole_organisation_but_not_another(self, world):
        scope = scope_for(world.office)
        scope.require_write(unit=world.finance)
        scope.require_write(organisation=world.org)
        with pytest.raises(PermissionDenied):
            scope.require_write(unit=world.other_unit)


@pytest.mark.django_db
class TestUnitTree:
    def test_moving_a_unit_moves_its_subtree(self, world):
        world.works.parent = world.finance
        world.works.save()
        world.works_section.refresh_from_db()
        assert world.works_section.path.startswith(world.finance.path)
        assert set(world.finance.descendants().values_list("name", flat=True)) == {
            "财务处",
            "基建处",
            "工程科",
        }

    def test_a_unit_cannot_move_below_itself(self, world):
        from django.core.exceptions import ValidationError

        world.works.parent = world.works_section
        with pytest.raises(ValidationError):
            world.works.full_clean()
