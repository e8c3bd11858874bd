"""Evidence downloads: attachment by default, a sandboxed inline view for PDFs and images that
pass the checks, and the record's visibility, deleted records included (issue #13)."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accountability.models import WorkRecord, WorkRecordEvidence, WorkRecordKind

from . import files


@pytest.fixture
def record(world):
    kinds = WorkRecordKind.ensure_presets(world.org)
    return WorkRecord.objects.create(
        organisation=world.org,
        unit=world.works,
        kind=kinds["theory_study"],
        date=date(2026, 3, 5),
        title="基建处理论学习",
    )


def _evidence(record, world, name, data):
    evidence = WorkRecordEvidence.from_upload(
        SimpleUploadedFile(name, data), by=world.office, record=record
    )
    evidence.save()
    return evidence


def _url(evidence, inline=False):
    url = reverse("accountability:workrecord-evidence", args=[evidence.pk])
    return url + "?inline=1" if inline else url


def test_a_pdf_is_viewed_inline_in_a_sandbox(login, world, record):
    evidence = _evidence(record, world, "纪要.pdf", files.PDF)
    response = login(world.head).get(_url(evidence, inline=True))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    policy = response["Content-Security-Policy"]
    assert policy.startswith("sandbox;")
    assert "allow-scripts" not in policy and "allow-same-origin" not in policy
    assert "default-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_image_is_viewed_inline(login, world, record):
    evidence = _evidence(record, world, "照片.png", files.png())
    response = login(world.head).get(_url(evidence, inline=True))
    assert response["Content-Disposition"].startswith("inline")


def test_without_inline_it_is_an_attachment(login, world, record):
    evidence = _evidence(record, world, "纪要.pdf", files.PDF)
    response = login(world.head).get(_url(evidence))
    assert response["Content-Disposition"].startswith("attachment")


def test_an_office_document_is_never_inline(login, world, record):
    evidence = _evidence(record, world, "方案.docx", files.docx())
    response = login(world.head).get(_url(evidence, inline=True))
    assert response["Content-Disposition"].startswith("attachment")


def test_a_stored_file_that_fails_todays_checks_is_never_inline(login, world, record):
    """A file kept before the checks (HTML that starts with "%PDF-") downloads, never shows."""
    evidence = _evidence(record, world, "纪要.pdf", files.PDF)
    evidence.file.storage.delete(evidence.file.name)
    evidence.file.storage.save(evidence.file.name, ContentFile(files.HTML_AS_PDF))
    response = login(world.head).get(_url(evidence, inline=True))
    assert response["Content-Disposition"].startswith("attachment")


def test_the_record_page_offers_a_view_link_for_pdfs(login, world, record):
    evidence = _evidence(record, world, "纪要.pdf", files.PDF)
    page = login(world.head).get(reverse("accountability:workrecord-detail", args=[record.pk]))
    assert _url(evidence, inline=True) in page.text
    assert "查看" in page.text


def test_evidence_of_a_deleted_record_is_gone_for_whoever_gets_404_on_the_record(
    login, world, record
):
    evidence = _evidence(record, world, "纪要.pdf", files.PDF)
    record.soft_delete()
    client = login(world.leader)  # reads 基建处, changes nothing
    assert (
        client.get(reverse("accountability:workrecord-detail", args=[record.pk])).status_code == 404
    )
    assert client.get(_url(evidence)).status_code == 404


def test_the_office_still_opens_a_deleted_records_evidence(login, world, record):
    evidence = _evidence(record, world, "纪要.pdf", files.PDF)
    record.soft_delete()
    assert login(world.office).get(_url(evidence)).status_code == 200
