"""The reminder sweep: one full sweep with digests built, stored and enqueued, at scale 1 and 100.

Target (issue 5): under 10 s at scale 100 (≈100,000 open measures, ≈3,000 units), enqueueing to
a real Redis (db 5 by default, ``BENCH_REDIS_URL``; no worker needed); the query count is the
same at both scales. baseline = the scale-1 figure, ratio = scale 100 / scale 1.

Each scale runs in its own subprocess (one database per Django process). Before each timed run
the day's digests are removed, so every run does the full work; Redis db is emptied afterwards.
"""

import json
import os
import subprocess
import sys
import time

from _common import ROOT, emit, setup_django

SCALES = (1, 100)
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")


def measure(scale):
    from _dataset import ensure_dataset

    os.environ["REDIS_URL"] = REDIS
    os.environ["CELERY_BROKER_URL"] = REDIS
    setup_django("config.settings.test", ensure_dataset(scale))
    import redis
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from rectification.reminders import services
    from rectification.reminders.models import Digest

    day = timezone.localdate()
    broker = redis.Redis.from_url(REDIS)
    Digest.objects.filter(day=day).delete()
    broker.flushdb()
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = services.reminders_sweep(day=day)
    seconds = time.perf_counter() - start
    queued = broker.llen("celery")
    Digest.objects.filter(day=day).delete()
    broker.flushdb()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "queries": len(queries),
                "items": result.items,
                "people": len(result.drafts),
                "enqueued": len(result.enqueued),
                "messages": queued,
            }
        )
    )


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--scale":
        return measure(int(sys.argv[2]))
    results = {}
    for scale in SCALES:
        child = subprocess.run(
            [sys.executable, __file__, "--scale", str(scale)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        results[scale] = json.loads(child.stdout.strip().splitlines()[-1])
    small = results[SCALES[0]]
    for scale, result in results.items():
        emit(
            f"reminders.s{scale}.sweep_time",
            result["seconds"],
            "s",
            baseline=small["seconds"] if scale != SCALES[0] else None,
            items=result["items"],
            people=result["people"],
            deliveries_enqueued=result["enqueued"],
            broker_messages=result["messages"],
        )
    for scale, result in results.items():
        emit(
            f"reminders.s{scale}.queries",
            result["queries"],
            "queries",
            baseline=small["queries"] if scale != SCALES[0] else None,
        )
    emit(
        "reminders.queries_identical",
        int(small["queries"] == results[SCALES[-1]]["queries"]),
        "bool",
    )


if __name__ == "__main__":
    main()
