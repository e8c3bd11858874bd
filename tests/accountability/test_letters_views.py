"""Duty-letter pages: issuing to every unit at once, signing with a scan, who has not signed."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accountability.models import DutyLetter, DutyLetterScan
from tests.factories import UnitFactory

from .conftest import PDF
from .test_records_views import stored_files

pytestmark = pytest.mark.django_db

LIST = reverse("accountability:dutyletter-list")
ISSUE = reverse("accountability:dutyletter-issue")


def sign_url(letter):
    return reverse("accountability:dutyletter-sign", args=[letter.pk])


def issue_data(**overrides):
    data = {
        "year": "2026",
        "kind": "duty",
        "level": "group_unit",
        "unit_kinds": ["department", "subordinate"],
        "title": "{year}年度{unit}党风廉政建设责任书",
        "body": "{unit}负责人对本单位党风廉政建设负总责。",
        "issued_on": "2026-01-05",
        "due_on": "2026-01-31",
    }
    data.update(overrides)
    return data


class TestPermissions:
    def test_anonymous_is_sent_to_login(self, client, letters):
        assert client.get(LIST).status_code == 302

    def test_outsider_gets_404_on_another_units_letter(self, login, world, letters):
        url = reverse("accountability:dutyletter-detail", args=[letters.works.pk])
        assert login(world.outsider).get(url).status_code == 404
        assert login(world.stranger).get(url).status_code == 404

    def test_head_cannot_issue(self, login, world):
        assert login(world.head).get(ISSUE).status_code == 403

    def test_inspector_cannot_sign(self, login, world, letters):
        response = login(world.inspector).post(sign_url(letters.works), {})
        assert response.status_code == 403

    def test_outsider_cannot_download_a_scan(self, login, world, letters):
        scan = DutyLetterScan.from_upload(
            SimpleUploadedFile("扫描件.pdf", PDF), by=world.office, letter=letters.works
        )
        scan.save()
        url = reverse("accountability:dutyletter-scan", args=[scan.pk])
        assert login(world.outsider).get(url).status_code == 404
        assert login(world.head).get(url).status_code == 200


def withdraw_url(letter):
    return reverse("accountability:dutyletter-withdraw", args=[letter.pk])


class TestIssue:
    """Letters go to the recipients chosen, after a preview; today's default sent one to every
    unit of the organisation, the bureau itself and its party branches included."""

    def test_the_first_post_previews_the_recipients_and_issues_nothing(self, login, world):
        response = login(world.office).post(ISSUE, issue_data())
        assert response.status_code == 200
        body = response.content.decode()
        assert 'id="letter-preview"' in body and "确认下发 3 份" in body
        assert "2026年度基建处党风廉政建设责任书" in body
        assert not DutyLetter.objects.exists()

    def test_by_default_departments_and_subordinate_units_get_one(self, login, world):
        branch = UnitFactory(organisation=world.org, parent=world.root, name="机关党支部")
        branch.kind = "branch"
        branch.save()
        response = login(world.office).post(ISSUE, issue_data(confirm="1"))
        assert response.status_code == 302
        letters = DutyLetter.objects.filter(organisation=world.org, level="group_unit")
        assert {letter.unit for letter in letters} == {
            world.works,
            world.works_section,
            world.finance,
        }
        assert letters.get(unit=world.works).title == "2026年度基建处党风廉政建设责任书"
        assert not DutyLetter.objects.filter(organisation=world.other_org)

    def test_only_the_ticked_units_get_one(self, login, world):
        data = issue_data(confirm="1", units=[world.works.pk, world.finance.pk])
        login(world.office).post(ISSUE, data)
        assert set(DutyLetter.objects.values_list("unit", flat=True)) == {
            world.works.pk,
            world.finance.pk,
        }

    def test_a_unit_of_another_organisation_cannot_be_ticked(self, login, world):
        data = issue_data(confirm="1", units=[world.other_unit.pk])
        response = login(world.office).post(ISSUE, data)
        assert response.status_code == 200 and not DutyLetter.objects.exists()

    def test_group_leader_letters_go_to_each_leader_by_name(self, login, world):
        data = issue_data(confirm="1", level="group_leader", title="{year}年度{name}责任书")
        login(world.office).post(ISSUE, data)
        letters = DutyLetter.objects.filter(level="group_leader")
        assert {letter.recipient for letter in letters} == {world.leader, world.principal}
        assert letters.get(recipient=world.leader).title == "2026年度李分管责任书"

    def test_key_post_letters_need_the_people_ticked(self, login, world):
        response = login(world.office).post(ISSUE, issue_data(confirm="1", level="head_post"))
        assert "请勾选签订“负责人—重点岗位”责任书的人员" in response.content.decode()
        assert not DutyLetter.objects.exists()
        data = issue_data(confirm="1", level="head_post", people=[world.head.pk])
        login(world.office).post(ISSUE, data)
        letter = DutyLetter.objects.get()
        assert (letter.recipient, letter.unit) == (world.head, world.works)

    def test_issuing_twice_does_not_duplicate(self, login, world):
        client = login(world.office)
        client.post(ISSUE, issue_data(confirm="1"))
        client.post(ISSUE, issue_data(confirm="1"))
        assert DutyLetter.objects.count() == 3

    def test_year_must_be_a_number(self, login, world):
        response = login(world.office).post(ISSUE, issue_data(year="二〇二六", confirm="1"))
        assert "年度必须是数字" in response.content.decode()
        assert not DutyLetter.objects.exists()

    def test_each_letter_gets_a_history_row(self, login, world):
        login(world.office).post(ISSUE, issue_data(confirm="1"))
        letter = DutyLetter.objects.get(unit=world.works)
        assert letter.history.get().history_user == world.office


class TestWithdraw:
    def issue(self, login, world):
        login(world.office).post(ISSUE, issue_data(confirm="1"))
        return DutyLetter.objects.get(unit=world.works), DutyLetter.objects.get(unit=world.finance)

    @time_machine.travel("2026-03-01 12:00", tick=False)
    def test_a_withdrawn_letter_leaves_the_rate_but_stays_in_history(self, login, world):
        works, finance = self.issue(login, world)
        client = login(world.office)
        response = client.post(withdraw_url(works), {"scope": "one", "reason": "对象有误"})
        assert response.status_code == 302
        works.refresh_from_db()
        assert works.withdrawn_at and works.withdrawn_by == world.office
        assert works.history.count() == 2
        assert DutyLetter.objects.active().count() == 2
        body = client.get(f"{LIST}?year=2026").content.decode()
        assert "共 2 份" in body
        assert (
            "对象有误"
            in client.get(
                reverse("accountability:dutyletter-detail", args=[works.pk])
            ).content.decode()
        )

    def test_a_whole_batch_is_withdrawn_but_not_its_signed_letters(self, login, world):
        works, finance = self.issue(login, world)
        finance.signed_on, finance.signatory = date(2026, 1, 20), "赵外单位"
        finance.save()
        login(world.office).post(withdraw_url(works), {"scope": "batch", "reason": "发错年度"})
        assert list(DutyLetter.objects.active()) == [finance]

    def test_a_signed_letter_cannot_be_withdrawn(self, login, world, letters):
        letters.works.signed_on, letters.works.signatory = date(2026, 1, 20), "张处长"
        letters.works.save()
        response = login(world.office).post(
            withdraw_url(letters.works), {"scope": "one", "reason": "x"}, follow=True
        )
        assert "已经签订，不能撤回" in response.content.decode()
        letters.works.refresh_from_db()
        assert letters.works.withdrawn_at is None

    def test_a_reason_is_required(self, login, world, letters):
        response = login(world.office).post(withdraw_url(letters.works), {}, follow=True)
        assert "请填写撤回原因" in response.content.decode()
        letters.works.refresh_from_db()
        assert letters.works.withdrawn_at is None

    def test_the_unit_head_cannot_withdraw(self, login, world, letters):
        response = login(world.head).post(withdraw_url(letters.works), {"reason": "x"})
        assert response.status_code == 403

    def test_a_withdrawn_letter_can_be_issued_again(self, login, world):
        works, _finance = self.issue(login, world)
        login(world.office).post(withdraw_url(works), {"scope": "one", "reason": "重发"})
        login(world.office).post(ISSUE, issue_data(confirm="1", units=[world.works.pk]))
        assert DutyLetter.objects.filter(unit=world.works).count() == 2
        assert DutyLetter.objects.active().filter(unit=world.works).count() == 1

    def test_a_withdrawn_letter_cannot_be_signed(self, login, world, letters):
        login(world.office).post(withdraw_url(letters.works), {"scope": "one", "reason": "x"})
        data = {
            "signed_on": "2026-01-20",
            "signatory": "张处长",
            "scans": [SimpleUploadedFile("签字页.pdf", PDF)],
        }
        login(world.head).post(sign_url(letters.works), data)
        letters.works.refresh_from_db()
        assert letters.works.signed_on is None


class TestSign:
    def test_head_signs_own_units_letter_with_scan(self, login, world, letters):
        data = {
            "signed_on": "2026-01-20",
            "signatory": "张处长",
            "scans": [SimpleUploadedFile("签字页.pdf", PDF)],
        }
        response = login(world.head).post(sign_url(letters.works), data)
        assert response.status_code == 302
        letters.works.refresh_from_db()
        assert letters.works.signed_on == date(2026, 1, 20)
        assert letters.works.scans.get().original_name == "签字页.pdf"

    def test_signing_without_scan_is_refused(self, login, world, letters):
        data = {"signed_on": "2026-01-20", "signatory": "张处长"}
        response = login(world.head).post(sign_url(letters.works), data)
        assert "请至少上传一份佐证材料" in response.content.decode()
        letters.works.refresh_from_db()
        assert letters.works.signed_on is None

    def test_bad_scan_saves_nothing(self, login, world, letters, evidence_storage):
        data = {
            "signed_on": "2026-01-20",
            "signatory": "张处长",
            "scans": [SimpleUploadedFile("scan.pdf", b"\x7fELF" + b"\x00" * 64)],
        }
        login(world.head).post(sign_url(letters.works), data)
        letters.works.refresh_from_db()
        assert letters.works.signed_on is None and stored_files(evidence_storage) == []

    def test_signing_before_issue_is_refused(self, login, world, letters):
        data = {
            "signed_on": "2025-12-20",
            "signatory": "张处长",
            "scans": [SimpleUploadedFile("a.pdf", PDF)],
        }
        response = login(world.head).post(sign_url(letters.works), data)
        assert "签订日期不能早于下发日期" in response.content.decode()

    def test_outsider_cannot_sign_another_units_letter(self, login, world, letters):
        assert login(world.outsider).post(sign_url(letters.works), {}).status_code == 404


class TestScanRemoval:
    """A scan uploaded by mistake is removed or replaced by whoever registers the signing; a
    signed letter keeps at least one scan; the office can still recover a removed one."""

    @staticmethod
    def signed(login, world, letters, *names):
        data = {
            "signed_on": "2026-01-20",
            "signatory": "张处长",
            "scans": [SimpleUploadedFile(name, PDF) for name in names],
        }
        assert login(world.head).post(sign_url(letters.works), data).status_code == 302
        return {scan.original_name: scan for scan in letters.works.scans.all()}

    @staticmethod
    def remove(client, scan, **data):
        url = reverse("accountability:dutyletter-scan-remove", args=[scan.pk])
        return client.post(url, data, follow=True)

    def test_a_wrong_scan_is_replaced_in_one_step_and_the_history_says_so(
        self, login, world, letters
    ):
        wrong = self.signed(login, world, letters, "别的单位的签字页.pdf")["别的单位的签字页.pdf"]
        page = self.remove(
            login(world.head),
            wrong,
            confirm="True",
            file=SimpleUploadedFile("基建处签字页.pdf", PDF),
        ).content.decode()
        assert "已替换“别的单位的签字页.pdf”。" in page
        kept = letters.works.scans.filter(removed_at__isnull=True)
        assert [scan.original_name for scan in kept] == ["基建处签字页.pdf"]
        wrong.refresh_from_db()
        assert wrong.removed_by == world.head
        assert "替换签订扫描件：别的单位的签字页.pdf" in page  # the letter's history
        detail = reverse("accountability:dutyletter-detail", args=[letters.works.pk])
        download = reverse("accountability:dutyletter-scan", args=[wrong.pk])
        assert download not in login(world.head).get(detail).content.decode()
        assert login(world.head).get(download).status_code == 404
        office_page = login(world.office).get(detail).content.decode()
        assert 'id="removed-scans"' in office_page and download in office_page
        assert login(world.office).get(download).status_code == 200
        # In English, the history's rows read in English too (the file names as they are).
        english = login(world.head)
        english.cookies["django_language"] = "en"
        page = english.get(detail).content.decode()
        assert "Signed scan replaced: 别的单位的签字页.pdf" in page
        assert "Upload signed scan: 基建处签字页.pdf" in page

    def test_the_last_scan_of_a_signed_letter_is_only_replaced(self, login, world, letters):
        scan = self.signed(login, world, letters, "签字页.pdf")["签字页.pdf"]
        page = self.remove(login(world.head), scan, confirm="True").content.decode()
        assert "至少保留一份签订扫描件" in page
        scan.refresh_from_db()
        assert scan.removed_at is None

    def test_one_of_two_scans_is_removed(self, login, world, letters):
        scans = self.signed(login, world, letters, "第1页.pdf", "多传的.pdf")
        page = self.remove(login(world.head), scans["多传的.pdf"], confirm="True")
        assert "已删除“多传的.pdf”，党办仍可找回。" in page.content.decode()
        kept = letters.works.scans.filter(removed_at__isnull=True)
        assert [scan.original_name for scan in kept] == ["第1页.pdf"]
        # Correcting the signing later needs no new upload: a scan is kept.
        form = {"signed_on": "2026-01-21", "signatory": "张处长"}
        assert login(world.head).post(sign_url(letters.works), form).status_code == 302

    def test_a_post_without_confirmation_or_with_a_bad_file_changes_nothing(
        self, login, world, letters, evidence_storage
    ):
        scan = self.signed(login, world, letters, "签字页.pdf")["签字页.pdf"]
        before = stored_files(evidence_storage)
        client = login(world.head)
        assert "未删除" in self.remove(client, scan).content.decode()
        bad = SimpleUploadedFile("scan.pdf", b"\x7fELF" + b"\x00" * 64)
        page = self.remove(client, scan, confirm="True", file=bad).content.decode()
        assert "“scan.pdf”的文件类型不受支持" in page
        scan.refresh_from_db()
        assert scan.removed_at is None
        assert letters.works.scans.count() == 1 and stored_files(evidence_storage) == before

    def test_only_whoever_signs_may_remove(self, login, world, letters):
        scan = self.signed(login, world, letters, "第1页.pdf", "第2页.pdf")["第2页.pdf"]
        url = reverse("accountability:dutyletter-scan-remove", args=[scan.pk])
        assert login(world.inspector).post(url, {"confirm": "True"}).status_code == 403
        assert login(world.outsider).post(url, {"confirm": "True"}).status_code == 404
        assert login(world.head).get(url).status_code == 405
        scan.refresh_from_db()
        assert scan.removed_at is None

    def test_a_withdrawn_letters_scan_stays(self, login, world, letters):
        scan = DutyLetterScan.from_upload(
            SimpleUploadedFile("扫描件.pdf", PDF), by=world.office, letter=letters.works
        )
        scan.save()
        letters.works.withdrawn_at = timezone.now()
        letters.works.save()
        page = self.remove(login(world.office), scan, confirm="True").content.decode()
        assert "已经撤回" in page
        scan.refresh_from_db()
        assert scan.removed_at is None


class TestUnsignedPage:
    @time_machine.travel("2026-03-01 12:00", tick=False)
    def test_missing_filter_shows_the_units_that_have_not_signed(self, login, world, letters):
        letters.works.signed_on, letters.works.signatory = date(2026, 1, 20), "张处长"
        letters.works.save()
        body = login(world.office).get(f"{LIST}?year=2026&status=missing").content.decode()
        assert "财务处责任书" in body and "基建处责任书" not in body

    @time_machine.travel("2026-03-01 12:00", tick=False)
    def test_signing_rate_is_shown(self, login, world, letters):
        letters.works.signed_on, letters.works.signatory = date(2026, 1, 20), "张处长"
        letters.works.save()
        response = login(world.office).get(f"{LIST}?year=2026")
        assert response.context["rate"] == 50
        assert response.context["summary"][0]["missing"] == 1
