"""Accountability list pages: server time and query count at scale 1 and scale 100.

Pages: the work-record ledger (unfiltered, and this year), the month view of one unit, duty
letters with signing rate, the responsibility list with progress, risk points; each as the office
user of the first organisation, through the in-process test client.
Targets (issue 3): each page's scale-100 time within 2× of scale 1 (baseline = the scale-1
figure, ratio = scale 100 / scale 1); query counts identical at both scales.

The machine is shared, so the two scales are measured *interleaved* in one process: the
connection is switched between ``portal_bench_s1`` and ``portal_bench_s100`` (both from
``bench/_dataset.py``'s ``ensure_dataset``) every few requests, and each figure is the median of
``ROUNDS × PER_ROUND`` requests; someone else's burst of load then hits both scales alike.
Run: ``.venv/bin/python bench/bench_accountability_lists.py``.
"""

import statistics
import time

from _common import emit, setup_django

SCALES = (1, 100)
ROUNDS = 8
PER_ROUND = 3


def main():
    from _dataset import ensure_dataset

    urls = {scale: ensure_dataset(scale) for scale in SCALES}
    setup_django("config.settings.test", urls[SCALES[0]])
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from accountability.models import RoleAssignment, WorkRecord

    def use(scale):
        connection.close()
        connection.settings_dict["NAME"] = urls[scale].rsplit("/", 1)[-1]

    today = timezone.localdate()
    clients, pages, records = {}, {}, {}
    for scale in SCALES:
        use(scale)
        office = (
            RoleAssignment.objects.filter(role="office", user__is_active=True)
            .select_related("user", "organisation")
            .order_by("organisation__code")
            .first()
        )
        unit = office.organisation.units.filter(parent__isnull=False).order_by("path").first()
        client = Client()
        client.force_login(office.user)
        clients[scale] = client
        records[scale] = WorkRecord.objects.count()
        ledger = reverse("accountability:workrecord-list")
        pages[scale] = {
            "workrecord_list": ledger,
            "workrecord_list_year": f"{ledger}?year={today.year}",
            "workrecord_month": f"{reverse('accountability:workrecord-month')}"
            f"?unit={unit.pk}&month={today:%Y-%m}",
            "dutyletter_list": f"{reverse('accountability:dutyletter-list')}?year={today.year}",
            "responsibilityitem_list": f"{reverse('accountability:responsibilityitem-list')}"
            f"?year={today.year}",
            "riskpoint_list": reverse("accountability:riskpoint-list"),
        }

    for name in pages[SCALES[0]]:
        samples = {scale: [] for scale in SCALES}
        queries = {}
        for _round in range(ROUNDS):
            for scale in SCALES:
                use(scale)
                client, url = clients[scale], pages[scale][name]
                response = client.get(url)  # warm-up after the switch (and the status check)
                assert response.status_code == 200, (name, scale, response.status_code)
                for _ in range(PER_ROUND):
                    start = time.perf_counter()
                    client.get(url)
                    samples[scale].append((time.perf_counter() - start) * 1000)
                if scale not in queries:
                    with CaptureQueriesContext(connection) as captured:
                        client.get(url)
                    queries[scale] = len(captured)
        small = statistics.median(samples[SCALES[0]])
        for scale in SCALES:
            emit(
                f"accountability.{name}.s{scale}.server_time.median",
                statistics.median(samples[scale]),
                "ms",
                baseline=small if scale != SCALES[0] else None,
                work_records=records[scale],
            )
        for scale in SCALES:
            emit(
                f"accountability.{name}.s{scale}.queries",
                queries[scale],
                "queries",
                baseline=queries[SCALES[0]] if scale != SCALES[0] else None,
            )
        emit(
            f"accountability.{name}.queries_identical",
            int(queries[SCALES[0]] == queries[SCALES[-1]]),
            "bool",
        )


if __name__ == "__main__":
    main()
