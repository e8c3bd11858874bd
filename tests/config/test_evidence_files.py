"""Evidence files on disk stay in step with the rows that name them."""

import os
import threading
import time
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from accountability.models import WorkRecord, WorkRecordEvidence, WorkRecordKind
from common.evidence import _track_written, files_rolled_back_on_error
from tests.samples import ONE_PAGE_PDF

PDF = ONE_PAGE_PDF
DAY = 24 * 3600


def _write(name, *, age=0):
    stored = default_storage.save(name, ContentFile(PDF))
    if age:
        then = time.time() - age
        os.utime(default_storage.path(stored), (then, then))
    return stored


def test_one_threads_failed_save_leaves_another_threads_files_alone(evidence_storage):
    """Two saves at once (the development server and threaded workers do this), interleaved:
    the failing one removes only what it wrote itself."""
    steps = {name: threading.Event() for name in ("a_in", "b_in", "a_wrote", "b_done")}
    names = {}

    def succeeds():
        with files_rolled_back_on_error():
            steps["a_in"].set()
            steps["b_in"].wait(5)
            names["kept"] = _write("evidence/kept.pdf")
            _track_written(names["kept"])
            steps["a_wrote"].set()
            steps["b_done"].wait(5)

    def fails():
        steps["a_in"].wait(5)
        try:
            with files_rolled_back_on_error():
                steps["b_in"].set()
                steps["a_wrote"].wait(5)
                names["dropped"] = _write("evidence/dropped.pdf")
                _track_written(names["dropped"])
                raise RuntimeError("the save failed")
        except RuntimeError:
            pass
        finally:
            steps["b_done"].set()

    threads = [threading.Thread(target=succeeds), threading.Thread(target=fails)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert all(step.is_set() for step in steps.values())
    assert default_storage.exists(names["kept"])
    assert not default_storage.exists(names["dropped"])


@pytest.mark.django_db
def test_the_orphan_sweep_removes_only_old_files_no_row_names(world, evidence_storage):
    kind = WorkRecordKind.ensure_presets(world.org)["theory_study"]
    record = WorkRecord.objects.create(
        organisation=world.org, unit=world.works, kind=kind, date="2026-03-01", title="学习"
    )

    def evidence(name):
        return WorkRecordEvidence.objects.create(
            record=record,
            file=_write(name, age=3 * DAY),
            original_name="签到表.pdf",
            content_type="application/pdf",
            size=len(PDF),
            sha256="0" * 64,
            uploaded_by=world.head,
        )

    current = evidence("evidence/2026/03/current.pdf")
    removed = evidence("evidence/2026/03/removed.pdf")  # its row is gone; its history keeps it
    removed.delete()
    orphan = _write("evidence/2026/03/orphan.pdf", age=3 * DAY)
    fresh = _write("evidence/2026/03/fresh.pdf")  # a save may still be in progress

    out = StringIO()
    call_command("evidence_orphans", stdout=out)
    assert out.getvalue().splitlines() == [orphan, "Found 1 orphaned evidence files."]
    assert default_storage.exists(orphan)  # listing changes nothing

    call_command("evidence_orphans", delete=True, stdout=StringIO())
    assert not default_storage.exists(orphan)
    for kept in (current.file.name, removed.file.name, fresh):
        assert default_storage.exists(kept)
