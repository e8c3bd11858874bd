"""The delivery tests share the sweep's fixtures (fake watchers, a real worker, a fake robot)."""

from tests.deadlines.conftest import (  # noqa: F401 - fixtures and helpers
    DEAD_BROKER,
    broker_at,
    celery_worker,
    fake_items,
    item,
    rect,
    redis_db,
    robot,
    wait_for,
)
