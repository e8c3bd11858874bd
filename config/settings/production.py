"""Production: everything that matters must come from the environment."""

from marshmallow.validate import OneOf

from config.object_storage import s3_storage

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")  # no default: refuse to start without one
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": env.dj_db_url("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
REDIS_URL = env.str("REDIS_URL")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", REDIS_URL)
CACHES = {
    "default": {
        "BACKEND": "common.redis_cache.SharedClientRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    },
    "fragments": FRAGMENTS_CACHE,  # noqa: F405
}
# Redis is shared by every web process: people, scopes and bell counts are kept there
# (accountability/person_cache.py). Sessions stay in PostgreSQL alone (README, "Redis").
PERSON_CACHE = True
EMAIL_BACKEND = env.str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", True)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Past one machine (README "Growing past one machine"): evidence, scans and report exports in a
# private bucket on S3-compatible storage (MinIO) that every web and worker machine shares.
# Without S3_BUCKET they stay on this machine's disk under EVIDENCE_ROOT (one machine only).
S3_BUCKET = env.str("S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = s3_storage(
        bucket=S3_BUCKET,
        endpoint_url=env.str("S3_ENDPOINT_URL", ""),
        access_key=env.str("S3_ACCESS_KEY"),  # required with a bucket
        secret_key=env.str("S3_SECRET_KEY"),
        region=env.str("S3_REGION", "us-east-1"),
        addressing_style=env.str(
            "S3_ADDRESSING_STYLE", "path", validate=OneOf(["path", "virtual", "auto"])
        ),
        prefix=env.str("S3_PREFIX", ""),
        # A CA bundle for an intranet MinIO with its own certificate authority.
        verify=env.str("S3_CA_BUNDLE", "") or None,
    )
