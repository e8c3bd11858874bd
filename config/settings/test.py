"""`make test`: the real PostgreSQL and Redis of the machine."""

from .base import *  # noqa: F403
from .base import REDIS_URL, env

DATABASES = {
    "default": env.dj_db_url("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "portal-test",
    }
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303 (tests only)
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = env.bool("AXES_ENABLED", True)
# Serve static files from the finders: no collectstatic needed to run the suite.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# Django's test client (also used in-process by bench/) calls itself "testserver".
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
# The fake group robots of the reminder and fault tests listen on http://127.0.0.1:<port>.
REMINDER_WEBHOOK_TEST_ROBOTS = True
