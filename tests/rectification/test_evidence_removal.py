"""Evidence uploaded by mistake can be removed or replaced by whoever may edit the record; the
removal is in the history and the file stays recoverable for the office (soft removal)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accountability.models import WorkRecord, WorkRecordEvidence, WorkRecordKind
from common.history import history_rows
from rectification import services
from rectification.models import MeasureEvidence
from tests.samples import ONE_PAGE_PDF

from .factories import pdf

pytestmark = pytest.mark.django_db
PDF = ONE_PAGE_PDF


def _progress(rect, name="错传的材料.pdf"):
    services.measure_report_progress(
        measure=rect.measure, by=rect.head, note="推进中", files=[pdf(name)]
    )
    return MeasureEvidence.objects.get(measure=rect.measure, original_name=name)


def _remove_url(rect, evidence):
    return reverse("rectification:measure-evidence-remove", args=[rect.measure.pk, evidence.pk])


def _download_url(rect, evidence):
    return reverse("rectification:measure-evidence", args=[rect.measure.pk, evidence.pk])


def test_the_responsible_person_removes_a_file_uploaded_by_mistake(login, rect):
    evidence = _progress(rect)
    client = login(rect.head)
    response = client.post(_remove_url(rect, evidence), {"confirm": "True"})
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.removed_at and evidence.removed_by == rect.head
    detail = client.get(reverse("rectification:measure-detail", args=[rect.measure.pk])).text
    assert _download_url(rect, evidence) not in detail
    reasons = [row.reason for row in history_rows(rect.measure)]
    assert "删除佐证材料：错传的材料.pdf" in reasons


def test_the_office_can_still_recover_a_removed_file(login, rect):
    evidence = _progress(rect)
    login(rect.head).post(_remove_url(rect, evidence), {"confirm": "True"})
    assert login(rect.head).get(_download_url(rect, evidence)).status_code == 404
    office = login(rect.office)
    assert office.get(_download_url(rect, evidence)).status_code == 200
    detail = office.get(reverse("rectification:measure-detail", args=[rect.measure.pk])).text
    assert 'id="removed-evidence"' in detail and "错传的材料.pdf" in detail


def test_a_file_is_replaced_in_one_step(login, rect):
    evidence = _progress(rect)
    login(rect.head).post(
        _remove_url(rect, evidence), {"confirm": "True", "file": pdf("正确的材料.pdf")}
    )
    kept = MeasureEvidence.objects.filter(measure=rect.measure, removed_at__isnull=True)
    assert [e.original_name for e in kept] == ["正确的材料.pdf"]
    assert kept.get().update_id == evidence.update_id


def test_a_post_without_confirmation_changes_nothing(login, rect):
    evidence = _progress(rect)
    login(rect.head).post(_remove_url(rect, evidence), {})
    evidence.refresh_from_db()
    assert evidence.removed_at is None


def test_a_leader_may_not_remove_evidence(login, rect):
    evidence = _progress(rect)
    response = login(rect.leader).post(_remove_url(rect, evidence), {"confirm": "True"})
    assert response.status_code == 403
    evidence.refresh_from_db()
    assert evidence.removed_at is None


def test_a_closed_measures_evidence_stays_as_accepted(login, rect):
    services.measure_request_closure(
        measure=rect.measure, by=rect.head, note="已完成", files=[pdf("验收材料.pdf")]
    )
    services.measure_accept_closure(measure=rect.measure, by=rect.inspector)
    evidence = MeasureEvidence.objects.get(measure=rect.measure)
    response = login(rect.head).post(_remove_url(rect, evidence), {"confirm": "True"}, follow=True)
    assert "已销号" in response.text
    evidence.refresh_from_db()
    assert evidence.removed_at is None


def test_work_record_evidence_is_removed_with_a_history_row(login, rect):
    kinds = WorkRecordKind.ensure_presets(rect.org)
    record = WorkRecord.objects.create(
        organisation=rect.org,
        unit=rect.works,
        kind=kinds["theory_study"],
        date=datetime.date(2026, 3, 5),
        title="理论学习",
    )
    evidence = WorkRecordEvidence.from_upload(
        SimpleUploadedFile("签到表（错）.pdf", PDF), by=rect.head, record=record
    )
    evidence.save()
    url = reverse("accountability:workrecord-evidence-remove", args=[evidence.pk])
    assert login(rect.outsider).post(url, {"confirm": "True"}).status_code == 404
    assert login(rect.head).post(url, {"confirm": "True"}).status_code == 302
    evidence.refresh_from_db()
    assert evidence.removed_at is not None
    assert "删除佐证材料：签到表（错）.pdf" in [row.reason for row in history_rows(record)]
    download = reverse("accountability:workrecord-evidence", args=[evidence.pk])
    assert login(rect.head).get(download).status_code == 404
    assert login(rect.office).get(download).status_code == 200
