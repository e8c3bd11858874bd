"""The administration site: superusers see all; an organisation's administrator only their own."""

import pytest
from django.urls import reverse

from accountability.models import Unit, User


@pytest.mark.django_db
class TestOrganisationAdministrator:
    def test_org_admin_enters_admin_without_staff_flag(self, login, world):
        assert not world.admin.is_staff
        assert login(world.admin).get(reverse("admin:index")).status_code == 200

    def test_org_admin_lists_only_own_units(self, login, world):
        body = login(world.admin).get(reverse("admin:accountability_unit_changelist")).content
        body = body.decode()
        assert "基建处" in body
        assert "另一处" not in body

    def test_org_admin_gets_404_for_unit_of_another_organisation(self, login, world):
        url = reverse("admin:accountability_unit_change", args=[world.other_unit.pk])
        response = login(world.admin).get(url)
        assert response.status_code == 302  # admin redirects "does not exist" to its index
        assert response["Location"] == reverse("admin:index")

    def test_org_admin_cannot_make_a_superuser(self, login, world):
        url = reverse("admin:accountability_user_change", args=[world.head.pk])
        body = login(world.admin).get(url).content.decode()
        assert 'name="is_superuser"' not in body

    def test_org_admin_cannot_delete_units(self, login, world):
        url = reverse("admin:accountability_unit_delete", args=[world.finance.pk])
        assert login(world.admin).post(url, {"post": "yes"}).status_code == 403
        assert Unit.objects.filter(pk=world.finance.pk).exists()

    def test_org_admin_renames_a_unit_and_history_keeps_who(self, login, world):
        url = reverse("admin:accountability_unit_change", args=[world.finance.pk])
        client = login(world.admin)
        form = {
            "organisation": world.org.pk,
            "parent": world.root.pk,
            "name": "计划财务处",
            "kind": "department",
            "order": 0,
            "head": world.outsider.pk,
            "is_active": "on",
        }
        response = client.post(url, form)
        assert response.status_code == 302, response.content.decode()[:2000]
        world.finance.refresh_from_db()
        assert world.finance.name == "计划财务处"
        assert world.finance.history.first().history_user == world.admin

    @pytest.mark.parametrize("who", ["office", "head", "leader", "inspector"])
    def test_other_roles_are_refused(self, client, world, who):
        client.force_login(getattr(world, who))
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]

    def test_org_admin_user_list_excludes_other_organisation(self, login, world):
        body = login(world.admin).get(reverse("admin:accountability_user_changelist")).content
        assert "钱外局" not in body.decode()
        assert User.objects.filter(full_name="钱外局").exists()
