"""Evidence in a private bucket (issue #15, "Past one machine"): uploaded and downloaded through
the portal's own views against a real S3-compatible server, access checked by the portal, and a
store that is down said so in Chinese instead of a 500."""

import datetime
import hashlib
import io
import os
import tarfile
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accountability.models import WorkRecord, WorkRecordEvidence, WorkRecordKind
from common.backup import _archive, file_checksums
from common.evidence import files_rolled_back_on_error, orphaned_files
from rectification.models import MeasureEvidence
from reports.models import Report, ReportExport
from tests.rectification.conftest import rect  # noqa: F401 (a fixture)
from tests.samples import ONE_PAGE_PDF

pytestmark = pytest.mark.django_db

READ_FAILED = "附件暂时无法读取，请稍后再试"
WRITE_FAILED = "附件暂时无法保存，请稍后再试"
CREATE = reverse("accountability:workrecord-create")


def noise_png(side=256):
    """A PNG of random pixels (about 200 KB; 3 MB at 1000 px, past the S3 download's in-memory
    spool), unlike any other file, so that a byte-for-byte match means something."""
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=0)
    return buffer.getvalue()


def body(response):
    return b"".join(response.streaming_content)


@pytest.fixture
def kinds(world):
    return WorkRecordKind.ensure_presets(world.org)


def record_form(world, kinds, *files):
    return {
        "date": "2026-03-10",
        "unit": world.works.pk,
        "kind": kinds["theory_study"].pk,
        "title": "党组理论学习中心组第三次集中学习",
        "participant_count": "12",
        "description": "学习贯彻全会精神",
        "evidence": list(files),
    }


@pytest.fixture
def stored_record(world, kinds, login, s3):
    """A work record of 基建处 whose evidence (a photo) was uploaded through the entry page."""
    photo = noise_png()
    response = login(world.office).post(
        CREATE, record_form(world, kinds, SimpleUploadedFile("签到表.png", photo))
    )
    assert response.status_code == 302, response.content[:500]
    evidence = WorkRecord.objects.get().evidence.get()
    return evidence, photo


def download_url(evidence):
    return reverse("accountability:workrecord-evidence", args=[evidence.pk])


def test_work_record_evidence_is_stored_in_the_bucket_and_comes_back_byte_identical(
    world, kinds, login, s3
):
    photo = noise_png(1000)
    response = login(world.office).post(
        CREATE, record_form(world, kinds, SimpleUploadedFile("现场照片.png", photo))
    )
    assert response.status_code == 302
    evidence = WorkRecord.objects.get().evidence.get()
    assert s3.keys(s3.prefix) == [s3.prefix + evidence.file.name]
    assert s3.read(s3.prefix + evidence.file.name) == photo
    response = login(world.head).get(download_url(evidence))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert body(response) == photo


def test_measure_evidence_of_a_progress_report_round_trips_through_the_bucket(login, rect, s3):  # noqa: F811
    url = reverse("rectification:measure-progress", args=[rect.measure.pk])
    sent = ONE_PAGE_PDF + b"%" + os.urandom(64).hex().encode() + b"\n"
    response = login(rect.head).post(
        url, {"note": "已完成第一阶段", "files": [SimpleUploadedFile("整改报告.pdf", sent)]}
    )
    assert response.status_code == 302
    evidence = MeasureEvidence.objects.get(measure=rect.measure)
    assert s3.keys(s3.prefix) == [s3.prefix + evidence.file.name]
    download = reverse("rectification:measure-evidence", args=[rect.measure.pk, evidence.pk])
    assert body(login(rect.head).get(download)) == sent
    # Shown in the browser: the stored file is re-checked, read back from the bucket.
    inline = login(rect.inspector).get(download + "?inline=1")
    assert inline["Content-Disposition"].startswith("inline")
    assert body(inline) == sent


def test_a_person_outside_the_scope_gets_404_from_the_bucket_backed_download(
    world, login, stored_record
):
    evidence, _photo = stored_record
    assert login(world.outsider).get(download_url(evidence)).status_code == 404
    assert login(world.stranger).get(download_url(evidence)).status_code == 404


def test_the_bucket_is_never_addressed_from_the_portal(world, login, stored_record, s3):
    """Access control stays in the portal: no page names the store, no download redirects to
    it, no portal address serves a stored name, and no object is made public by an ACL."""
    evidence, _photo = stored_record
    key = s3.prefix + evidence.file.name
    page = login(world.head).get(
        reverse("accountability:workrecord-detail", args=[evidence.record_id])
    )
    assert download_url(evidence) in page.text
    assert s3.endpoint not in page.text and evidence.file.name not in page.text
    response = login(world.head).get(download_url(evidence))
    assert response.status_code == 200 and not response.has_header("Location")
    for path in (f"/{key}", f"/media/{key}", f"/{s3.bucket}/{key}", f"/{evidence.file.name}"):
        assert login(world.office).get(path).status_code == 404, path
    grants = s3.client.get_object_acl(Bucket=s3.bucket, Key=key)["Grants"]
    assert not [g for g in grants if g["Grantee"].get("URI", "").endswith("/AllUsers")]


def test_removed_evidence_stays_in_the_bucket_for_the_office_alone(world, login, stored_record, s3):
    evidence, photo = stored_record
    remove = reverse("accountability:workrecord-evidence-remove", args=[evidence.pk])
    assert login(world.head).post(remove, {"confirm": "True"}).status_code == 302
    evidence.refresh_from_db()
    assert evidence.removed_at is not None
    assert s3.keys(s3.prefix) == [s3.prefix + evidence.file.name]  # soft removal
    assert login(world.head).get(download_url(evidence)).status_code == 404
    assert body(login(world.office).get(download_url(evidence))) == photo


def test_a_failed_save_takes_its_files_out_of_the_bucket_again(world, kinds, s3):
    record = WorkRecord.objects.create(
        organisation=world.org, unit=world.works, kind=kinds["theory_study"],
        date=datetime.date(2026, 3, 5), title="理论学习",
    )  # fmt: skip
    with pytest.raises(RuntimeError), files_rolled_back_on_error():
        WorkRecordEvidence.from_upload(
            SimpleUploadedFile("a.pdf", ONE_PAGE_PDF), by=world.head, record=record
        ).save()
        assert len(s3.keys(s3.prefix)) == 1
        raise RuntimeError("the database refused the save")
    assert s3.keys(s3.prefix) == []


def test_the_orphan_sweep_lists_the_bucket(world, kinds, s3):
    record = WorkRecord.objects.create(
        organisation=world.org, unit=world.works, kind=kinds["theory_study"],
        date=datetime.date(2026, 3, 5), title="理论学习",
    )  # fmt: skip
    kept = WorkRecordEvidence.from_upload(
        SimpleUploadedFile("a.pdf", ONE_PAGE_PDF), by=world.head, record=record
    )
    kept.save()
    stray = default_storage.save("evidence/2026/03/stray.pdf", ContentFile(ONE_PAGE_PDF))
    assert orphaned_files(older_than=timedelta(hours=1)) == []  # both are new
    assert orphaned_files(older_than=timedelta(seconds=-60)) == [stray]


def test_a_report_export_downloads_from_the_bucket(world, login, s3):
    report = Report.objects.create(organisation=world.org, year=2026, title="报告")
    first = ReportExport.objects.create(report=report, state=ReportExport.State.DONE)
    second = ReportExport.objects.create(report=report, state=ReportExport.State.DONE)
    # The same name twice (as versions' exports may have): the second never replaces the first.
    first.file.save("report.pdf", ContentFile(b"%PDF-1.4 first\n%%EOF\n"))
    second.file.save("report.pdf", ContentFile(b"%PDF-1.4 second\n%%EOF\n"))
    assert first.file.name != second.file.name
    response = login(world.office).get(reverse("reports:export-download", args=[first.pk]))
    assert body(response) == b"%PDF-1.4 first\n%%EOF\n"


# -- the store is down ---------------------------------------------------------------------------
# Timed: runs with the fault tests, alone, where a busy machine does not blur the answer.
@pytest.mark.faults
def test_a_download_while_the_store_is_down_says_so_in_chinese(
    world, login, stored_record, store_outage
):
    evidence, _photo = stored_record
    store_outage()
    started = time.monotonic()
    response = login(world.head).get(download_url(evidence))
    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert READ_FAILED in response.text


def test_an_inline_view_while_the_store_is_down_says_so_too(
    world, login, stored_record, store_outage
):
    evidence, _photo = stored_record
    store_outage()
    response = login(world.head).get(download_url(evidence) + "?inline=1")
    assert response.status_code == 503 and READ_FAILED in response.text


def test_an_upload_while_the_store_is_down_keeps_nothing_and_says_so(
    world, kinds, login, s3, store_outage
):
    store_outage()
    response = login(world.office).post(
        CREATE, record_form(world, kinds, SimpleUploadedFile("学习记录.pdf", ONE_PAGE_PDF))
    )
    assert response.status_code == 503
    assert WRITE_FAILED in response.text
    assert not WorkRecord.objects.exists()
    assert s3.keys(s3.prefix) == []


def test_the_api_answers_a_store_outage_in_json(world, login, stored_record, store_outage):
    evidence, photo = stored_record
    url = f"/api/v1/work-records/{evidence.record_id}/evidence/{evidence.pk}/"
    client = login(world.head)
    assert body(client.get(url)) == photo
    store_outage()
    response = client.get(url)
    assert response.status_code == 503
    assert response.json() == {"detail": READ_FAILED + "。"}


def test_a_missing_object_is_named_as_missing_not_as_an_outage(world, login, stored_record, s3):
    evidence, _photo = stored_record
    s3.client.delete_object(Bucket=s3.bucket, Key=s3.prefix + evidence.file.name)
    response = login(world.head).get(download_url(evidence))
    assert response.status_code == 404
    assert "附件文件已丢失" in response.text


def test_a_backup_reads_the_files_from_the_bucket(world, kinds, s3, tmp_path):
    """backup_portal's file half: every object, by its stored name, with its checksum."""
    stored = default_storage.save("evidence/2026/03/scan.pdf", ContentFile(ONE_PAGE_PDF))
    export = default_storage.save("reports/1/2026/report.pdf", ContentFile(b"%PDF-1.4 r\n"))
    assert file_checksums() == {
        export: hashlib.sha256(b"%PDF-1.4 r\n").hexdigest(),
        stored: hashlib.sha256(ONE_PAGE_PDF).hexdigest(),
    }
    _archive(default_storage, tmp_path / "evidence.tar.gz")
    with tarfile.open(tmp_path / "evidence.tar.gz") as archive:
        assert sorted(archive.getnames()) == [f"evidence/{stored}", f"evidence/{export}"]
        assert archive.extractfile(f"evidence/{stored}").read() == ONE_PAGE_PDF
