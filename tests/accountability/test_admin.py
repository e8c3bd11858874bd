"""The administration site: superusers see all; an organisation's administrator only their own."""

import datetime
import re

import pytest
from django.urls import reverse

from accountability.models import Organisation, Unit, User, WorkRecord, WorkRecordKind


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

    def test_org_admin_finds_their_organisation_chosen_on_add_pages(self, login, world):
        client = login(world.admin)
        for model in ("user", "unit"):
            page = client.get(reverse(f"admin:accountability_{model}_add")).content.decode()
            chosen = re.search(r'<option value="(\d+)" selected>', page)
            assert chosen and int(chosen.group(1)) == world.org.pk, model

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


@pytest.mark.django_db
class TestNewOrganisation:
    """An organisation created on the admin site starts with the standard work-record kinds:
    its office can enter records at once and the report presets' figures resolve."""

    def test_it_gets_the_preset_kinds_named_in_chinese(self, login):
        from accountability.models import Organisation, WorkRecordKind
        from tests.factories import UserFactory

        root = UserFactory(username="root", is_superuser=True, is_staff=True)
        client = login(root)
        client.cookies["django_language"] = "en"  # the names are data: Chinese all the same
        response = client.post(
            reverse("admin:accountability_organisation_add"),
            {
                "code": "swj",
                "name": "某市税务局",
                "short_name": "市税务局",
                "body_type": "party_committee",
                "sector": "税务",
                "principal_leader": "",
                "supervisor": "",
            },
        )
        assert response.status_code == 302
        org = Organisation.objects.get(code="swj")
        kinds = WorkRecordKind.objects.filter(organisation=org).order_by("order")
        assert [(k.code, k.name) for k in kinds][:2] == [
            ("theory_study", "理论中心组学习"),
            ("party_lecture", "党课"),
        ]
        assert kinds.count() == len(WorkRecordKind.PRESETS)
        # A 党委's own meetings are the 党委's, not a 党组's.
        assert kinds.get(code="party_group_meeting").name == "党委会议专题研究"

    def test_the_migration_gives_them_to_organisations_that_have_none(self, world):
        from importlib import import_module

        from django.apps import apps

        from accountability.models import WorkRecordKind

        WorkRecordKind.objects.create(organisation=world.other_org, code="own", name="自定义")
        world.org.body_type = "general_branch"
        world.org.save()
        migration = import_module(
            "accountability.migrations.0009_preset_kinds_for_organisations_without_any"
        )
        migration.preset_kinds(apps, None)
        codes = set(
            WorkRecordKind.objects.filter(organisation=world.org).values_list("code", flat=True)
        )
        assert codes == {code for code, _name in WorkRecordKind.PRESETS}
        assert [k.name for k in WorkRecordKind.objects.filter(organisation=world.org)][0] == (
            "理论中心组学习"
        )
        meeting = WorkRecordKind.objects.get(organisation=world.org, code="party_group_meeting")
        assert meeting.name == "党总支会议专题研究"
        # An organisation with a kind of its own keeps exactly the kinds it has.
        assert list(
            WorkRecordKind.objects.filter(organisation=world.other_org).values_list(
                "code", flat=True
            )
        ) == ["own"]


@pytest.mark.django_db
class TestDeletingAnOrganisation:
    """A superuser can take back an organisation set up by mistake (its preset kinds go with
    it); one that holds records stays, and the page says what holds it."""

    @pytest.fixture
    def client(self, login, world):
        superuser = User.objects.create_superuser("root", "r@example.org", "x", full_name="超级")
        return login(superuser)

    def _add(self, client):
        add = reverse("admin:accountability_organisation_add")
        form = {"code": "wsjw", "name": "市卫生健康委员会", "body_type": "party_group"}
        assert client.post(add, form).status_code == 302
        org = Organisation.objects.get(code="wsjw")
        assert WorkRecordKind.objects.filter(organisation=org).count() == len(
            WorkRecordKind.PRESETS
        )
        return org

    def test_one_set_up_by_mistake_is_deleted_with_its_preset_kinds(self, client):
        org = self._add(client)
        url = reverse("admin:accountability_organisation_delete", args=[org.pk])
        page = client.get(url).content.decode()
        assert "无法删除" not in page and "理论中心组学习" in page
        assert client.post(url, {"post": "yes"}).status_code == 302
        assert not Organisation.objects.filter(pk=org.pk).exists()
        assert not WorkRecordKind.objects.filter(organisation_id=org.pk).exists()
        assert Organisation.history.filter(id=org.pk, history_type="-").exists()

    def test_one_with_a_record_stays(self, client):
        org = self._add(client)
        root = Unit.objects.create(organisation=org, name="市卫生健康委员会机关", kind="bureau")
        WorkRecord.objects.create(
            organisation=org,
            unit=root,
            kind=WorkRecordKind.objects.filter(organisation=org).first(),
            date=datetime.date(2026, 3, 1),
            title="党组会议专题研究全面从严治党工作",
        )
        url = reverse("admin:accountability_organisation_delete", args=[org.pk])
        page = client.get(url).content.decode()
        assert "无法删除" in page and "党组会议专题研究全面从严治党工作" in page
        client.post(url, {"post": "yes"})
        assert Organisation.objects.filter(pk=org.pk).exists()
        assert WorkRecordKind.objects.filter(organisation=org).count() == len(
            WorkRecordKind.PRESETS
        )
