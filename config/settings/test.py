"""`make test`: the real PostgreSQL and Redis of the machine.

Under pytest-xdist each worker gets its own test database (pytest-django names it
``test_<name>_gw0``…) and, from here, its own Redis database: a test that flushes its Redis db or
runs a real Celery worker must not take another worker's messages.
"""

import os
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403
from .base import REDIS_URL, env


def _per_worker(url, worker):
    """``redis://host:port/N`` → database N+1+k for xdist worker ``gwk`` (16 databases)."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    index = int(worker.removeprefix("gw") or 0)
    return urlunsplit(parts._replace(path=f"/{(base + 1 + index) % 16}"))


# PYTEST_XDIST_WORKER is inherited by the processes a test starts (a Celery worker, gunicorn):
# they are handed the worker's REDIS_URL already, so only the pytest process itself moves over.
_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and not os.environ.get("PORTAL_REDIS_PER_WORKER"):
    REDIS_URL = _per_worker(REDIS_URL, _worker)
    CELERY_BROKER_URL = REDIS_URL
    os.environ.update(REDIS_URL=REDIS_URL, PORTAL_REDIS_PER_WORKER="1")

DATABASES = {
    "default": env.dj_db_url("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# The runner empties the tables between transactional tests with TRUNCATE, which the audit log's
# trigger refuses unless the session sets audit.truncate (audit/migrations/0002); only here.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c audit.truncate=on"
CACHES = {
    "default": {
        "BACKEND": "common.redis_cache.SharedClientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "portal-test",
    },
    "fragments": FRAGMENTS_CACHE,  # noqa: F405
}
# Redis is shared by every web process: people, scopes and bell counts are kept there
# (accountability/person_cache.py). Sessions stay in PostgreSQL alone (README, "Redis").
PERSON_CACHE = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303 (tests only)
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The suite's clients share one Redis across workers and databases (user ids repeat): the API
# throttle is exercised on purpose, with a private cache, in tests/api/test_tokens.py.
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", "100000/min")
API_ANON_THROTTLE_RATE = env.str("API_ANON_THROTTLE_RATE", "100000/min")
# Serve static files from the finders: no collectstatic needed to run the suite.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# Django's test client (also used in-process by bench/) calls itself "testserver".
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
# The fake group robots of the reminder and fault tests listen on http://127.0.0.1:<port>.
REMINDER_WEBHOOK_TEST_ROBOTS = True
