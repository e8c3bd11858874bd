"""Duty-letter pages: issuing to every unit at once, signing with a scan, who has not signed."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accountability.models import DutyLetter, DutyLetterScan

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
        "level": "head_post",
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


class TestIssue:
    def test_office_issues_one_letter_to_every_unit(self, login, world):
        response = login(world.office).post(ISSUE, issue_data())
        assert response.status_code == 302
        letters = DutyLetter.objects.filter(organisation=world.org, level="head_post")
        assert letters.count() == 4
        assert letters.get(unit=world.works).title == "2026年度基建处党风廉政建设责任书"
        assert not DutyLetter.objects.filter(organisation=world.other_org, level="head_post")

    def test_issuing_twice_does_not_duplicate(self, login, world):
        client = login(world.office)
        client.post(ISSUE, issue_data())
        client.post(ISSUE, issue_data())
        assert DutyLetter.objects.filter(level="head_post").count() == 4

    def test_year_must_be_a_number(self, login, world):
        response = login(world.office).post(ISSUE, issue_data(year="二〇二六"))
        assert "年度必须是数字" in response.content.decode()
        assert not DutyLetter.objects.filter(level="head_post").exists()

    def test_each_letter_gets_a_history_row(self, login, world):
        login(world.office).post(ISSUE, issue_data())
        letter = DutyLetter.objects.get(unit=world.works, level="head_post")
        assert letter.history.get().history_user == world.office


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
