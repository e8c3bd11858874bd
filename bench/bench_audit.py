"""The audit log's cost per page: the same requests with and without it, side by side.

Target (issue 13): the audit log adds under 2 ms to a page (and under 5% to the load test's
p95: that one is `bench/bench_load.py`, run on a quiet machine).

In-process test client against PostgreSQL (a test database of its own, kept between runs,
``test_<DATABASE_URL's name>_audit_bench``), on a small world: one organisation, a work record
with its evidence, a rectification measure. Each request is timed many times, *interleaved*
with and without the log (without: ``audit.services`` writes nothing), so that the machine's
load falls on both alike; the figure is the difference of the medians.

* page.*: a list page (writes no event: what every page pays, the middleware);
* export.*: an Excel ledger (one event);
* download.*: an evidence download (one event);
* login.*: a successful login (one event, and the account's failure counter cleared);
* record.*: one event written alone (``audit.services.record``), the cost the log adds to a
  page that writes one: on a busy machine the request figures above carry more noise than
  the difference they measure.
"""

import os
import statistics
import sys
import time
from urllib.parse import urlsplit, urlunsplit

from _common import emit, setup_django

REPEAT = int(os.environ.get("BENCH_AUDIT_REPEAT", "60"))


class _NoLog:
    """Stands in for AuditEvent in audit.services: nothing is written."""

    class objects:  # noqa: N801
        @staticmethod
        def create(**fields):
            return None


def main():
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
    parts = urlsplit(base)
    name = parts.path.lstrip("/") or "portal"
    url = urlunsplit(parts._replace(path=f"/{name}_audit_bench"))
    setup_django("config.settings.test", url)

    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, keepdb=True)

    import audit.services
    from accountability.models import (
        Organisation,
        Role,
        RoleAssignment,
        Unit,
        User,
        WorkRecord,
        WorkRecordEvidence,
        WorkRecordKind,
    )
    from tests.access.conftest import marked_pdf

    real = audit.services.AuditEvent
    with transaction.atomic():
        org = Organisation.objects.create(code="bench-audit", name="基准局", short_name="基准局")
        unit = Unit.objects.create(organisation=org, name="办公室", kind="department")
        user = User.objects.create(
            username="bench-office", full_name="基准党办", organisation=org, unit=unit
        )
        user.set_password("Bench@2026-pass")
        user.save()
        RoleAssignment.objects.create(user=user, organisation=org, role=Role.OFFICE)
        kind = WorkRecordKind.ensure_presets(org)["theory_study"]
        records = [
            WorkRecord(
                organisation=org,
                unit=unit,
                kind=kind,
                date=f"2026-03-0{n % 9 + 1}",
                title=f"学习{n}",
            )
            for n in range(30)
        ]
        WorkRecord.objects.bulk_create(records)
        evidence = WorkRecordEvidence.from_upload(
            marked_pdf("bench"), by=user, record=WorkRecord.objects.filter(organisation=org)[0]
        )
        evidence.save()

        client = Client()
        client.force_login(user)
        login_client = Client()
        requests = {
            "page": lambda: client.get("/a/records/"),
            "export": lambda: client.get("/a/records/", {"export": "xlsx"}),
            "download": lambda: client.get(f"/a/records/evidence/{evidence.pk}/"),
            "login": lambda: login_client.post(
                "/accounts/login/", {"username": "bench-office", "password": "Bench@2026-pass"}
            ),
        }
        for label, request in requests.items():
            response = request()
            assert response.status_code in (200, 302), (label, response.status_code)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            samples = {"with": [], "without": []}
            for n in range(REPEAT):
                # Alternate which goes first, so that neither always runs on a warmer cache.
                for mode in ("with", "without") if n % 2 else ("without", "with"):
                    audit.services.AuditEvent = real if mode == "with" else _NoLog
                    start = time.perf_counter()
                    response = request()
                    if hasattr(response, "streaming_content"):
                        b"".join(response.streaming_content)
                    samples[mode].append((time.perf_counter() - start) * 1000)
                    if label == "login":
                        login_client.cookies.clear()
            audit.services.AuditEvent = real
            with_ms = statistics.median(samples["with"])
            without_ms = statistics.median(samples["without"])
            emit(f"{label}.with_audit.median", with_ms, "ms")
            emit(f"{label}.without_audit.median", without_ms, "ms")
            emit(f"{label}.added_by_audit", with_ms - without_ms, "ms", target_below=2.0)
        # The event itself: one INSERT, timed alone (the figure that does not depend on the
        # noise of a whole request on a busy machine).
        samples = []
        for _ in range(REPEAT * 5):
            start = time.perf_counter()
            audit.services.record(
                audit.services.Action.EXPORT, actor=user, detail="/a/records/?export=xlsx"
            )
            samples.append((time.perf_counter() - start) * 1000)
        emit("record.one_event.median", statistics.median(samples), "ms", target_below=2.0)
        emit(
            "record.one_event.p95",
            statistics.quantiles(samples, n=20)[18],
            "ms",
            target_below=2.0,
        )
        transaction.set_rollback(True)


if __name__ == "__main__":
    sys.exit(main())
