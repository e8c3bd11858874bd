"""`make run`: SQLite in var/, no Redis; a real Celery worker and beat beside runserver.

The broker is kombu's filesystem transport under var/celery (no Redis, no extra package), and
`manage.py runportal` starts the worker with its embedded beat next to runserver, so the
morning sweep, the midday pass, the nightly evidence sweep and the pending deliveries run at
their times, as in production. Set CELERY_TASK_ALWAYS_EAGER=true to run tasks in-process
instead (nothing then runs on schedule).
"""

from config.embedded import SQLITE_OPTIONS, filesystem_broker

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, env

DEBUG = env.bool("DJANGO_DEBUG", True)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker(
        env.path("CELERY_FILESYSTEM_FOLDER", BASE_DIR / "var" / "celery")
    )
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule-local")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
EMAIL_BACKEND = env.str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", BASE_DIR / "var" / "mail")
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
