"""Responsibility list and risk-point pages: progress against targets, copying a year, access."""

from datetime import date

import pytest
from django.urls import reverse

from accountability.models import ResponsibilityItem, ResponsibilityList, RiskPoint, WorkRecord

pytestmark = pytest.mark.django_db

ITEMS = reverse("accountability:responsibilityitem-list")
CREATE_ITEM = reverse("accountability:responsibilityitem-create")
COPY = reverse("accountability:responsibilitylist-copy")
RISKS = reverse("accountability:riskpoint-list")
CREATE_RISK = reverse("accountability:riskpoint-create")


def item_data(world, kinds, **overrides):
    data = {
        "area": "强化思想政治建设",
        "area_order": "1",
        "order": "2",
        "title": "每季度讲一次党课",
        "responsible_unit": world.works.pk,
        "kind": kinds["party_lecture"].pk,
        "target_count": "4",
        "frequency": "quarterly",
    }
    data.update(overrides)
    return data


class TestResponsibilityList:
    def test_progress_counts_the_years_records(self, login, world, items, kinds):
        for month in (1, 2, 3):
            WorkRecord.objects.create(
                organisation=world.org,
                unit=world.works,
                kind=kinds["theory_study"],
                date=date(2026, month, 5),
                title="学习",
            )
        response = login(world.head).get(f"{ITEMS}?year=2026")
        assert "3 / 12" in response.content.decode()

    def test_deleted_records_do_not_count(self, login, world, items, records):
        records.works.soft_delete()
        response = login(world.office).get(f"{ITEMS}?year=2026")
        assert "0 / 12" in response.content.decode()

    def test_other_organisations_items_are_not_shown(self, login, world, items):
        body = login(world.office).get(f"{ITEMS}?year=2026").content.decode()
        assert "另一局事项" not in body

    def test_anonymous_is_sent_to_login(self, client, items):
        assert client.get(ITEMS).status_code == 302

    def test_leader_cannot_add_items(self, login, world, kinds):
        assert login(world.leader).get(f"{CREATE_ITEM}?year=2026").status_code == 403

    def test_stranger_cannot_edit_another_organisations_item(self, login, world, items):
        url = reverse("accountability:responsibilityitem-update", args=[items.study.pk])
        assert login(world.stranger).get(url).status_code == 404

    def test_office_adds_item_creating_the_years_list(self, login, world, kinds):
        response = login(world.office).post(f"{CREATE_ITEM}?year=2027", item_data(world, kinds))
        assert response.status_code == 302
        item = ResponsibilityItem.objects.get(title="每季度讲一次党课")
        assert item.list.year == 2027 and item.list.organisation == world.org

    def test_target_that_is_not_a_number_is_refused(self, login, world, kinds):
        data = item_data(world, kinds, target_count="十二次")
        response = login(world.office).post(f"{CREATE_ITEM}?year=2027", data)
        assert "目标次数必须是数字" in response.content.decode()
        assert not ResponsibilityItem.objects.filter(title="每季度讲一次党课").exists()

    def test_copy_makes_next_years_list_in_one_action(self, login, world, items):
        response = login(world.office).post(f"{COPY}?year=2026", {"year": "2027"})
        assert response.status_code == 302
        copied = ResponsibilityList.objects.get(organisation=world.org, year=2027)
        assert list(copied.items.values_list("title", flat=True)) == [
            "理论中心组学习每年不少于12次"
        ]
        assert copied.items.get().history.count() == 1

    def test_copy_onto_an_existing_year_is_refused(self, login, world, items):
        ResponsibilityList.objects.create(organisation=world.org, year=2027)
        response = login(world.office).post(f"{COPY}?year=2026", {"year": "2027"}, follow=True)
        assert "2027年度的责任清单已存在" in response.content.decode()

    def test_head_cannot_copy(self, login, world, items):
        assert login(world.head).post(f"{COPY}?year=2026", {"year": "2027"}).status_code == 403


class TestRiskPoints:
    def test_filter_by_level(self, login, world, risks):
        body = login(world.office).get(f"{RISKS}?level=high").content.decode()
        assert "工程招投标" in body and "资金支付" not in body

    def test_head_sees_only_own_units_points(self, login, world, risks):
        body = login(world.head).get(RISKS).content.decode()
        assert "工程招投标" in body and "资金支付" not in body and "另一局岗位" not in body

    def test_outsider_gets_404(self, login, world, risks):
        url = reverse("accountability:riskpoint-detail", args=[risks.works.pk])
        assert login(world.outsider).get(url).status_code == 404

    def test_inspector_cannot_create(self, login, world):
        assert login(world.inspector).get(CREATE_RISK).status_code == 403

    def test_head_records_a_point_for_own_unit(self, login, world):
        data = {
            "unit": world.works.pk,
            "post": "工程变更审批",
            "description": "违规变更",
            "level": "high",
            "measures": "集体决策",
            "review_on": "2026-12-31",
        }
        response = login(world.head).post(CREATE_RISK, data)
        assert response.status_code == 302
        point = RiskPoint.objects.get(post="工程变更审批")
        assert point.organisation == world.org and point.history.get().history_user == world.head

    def test_head_cannot_record_for_another_unit(self, login, world):
        data = {
            "unit": world.finance.pk,
            "post": "支付",
            "description": "x",
            "level": "low",
            "measures": "y",
        }
        response = login(world.head).post(CREATE_RISK, data)
        assert "所选单位不在您的填报范围内" in response.content.decode()
        assert not RiskPoint.objects.filter(post="支付").exists()


BADGE = '<span class="badge text-bg-secondary">已停用</span>'


class TestRiskPointDeactivation:
    def _edit(self, point, **changes):
        data = {
            "unit": point.unit_id,
            "post": point.post,
            "description": point.description,
            "level": point.level,
            "measures": point.measures,
            "is_active": "on",
        }
        data.update(changes)
        return data

    def test_office_deactivates_a_point_and_the_ledger_drops_it(self, login, world, risks):
        client = login(world.office)
        url = reverse("accountability:riskpoint-update", args=[risks.works.pk])
        data = self._edit(risks.works)
        del data["is_active"]  # the box unticked
        assert client.post(url, data).status_code == 302
        risks.works.refresh_from_db()
        assert not risks.works.is_active
        assert risks.works.history.first().history_user == world.office

        ledger = client.get(RISKS).content.decode()
        assert "工程招投标" not in ledger and "资金支付" in ledger
        stopped = client.get(f"{RISKS}?status=inactive").content.decode()
        assert "工程招投标" in stopped and "资金支付" not in stopped
        assert BADGE in stopped and BADGE not in ledger
        everything = client.get(f"{RISKS}?status=all").content.decode()
        assert "工程招投标" in everything and "资金支付" in everything
        detail = client.get(reverse("accountability:riskpoint-detail", args=[risks.works.pk]))
        assert BADGE in detail.content.decode()

    def test_a_deactivated_point_can_be_restored(self, login, world, risks):
        RiskPoint.objects.filter(pk=risks.works.pk).update(is_active=False)
        url = reverse("accountability:riskpoint-update", args=[risks.works.pk])
        assert login(world.office).post(url, self._edit(risks.works)).status_code == 302
        risks.works.refresh_from_db()
        assert risks.works.is_active

    def test_a_new_point_has_no_status_box(self, login, world):
        body = login(world.office).get(CREATE_RISK).content.decode()
        assert 'name="is_active"' not in body

    def test_the_inactive_filter_keeps_scope(self, login, world, risks):
        RiskPoint.objects.filter(pk__in=[risks.finance.pk, risks.other.pk]).update(is_active=False)
        body = login(world.head).get(f"{RISKS}?status=all").content.decode()
        assert "工程招投标" in body and "资金支付" not in body and "另一局岗位" not in body
