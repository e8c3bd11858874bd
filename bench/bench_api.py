"""REST API list endpoints: server time and query count at scale 1 and scale 100.

Endpoints: work records (unfiltered and this year), measures, findings, duty letters,
responsibility items, risk points, units and people; each called with the personal API token of
the office user of the first organisation, through the in-process test client.
Targets (issue 14): each list's scale-100 time within 2× of scale 1 (baseline = the scale-1
figure, ratio = scale 100 / scale 1); query counts identical at both scales.

As in bench_accountability_lists.py, the scales are measured interleaved in one process (the
connection switches database every few requests) so that load from elsewhere hits both alike.
Run: ``.venv/bin/python bench/bench_api.py [--scales 1,100]``.
"""

import argparse
import statistics
import time

from _common import emit, setup_django

ROUNDS = 8
PER_ROUND = 3


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="1,100")
    scales = tuple(int(s) for s in parser.parse_args().scales.split(","))
    from _dataset import ensure_dataset

    urls = {scale: ensure_dataset(scale) for scale in scales}
    setup_django("config.settings.test", urls[scales[0]])
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accountability.models import RoleAssignment, WorkRecord
    from api.services import apitoken_create

    settings.API_THROTTLE_RATE = "1000000/min"

    def use(scale):
        connection.close()
        connection.settings_dict["NAME"] = urls[scale].rsplit("/", 1)[-1]

    year = timezone.localdate().year
    clients, records = {}, {}
    for scale in scales:
        use(scale)
        office = (
            RoleAssignment.objects.filter(role="office", user__is_active=True)
            .select_related("user", "organisation")
            .order_by("organisation__code")
            .first()
        )
        _token, raw = apitoken_create(user=office.user, name="bench")
        clients[scale] = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
        records[scale] = WorkRecord.objects.count()
    endpoints = {
        "workrecord_list": "/api/v1/work-records/",
        "workrecord_list_year": f"/api/v1/work-records/?year={year}",
        "measure_list": "/api/v1/measures/",
        "finding_list": "/api/v1/findings/",
        "dutyletter_list": f"/api/v1/duty-letters/?year={year}",
        "responsibilityitem_list": f"/api/v1/responsibility-items/?year={year}",
        "riskpoint_list": "/api/v1/risk-points/",
        "unit_list": "/api/v1/units/",
        "person_list": "/api/v1/people/",
    }
    for name, url in endpoints.items():
        samples = {scale: [] for scale in scales}
        queries = {}
        for _round in range(ROUNDS):
            for scale in scales:
                use(scale)
                client = clients[scale]
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
        small = statistics.median(samples[scales[0]])
        for scale in scales:
            emit(
                f"api.{name}.s{scale}.server_time.median",
                statistics.median(samples[scale]),
                "ms",
                baseline=small if scale != scales[0] else None,
                work_records=records[scale],
            )
        for scale in scales:
            emit(
                f"api.{name}.s{scale}.queries",
                queries[scale],
                "queries",
                baseline=queries[scales[0]] if scale != scales[0] else None,
            )
        emit(
            f"api.{name}.queries_identical", int(queries[scales[0]] == queries[scales[-1]]), "bool"
        )


if __name__ == "__main__":
    main()
