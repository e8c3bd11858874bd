"""The supervising body's roll-up (下级单位汇总): server time and query count.

Target (issue 15): with ``generate_dataset`` at scale 100 (100 organisations below the body,
≈ 500,000 work records) the roll-up page's median under 300 ms, with a query count independent
of the number of organisations (tests/oversight/test_rollup.py asserts that with 2 and 5; here
``--compare 10`` also measures scale 10 and prints whether the counts are equal).
The page is requested in-process (Django's test client) as the body's office ``gw-1-office``
(``generate_dataset`` puts a 机关工委 above the organisations), for the last complete year (all
twelve months filled) and for the current year. Uses bench/_dataset.py's ``ensure_dataset``:
set ``BENCH_DB_PREFIX`` to keep this checkout's databases apart from others on the server.

Run: ``.venv/bin/python bench/bench_rollup.py [--scale 100] [--repeat 20] [--compare 10]``.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time

from _common import emit, setup_django

TARGET_MS = 300


def measure(scale, repeat):
    from _dataset import ensure_dataset

    setup_django("config.settings.test", ensure_dataset(scale))
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from accountability.access import scope_for
    from accountability.models import User

    office = User.objects.get(username="gw-1-office")
    below = len(scope_for(office).supervised_org_ids)
    client = Client()
    client.force_login(office)
    today = timezone.localdate()
    results = {"organisations": below}
    for label, year in (("last_year", today.year - 1), ("this_year", today.year)):
        url = f"{reverse('oversight:rollup')}?year={year}"
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        # Each organisation has a row in both tables, plus the two totals rows.
        assert response.content.decode().count("<tr data-org=") == 2 * below + 2
        for _ in range(2):
            client.get(url)
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        samples.sort()
        results[label] = {
            "median": statistics.median(samples),
            "p95": samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))],
            "queries": len(queries),
        }
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--compare", type=int, default=0, help="also measure this scale")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.scale, args.repeat)))
        return
    scales = [args.scale] + ([args.compare] if args.compare else [])
    results = {}
    for scale in scales:
        # One process per scale: Django binds one database per process.
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--scale",
                str(scale),
                "--repeat",
                str(args.repeat),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        results[scale] = json.loads(child.stdout.strip().splitlines()[-1])
    for scale, result in results.items():
        for label in ("last_year", "this_year"):
            figure = result[label]
            emit(
                f"rollup.s{scale}.{label}.server_time.median",
                figure["median"],
                "ms",
                baseline=TARGET_MS,
                p95=round(figure["p95"], 1),
                organisations=result["organisations"],
            )
            emit(f"rollup.s{scale}.{label}.queries", figure["queries"], "queries")
    if len(results) > 1:
        counts = {scale: result["last_year"]["queries"] for scale, result in results.items()}
        emit(
            "rollup.queries_identical",
            int(len(set(counts.values())) == 1),
            "bool",
            **{f"s{scale}": n for scale, n in counts.items()},
        )


if __name__ == "__main__":
    main()
