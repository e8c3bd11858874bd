"""The `make run` configuration under test: SQLite, no Redis, no PostgreSQL.

The browser journeys, the findings import and the notices run here as well as on PostgreSQL
(``config.settings.test``), so that a defect of either database fails a test. The test database
is SQLite in memory (Django shares one connection with the live server thread).
"""

import os

from config.embedded import SQLITE_OPTIONS, filesystem_broker

from .env import BASE_DIR
from .test import *  # noqa: F403

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(BASE_DIR / "var" / "portal-test.sqlite3"),
        "ATOMIC_REQUESTS": True,
        "TEST": {"NAME": None},  # in memory; every xdist worker has its own
        "OPTIONS": SQLITE_OPTIONS,  # as `make run` has them
    }
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": FRAGMENTS_CACHE,  # noqa: F405
}
# The in-memory database's one connection is shared with the live server's threads: one request
# at a time (tests/e2e/serial.py).
MIDDLEWARE = ["tests.e2e.serial.OneRequestAtATimeMiddleware", *MIDDLEWARE]  # noqa: F405
# A cache of this process only: nothing kept between requests (accountability/person_cache.py).
PERSON_CACHE = False
# No Redis: tasks go to the broker `make run` uses (files), one folder per test process; the
# bell rows are written in the request itself, e-mail waits for a worker no test starts here.
CELERY_BROKER_URL = "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker(
    BASE_DIR / "var" / "celery-test" / str(os.getpid())
)
