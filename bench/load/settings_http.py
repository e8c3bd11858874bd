"""Production settings served over plain HTTP on 127.0.0.1, for the load test only.

Everything of ``config.settings.production`` (DEBUG off, manifest static files through
whitenoise, PostgreSQL with persistent connections, Redis cache, Argon2id, throttling) stays;
only what needs TLS is turned off, because the load generator talks to gunicorn directly over
HTTP: a browser (and the ``requests`` session locust uses) never sends a ``Secure`` cookie back
over plain HTTP, so logins would not stick, and the SSL redirect would bounce every request.
Never use this module behind a real address.
"""

from config.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_PRELOAD = False
