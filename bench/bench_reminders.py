"""The reminder sweep: one full sweep with digests built, stored and enqueued, at scale 1 and 100.

Target (issue 5): under 10 s at scale 100 (≈100,000 open measures, ≈3,000 units), enqueueing to
a real Redis (db 5 by default, ``BENCH_REDIS_URL``; no worker needed); the query count is the
same at both scales. baseline = the scale-1 figure, ratio = scale 100 / scale 1.

Each scale runs in its own subprocess (one database per Django process). Each run happens in a
transaction that is rolled back (the dataset is shared with other benches), so every run does
the full work; the Redis db is emptied afterwards.
"""

import json
import os
import sys
import time

from _common import emit, per_scale, setup_django

SCALES = (1, 100)
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")


def measure(scale):
    from _dataset import ensure_dataset

    os.environ["REDIS_URL"] = REDIS
    os.environ["CELERY_BROKER_URL"] = REDIS
    setup_django("config.settings.test", ensure_dataset(scale))
    import redis
    from django.db import connection, transaction
    from django.db.models import Value
    from django.db.models.functions import Concat
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accountability.models import User
    from deadlines import services
    from notices import services as notices
    from notices.models import Digest

    day = timezone.localdate()
    broker = redis.Redis.from_url(REDIS)
    broker.flushdb()
    # Everyone gets an e-mail address so that every digest has a delivery to enqueue; all of it,
    # digests included, is rolled back at the end so the shared dataset stays as generated.
    with transaction.atomic():
        User.objects.filter(email="").update(email=Concat("username", Value("@bench.example")))
        Digest.objects.filter(day=day).delete()
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            result = services.reminders_sweep(day=day, enqueue=False)
            notices.enqueue_deliveries(result.enqueued)  # what on_commit does
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    queued = broker.llen("celery")
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
    results = per_scale(__file__, SCALES)
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
