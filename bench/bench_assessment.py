"""Unit assessment (issue 15): every unit of every organisation scored and ranked.

Target: "the assessment of every unit of 100 organisations under 10 s" (generate_dataset scale
100). In one transaction that is rolled back at the end, each organisation gets a scheme scoring
its units with the four record measures, and a supervising body is put above all of them with a
scheme scoring the organisations; then every scheme is assessed (``assessment.scoring.assess``).
Prints seconds, queries and the ratio to the 10 s target (value / baseline).

    .venv/bin/python bench/bench_assessment.py --scale 10

Uses ``bench/_dataset.py`` (PostgreSQL ``<BENCH_DB_PREFIX>_s<scale>``; this script defaults the
prefix to ``portal_bench_assessment`` so that its migration does not touch other checkouts'
datasets).
"""

import argparse
import os
import time

from _common import emit, setup_django

TARGET_SECONDS = 10.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=100)
    scale = parser.parse_args().scale
    os.environ.setdefault("BENCH_DB_PREFIX", "portal_bench_assessment")
    from _dataset import ensure_dataset

    setup_django("config.settings.test", ensure_dataset(int(scale) if scale >= 1 else scale))
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accountability.models import Organisation, Unit
    from assessment.models import Measure, Rule, Scheme
    from assessment.scoring import assess

    year = timezone.localdate().year
    measures = [
        Measure.MONTHLY_RECORDS,
        Measure.LETTERS_SIGNED,
        Measure.MEASURES_CLOSED,
        Measure.FOLLOWUPS_DONE,
    ]
    with transaction.atomic():
        organisations = list(Organisation.objects.order_by("pk"))
        schemes = [
            Scheme.objects.create(owner=org, year=year, target=Scheme.Target.UNITS, name="考核")
            for org in organisations
        ]
        body = Organisation.objects.create(code="bench-body", name="基准测试工委")
        for org in organisations:
            org.supervisor = body
            org.save()
        body_scheme = Scheme.objects.create(
            owner=body, year=year, target=Scheme.Target.ORGANISATIONS, name="考核"
        )
        Rule.objects.bulk_create(
            Rule(scheme=scheme, measure=measure, weight=25)
            for scheme in [*schemes, body_scheme]
            for measure in measures
        )
        units = Unit.objects.filter(is_active=True).count()

        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            rows = sum(len(assess(scheme).rows) for scheme in schemes)
            seconds = time.perf_counter() - start
        emit(
            "assessment: every unit of every organisation",
            seconds,
            "s",
            baseline=TARGET_SECONDS,
            scale=scale,
            organisations=len(organisations),
            units=units,
            rows=rows,
            queries=len(queries.captured_queries),
            queries_per_scheme=len(queries.captured_queries) / max(1, len(schemes)),
        )
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            result = assess(body_scheme)
            seconds = time.perf_counter() - start
        emit(
            "assessment: the body's ranking of its organisations",
            seconds,
            "s",
            baseline=TARGET_SECONDS,
            scale=scale,
            rows=len(result.rows),
            queries=len(queries.captured_queries),
        )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
