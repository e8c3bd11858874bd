"""The leaders' dashboard: server time and query count at scale 1 and scale 100.

Targets (issue 6): server time (in-process test client, median of 20) under 150 ms at scale 100;
query counts identical at both scales. baseline = the scale-1 figure, ratio = scale 100 / scale 1.

Uses ``bench/_dataset.py``'s ``ensure_dataset(scale)`` (PostgreSQL ``portal_bench_s<scale>``);
each scale is measured in its own subprocess because Django binds one database per process.
"""

import json
import sys

from _common import emit, median_ms, per_scale, setup_django

SCALES = (1, 100)


def measure(scale):
    from _dataset import ensure_dataset

    setup_django("config.settings.test", ensure_dataset(scale))
    from django.db import connection
    from django.db.models import Count
    from django.db.models.functions import ExtractYear
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accountability.models import RoleAssignment, WorkRecord

    office = (
        RoleAssignment.objects.filter(role="office", user__is_active=True)
        .select_related("user", "organisation")
        .order_by("organisation__code")
        .first()
    )
    busiest = (
        WorkRecord.objects.filter(organisation=office.organisation)
        .annotate(y=ExtractYear("date"))
        .values("y")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    year = busiest["y"] if busiest else 2021
    url = f"/reports/dashboard/?org={office.organisation.code}&year={year}"
    client = Client()
    client.force_login(office.user)
    assert client.get(url).status_code == 200
    median = median_ms(lambda: client.get(url))
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    print(
        json.dumps(
            {"median": median, "queries": len(queries), "records": WorkRecord.objects.count()}
        )
    )


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--scale":
        return measure(int(sys.argv[2]))
    results = per_scale(__file__, SCALES)
    small, large = results[SCALES[0]], results[SCALES[-1]]
    for scale, result in results.items():
        emit(
            f"dashboard.s{scale}.server_time.median",
            result["median"],
            "ms",
            baseline=small["median"] if scale != SCALES[0] else None,
            work_records=result["records"],
        )
    for scale, result in results.items():
        emit(
            f"dashboard.s{scale}.queries",
            result["queries"],
            "queries",
            baseline=small["queries"] if scale != SCALES[0] else None,
        )
    emit("dashboard.queries_identical", int(small["queries"] == large["queries"]), "bool")


if __name__ == "__main__":
    main()
