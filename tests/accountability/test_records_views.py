"""Work-record pages: who may see and change what, entry, evidence, soft delete, export."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accountability.models import (
    ResponsibilityItem,
    ResponsibilityList,
    WorkRecord,
    WorkRecordEvidence,
)

from .conftest import PDF

pytestmark = pytest.mark.django_db

LIST = reverse("accountability:workrecord-list")
CREATE = reverse("accountability:workrecord-create")
MONTH = reverse("accountability:workrecord-month")


def detail(record):
    return reverse("accountability:workrecord-detail", args=[record.pk])


def stored_files(folder):
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def form_data(world, kinds, **overrides):
    data = {
        "date": "2026-03-10",
        "unit": world.works.pk,
        "kind": kinds["theory_study"].pk,
        "title": "党组理论学习中心组第三次集中学习",
        "participant_count": "12",
        "description": "学习贯彻全会精神",
    }
    data.update(overrides)
    return data


class TestPermissions:
    def test_anonymous_is_sent_to_login(self, client, records):
        response = client.get(LIST)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_outsider_of_another_unit_gets_404_on_the_record(self, login, world, records):
        assert login(world.outsider).get(detail(records.works)).status_code == 404

    def test_stranger_of_another_organisation_gets_404(self, login, world, records):
        assert login(world.stranger).get(detail(records.works)).status_code == 404

    def test_list_shows_only_records_in_scope(self, login, world, records):
        body = login(world.head).get(LIST).content.decode()
        assert "基建处理论学习" in body
        assert "财务处廉政谈话" not in body and "另一局学习" not in body

    def test_leader_may_read_but_not_write(self, login, world, records):
        client = login(world.leader)
        assert client.get(detail(records.works)).status_code == 200
        assert client.get(CREATE).status_code == 403
        update = reverse("accountability:workrecord-update", args=[records.works.pk])
        assert client.post(update, {}).status_code == 403

    def test_inspector_cannot_delete(self, login, world, records):
        url = reverse("accountability:workrecord-delete", args=[records.works.pk])
        assert login(world.inspector).post(url).status_code == 403
        assert WorkRecord.objects.filter(pk=records.works.pk).exists()

    def test_head_edits_own_unit_record(self, login, world, records):
        url = reverse("accountability:workrecord-update", args=[records.works.pk])
        assert login(world.head).get(url).status_code == 200

    def test_head_cannot_edit_another_units_record(self, login, world, records):
        url = reverse("accountability:workrecord-update", args=[records.finance.pk])
        assert login(world.head).get(url).status_code == 404

    def test_outsider_cannot_download_evidence(self, login, world, records):
        evidence = WorkRecordEvidence.from_upload(
            SimpleUploadedFile("纪要.pdf", PDF), by=world.office, record=records.works
        )
        evidence.save()
        url = reverse("accountability:workrecord-evidence", args=[evidence.pk])
        assert login(world.outsider).get(url).status_code == 404
        assert login(world.stranger).get(url).status_code == 404
        response = login(world.head).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF

    def test_month_view_of_unreadable_unit_is_404(self, login, world, records):
        url = f"{MONTH}?unit={world.finance.pk}&month=2026-03"
        assert login(world.head).get(url).status_code == 404

    def test_leader_cannot_quick_add_in_month_view(self, login, world, kinds):
        url = f"{MONTH}?unit={world.works.pk}&month=2026-03"
        response = login(world.leader).post(url, {"date": "2026-03-02", "title": "x"})
        assert response.status_code == 403


class TestEntry:
    def test_office_creates_record_with_evidence_and_history(self, login, world, kinds):
        data = form_data(world, kinds)
        data["evidence"] = [SimpleUploadedFile("学习记录.pdf", PDF)]
        response = login(world.office).post(CREATE, data)
        record = WorkRecord.objects.get(title=data["title"])
        assert response.status_code == 302
        assert record.evidence.get().original_name == "学习记录.pdf"
        assert record.history.get().history_user == world.office

    def test_unit_outside_scope_is_refused_in_chinese(self, login, world, kinds, evidence_storage):
        data = form_data(world, kinds, unit=world.finance.pk)
        data["evidence"] = [SimpleUploadedFile("a.pdf", PDF)]
        response = login(world.head).post(CREATE, data)
        assert response.status_code == 200
        assert "所选单位不在您的填报范围内" in response.content.decode()
        assert not WorkRecord.objects.exists()
        assert stored_files(evidence_storage) == []

    def test_kind_of_another_organisation_is_not_a_choice(self, login, world, kinds, other_kinds):
        data = form_data(world, kinds, kind=other_kinds["theory_study"].pk)
        response = login(world.office).post(CREATE, data)
        assert response.status_code == 200 and not WorkRecord.objects.exists()

    def test_renamed_executable_is_refused_and_nothing_written(
        self, login, world, kinds, evidence_storage
    ):
        data = form_data(world, kinds)
        data["evidence"] = [SimpleUploadedFile("会议纪要.pdf", b"MZ\x90\x00" + b"\x00" * 200)]
        response = login(world.office).post(CREATE, data)
        assert "文件类型不受支持" in response.content.decode()
        assert not WorkRecord.objects.exists()
        assert stored_files(evidence_storage) == []

    def test_wrong_extension_for_content_is_refused(self, login, world, kinds, evidence_storage):
        data = form_data(world, kinds)
        data["evidence"] = [SimpleUploadedFile("照片.jpg", PDF)]
        response = login(world.office).post(CREATE, data)
        assert "内容与扩展名不符" in response.content.decode()
        assert not WorkRecord.objects.exists() and stored_files(evidence_storage) == []

    def test_file_over_the_limit_is_refused(self, login, world, kinds, settings, evidence_storage):
        settings.EVIDENCE_MAX_BYTES = 1024 * 1024
        data = form_data(world, kinds)
        data["evidence"] = [SimpleUploadedFile("大.pdf", PDF + b"0" * (1024 * 1024))]
        response = login(world.office).post(CREATE, data)
        assert "超过 1 MB 的大小上限" in response.content.decode()
        assert not WorkRecord.objects.exists() and stored_files(evidence_storage) == []

    def test_participant_count_must_be_a_number(self, login, world, kinds):
        response = login(world.office).post(
            CREATE, form_data(world, kinds, participant_count="十二")
        )
        assert "参加人数必须是整数" in response.content.decode()
        assert not WorkRecord.objects.exists()

    def test_date_outside_linked_list_year_is_refused(self, login, world, kinds, items):
        data = form_data(world, kinds, date="2025-12-30", responsibility_items=[items.study.pk])
        response = login(world.office).post(CREATE, data)
        assert "日期不在所落实责任清单的年度" in response.content.decode()
        assert not WorkRecord.objects.exists()

    def test_duplicate_prefills_the_form_from_an_earlier_record(self, login, world, records):
        response = login(world.head).get(f"{CREATE}?from={records.works.pk}")
        assert 'value="基建处理论学习"' in response.content.decode()

    def test_duplicate_of_an_unreadable_record_is_404(self, login, world, records):
        assert login(world.head).get(f"{CREATE}?from={records.finance.pk}").status_code == 404


class TestMonthView:
    def url(self, world):
        return f"{MONTH}?unit={world.works.pk}&month=2026-03"

    def test_month_lists_that_units_records_of_the_month(self, login, world, records, kinds):
        WorkRecord.objects.create(
            organisation=world.org,
            unit=world.works,
            kind=kinds["party_lecture"],
            date=date(2026, 4, 1),
            title="四月党课",
        )
        body = login(world.head).get(self.url(world)).content.decode()
        assert "基建处理论学习" in body and "四月党课" not in body

    def test_quick_add_through_htmx_returns_the_panel(self, login, world, kinds):
        data = {
            "date": "2026-03-20",
            "kind": kinds["heart_talk"].pk,
            "title": "谈心谈话",
            "participant_count": "3",
            "evidence": [SimpleUploadedFile("记录.png", _png())],
        }
        response = login(world.head).post(self.url(world), data, HTTP_HX_REQUEST="true")
        body = response.content.decode()
        assert response.status_code == 200 and 'id="month-panel"' in body and "<html" not in body
        record = WorkRecord.objects.get(title="谈心谈话")
        assert record.unit == world.works and record.evidence.count() == 1

    def test_quick_add_with_a_date_in_another_month_is_refused(self, login, world, kinds):
        data = {
            "date": "2026-05-02",
            "kind": kinds["heart_talk"].pk,
            "title": "错月",
            "participant_count": "1",
        }
        response = login(world.head).post(self.url(world), data, HTTP_HX_REQUEST="true")
        assert "日期必须在2026-03内" in response.content.decode()
        assert not WorkRecord.objects.exists()

    def _item(self, world, year, title):
        plan, _ = ResponsibilityList.objects.get_or_create(organisation=world.org, year=year)
        return ResponsibilityItem.objects.create(list=plan, area="作风建设", title=title)

    def test_quick_add_links_a_responsibility_item_of_the_year(self, login, world, kinds):
        item = self._item(world, 2026, "开展警示教育")
        self._item(world, 2025, "去年的事项")
        other = ResponsibilityList.objects.create(organisation=world.other_org, year=2026)
        ResponsibilityItem.objects.create(list=other, area="作风建设", title="另一局事项")
        client = login(world.head)
        body = client.get(self.url(world)).content.decode()
        assert "开展警示教育" in body and "去年的事项" not in body and "另一局事项" not in body
        data = {
            "date": "2026-03-20",
            "kind": kinds["heart_talk"].pk,
            "title": "警示教育大会",
            "participant_count": "30",
            "responsibility_item": item.pk,
        }
        assert client.post(self.url(world), data).status_code == 302
        record = WorkRecord.objects.get(title="警示教育大会")
        assert list(record.responsibility_items.all()) == [item]
        done = ResponsibilityItem.objects.with_progress().get(pk=item.pk).done_count
        assert done == 1

    def test_quick_add_refuses_an_item_of_another_year(self, login, world, kinds):
        stale = self._item(world, 2025, "去年的事项")
        data = {
            "date": "2026-03-20",
            "kind": kinds["heart_talk"].pk,
            "title": "错年",
            "participant_count": "1",
            "responsibility_item": stale.pk,
        }
        response = login(world.head).post(self.url(world), data)
        assert "所选责任事项不在本单位该年度的责任清单内" in response.content.decode()
        assert not WorkRecord.objects.exists()


class TestSoftDelete:
    def test_delete_hides_the_record_and_keeps_history(self, login, world, records):
        url = reverse("accountability:workrecord-delete", args=[records.works.pk])
        login(world.head).post(url)
        assert not WorkRecord.objects.filter(pk=records.works.pk).exists()
        record = WorkRecord.all_objects.get(pk=records.works.pk)
        assert record.is_deleted and record.history.first().history_user == world.head

    def test_office_restores_a_deleted_record(self, login, world, records):
        records.works.soft_delete()
        url = reverse("accountability:workrecord-restore", args=[records.works.pk])
        assert login(world.office).post(url).status_code == 302
        assert WorkRecord.objects.filter(pk=records.works.pk).exists()

    def test_head_may_not_restore(self, login, world, records):
        records.works.soft_delete()
        url = reverse("accountability:workrecord-restore", args=[records.works.pk])
        assert login(world.head).post(url).status_code == 403

    def test_delete_needs_post(self, login, world, records):
        url = reverse("accountability:workrecord-delete", args=[records.works.pk])
        assert login(world.head).get(url).status_code == 405


class TestLedger:
    def test_filters_by_kind_and_month(self, login, world, records, kinds):
        url = f"{LIST}?kind={kinds['integrity_talk'].pk}&year=2026&month=3"
        body = login(world.office).get(url).content.decode()
        assert "财务处廉政谈话" in body and "基建处理论学习" not in body

    def test_search_matches_the_title(self, login, world, records):
        body = login(world.office).get(f"{LIST}?q=廉政").content.decode()
        assert "财务处廉政谈话" in body and "基建处理论学习" not in body

    def test_export_has_exactly_the_filtered_rows(self, login, world, records, kinds):
        url = f"{LIST}?kind={kinds['theory_study'].pk}&export=xlsx"
        response = login(world.office).get(url)
        sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.iter_rows(min_row=3, values_only=True))
        assert [row[4] for row in rows] == ["基建处理论学习"]
        assert list(sheet.iter_rows(min_row=2, max_row=2, values_only=True))[0][:3] == (
            "序号",
            "日期",
            "单位",
        )

    def test_sort_by_unknown_field_is_ignored(self, login, world, records):
        assert login(world.office).get(f"{LIST}?sort=password").status_code == 200


def _png():
    from PIL import Image

    stream = BytesIO()
    Image.new("RGB", (4, 4), "red").save(stream, "PNG")
    return stream.getvalue()


class TestKinds:
    URL = reverse("accountability:workrecordkind-list")

    def test_office_adds_a_kind_that_then_appears_in_the_form(self, login, world, kinds):
        client = login(world.office)
        assert client.post(self.URL, {"name": "主题党日", "order": ""}).status_code == 302
        assert "主题党日" in client.get(CREATE).content.decode()

    def test_duplicate_name_is_refused(self, login, world, kinds):
        response = login(world.office).post(self.URL, {"name": "党课", "order": ""})
        assert "已有同名类别" in response.content.decode()

    def test_stopped_kind_keeps_its_records_and_leaves_the_form(self, login, world, records, kinds):
        client = login(world.office)
        kind = kinds["theory_study"]
        client.post(reverse("accountability:workrecordkind-toggle", args=[kind.pk]))
        kind.refresh_from_db()
        assert not kind.is_active and WorkRecord.objects.filter(kind=kind).count() == 1
        form = client.get(CREATE).context["form"]
        assert kind not in form.fields["kind"].queryset

    def test_head_cannot_add_kinds(self, login, world, kinds):
        assert login(world.head).post(self.URL, {"name": "x"}).status_code == 403

    def test_stranger_cannot_stop_another_organisations_kind(self, login, world, kinds):
        url = reverse("accountability:workrecordkind-toggle", args=[kinds["party_lecture"].pk])
        assert login(world.stranger).post(url).status_code == 404

    def test_office_renames_a_kind_and_its_records_and_figures_follow(
        self, login, world, records, kinds
    ):
        from common.history import history_rows

        kind = kinds["party_group_meeting"]
        url = reverse("accountability:workrecordkind-rename", args=[kind.pk])
        page = login(world.office).post(url, {"name": " 党委会议专题研究 "}, follow=True)
        assert "已将“党组会议专题研究”改名为“党委会议专题研究”。" in page.content.decode()
        kind.refresh_from_db()
        assert (kind.name, kind.code) == ("党委会议专题研究", "party_group_meeting")
        assert [row.who for row in history_rows(kind)][0] == world.office.get_full_name()

    def test_a_rename_to_a_taken_or_empty_name_changes_nothing(self, login, world, kinds):
        kind = kinds["party_lecture"]
        url = reverse("accountability:workrecordkind-rename", args=[kind.pk])
        client = login(world.office)
        taken = client.post(url, {"name": "理论中心组学习"}, follow=True).content.decode()
        assert "已有同名类别“理论中心组学习”。" in taken
        empty = client.post(url, {"name": "  "}, follow=True).content.decode()
        assert "请填写名称。" in empty
        kind.refresh_from_db()
        assert kind.name == "党课"

    def test_only_the_office_renames_and_only_its_own_kinds(self, login, world, kinds):
        url = reverse("accountability:workrecordkind-rename", args=[kinds["party_lecture"].pk])
        assert login(world.head).post(url, {"name": "新名"}).status_code == 403
        assert login(world.stranger).post(url, {"name": "新名"}).status_code == 404
        assert login(world.office).get(url).status_code == 405
        kinds["party_lecture"].refresh_from_db()
        assert kinds["party_lecture"].name == "党课"


def test_month_filter_starts_at_all_months(login, world, records):
    form = login(world.office).get(LIST).context["filter"].form
    assert form["month"].value() in (None, "")
    assert list(form.fields["month"].choices)[0][1] == "全部"


def test_a_leader_opens_the_month_view_at_a_unit_in_their_charge(login, world, records):
    """The leader's own unit (局机关) is not one they are in charge of: no 404, but 基建处."""
    response = login(world.leader).get(MONTH, {"month": "2026-03"})
    assert response.status_code == 200
    assert response.context["unit"] == world.works
    assert "基建处理论学习" in response.content.decode()
