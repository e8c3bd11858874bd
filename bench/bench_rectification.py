"""Rectification: the ledger and the inspector's queue at scale 1 and 100, and a 5,000-row import.

Targets (issue 4): server time (in-process test client, median of 20) of the ledger (整改台账,
first page, default order) and of the inspector's queue at scale 100 within 2× of scale 1, with
identical query counts; importing a generated 5,000-row findings workbook (parse + confirm) in
under 5 s. baseline = the scale-1 figure, ratio = scale 100 / scale 1.

The pages are read as the office / inspector of the organisation with the most measures (the
worst case for a single user). Uses ``bench/_dataset.py``'s ``ensure_dataset(scale)``; each scale
runs in its own subprocess because Django binds one database per process. The import runs inside
a transaction that is rolled back, so the dataset is left as it was. Before timing, the
rectification tables are VACUUM ANALYZEd, as autovacuum keeps a live database.
"""

import io
import json
import sys
import time
from collections import Counter
from datetime import date

from _common import emit, median_ms, per_scale, setup_django

SCALES = (1, 100)
IMPORT_ROWS = 5000


def _user(org_id, role):
    from accountability.models import RoleAssignment

    found = (
        RoleAssignment.objects.filter(organisation_id=org_id, role=role, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
        .first()
    )
    return found.user if found else None


def _page(user, url):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    assert client.get(url).status_code == 200, url
    median = median_ms(lambda: client.get(url))
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return median, len(queries)


def _workbook(org_id, rows):
    from openpyxl import Workbook

    from accountability.models import Unit, User
    from rectification.importer import COLUMNS

    units = list(
        Unit.objects.filter(organisation_id=org_id, is_active=True)
        .order_by("name")
        .values_list("name", flat=True)
    )
    unit_counts = Counter(units)
    unique_units = [name for name in units if unit_counts[name] == 1][:50]
    names = list(
        User.objects.filter(organisation_id=org_id, is_active=True).values_list(
            "full_name", flat=True
        )
    )
    name_counts = Counter(names)
    unique_people = sorted(n for n in name_counts if name_counts[n] == 1)[:50]
    # A normal (not write-only) workbook, laid out as Excel saves one: shared strings and the
    # sheet's dimension first.
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "问题清单"
    sheet.append(list(COLUMNS.values()))
    for index in range(rows):
        number = index // 2 + 1
        sheet.append(
            [
                f"第{number % 4 + 1}方面",
                number,
                f"反馈问题{number}" if index % 2 == 0 else "",
                f"整改措施{index + 1}",
                unique_people[index % len(unique_people)],
                unique_units[index % len(unique_units)],
                unique_people[(index + 1) % len(unique_people)],
                "长期坚持" if index % 10 == 0 else f"2027-{index % 12 + 1:02d}-15",
            ]
        )
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream


def _import_seconds(org_id, office):
    from django.db import transaction

    from rectification import importer
    from rectification.models import Inspection

    stream = _workbook(org_id, IMPORT_ROWS)
    with transaction.atomic():
        inspection = Inspection.objects.create(
            organisation_id=org_id,
            kind=Inspection.Kind.SPECIAL,
            source="bench",
            title="bench import",
            started_on=date(2026, 1, 1),
        )
        start = time.perf_counter()
        result = importer.parse(stream, inspection)
        assert result.ok, result.problems[:5]
        batch = importer.stage(result, inspection=inspection, by=office, file_name="bench.xlsx")
        importer.confirm(batch, by=office)
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    return seconds


def measure(scale):
    from _dataset import ensure_dataset

    setup_django("config.settings.test", ensure_dataset(scale))
    from django.db import connection
    from django.db.models import Count
    from django.urls import reverse

    from accountability.models import Role
    from rectification.models import Measure

    # A freshly bulk-loaded table has no visibility map or statistics yet; a live database has
    # both from autovacuum. Give the dataset the same (not timed).
    with connection.cursor() as cursor:
        for table in (
            "rectification_measure",
            "rectification_finding",
            "rectification_progressupdate",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    busiest = (
        Measure.objects.values("organisation")
        .annotate(n=Count("pk"))
        .order_by("-n", "organisation")
        .first()
    )
    org_id = busiest["organisation"]
    office, inspector = _user(org_id, Role.OFFICE), _user(org_id, Role.INSPECTOR)
    ledger = _page(office, reverse("rectification:measure-list"))
    queue = _page(inspector, reverse("rectification:review-queue"))
    result = {
        "ledger_ms": ledger[0],
        "ledger_queries": ledger[1],
        "queue_ms": queue[0],
        "queue_queries": queue[1],
        "measures": Measure.objects.count(),
        "org_measures": busiest["n"],
        "waiting": Measure.objects.filter(
            organisation_id=org_id, state=Measure.State.CLOSURE_REQUESTED
        ).count(),
    }
    if scale == SCALES[0]:
        result["import_s"] = _import_seconds(org_id, office)
    print(json.dumps(result))


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--scale":
        return measure(int(sys.argv[2]))
    results = per_scale(__file__, SCALES)
    small = results[SCALES[0]]
    for scale, result in results.items():
        first = scale == SCALES[0]
        emit(
            f"rectification.ledger.s{scale}.server_time.median",
            result["ledger_ms"],
            "ms",
            baseline=None if first else small["ledger_ms"],
            measures=result["measures"],
            org_measures=result["org_measures"],
        )
        emit(
            f"rectification.ledger.s{scale}.queries",
            result["ledger_queries"],
            "queries",
            baseline=None if first else small["ledger_queries"],
        )
        emit(
            f"rectification.review_queue.s{scale}.server_time.median",
            result["queue_ms"],
            "ms",
            baseline=None if first else small["queue_ms"],
            waiting=result["waiting"],
        )
        emit(
            f"rectification.review_queue.s{scale}.queries",
            result["queue_queries"],
            "queries",
            baseline=None if first else small["queue_queries"],
        )
    emit(
        "rectification.import_5000_rows.seconds",
        small["import_s"],
        "s",
        target=5.0,
        rows=IMPORT_ROWS,
    )


if __name__ == "__main__":
    main()
