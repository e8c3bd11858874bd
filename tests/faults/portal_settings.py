"""The production settings, served over plain HTTP on 127.0.0.1, for the fault tests' portal.

Everything of ``config.settings.production`` that a fault touches stays as deployed: PostgreSQL
with persistent connections and health checks, the Redis cache with its short timeouts, the
Celery broker options, SMTP mail, DEBUG off and the portal's own error pages. Only what needs
TLS or a build step is relaxed: a ``requests`` session never sends a ``Secure`` cookie back over
plain HTTP, static files come from the finders (no collectstatic), and the test users' fast
password hashes are accepted. Never use this module behind a real address.
"""

from config.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_PRELOAD = False
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The factories hash the cast's password with MD5 (tests only), as config.settings.test does.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303
# The fault tests' group robot stub listens on http://127.0.0.1 (issue #13's rules refuse it).
REMINDER_WEBHOOK_TEST_ROBOTS = True
