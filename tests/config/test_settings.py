"""Start-up behaviour of the settings, run in a fresh process as an operator would."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/portal",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def test_malformed_boolean_refuses_to_start_naming_the_variable():
    result = manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert 'Environment variable "DJANGO_DEBUG" invalid' in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_integer_refuses_to_start_naming_the_variable():
    result = manage("check", EVIDENCE_MAX_MB="twenty")
    assert result.returncode != 0
    assert "EVIDENCE_MAX_MB" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_check_deploy_with_production_settings_reports_nothing():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_without_debug():
    result = manage("seed_demo", **PRODUCTION)
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_service_check_names_an_unreachable_service_in_one_line():
    result = subprocess.run(
        [sys.executable, "-m", "config.checks"],
        cwd=ROOT,
        env={**os.environ, "REDIS_URL": "redis://127.0.0.1:6399/0"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Redis is not reachable at 127.0.0.1:6399")


# -- several machines (README "Growing past one machine") ----------------------------------------
SHOW_SHARED_STATE = (
    "import json; from django.conf import settings as s; o = s.STORAGES['default']['OPTIONS'];"
    "c = o.get('client_config'); print(json.dumps({'storage': s.STORAGES['default']['BACKEND'],"
    "'bucket': o.get('bucket_name'), 'endpoint': o.get('endpoint_url'),"
    "'acl': o.get('default_acl'),"
    "'overwrite': o.get('file_overwrite'), 'signature': c and c.signature_version,"
    "'addressing': c and c.s3['addressing_style'], 'cache': s.CACHES['default']['BACKEND'],"
    "'sessions': s.SESSION_ENGINE, 'broker': s.CELERY_BROKER_URL}))"
)
S3 = {
    "S3_BUCKET": "portal-files",
    "S3_ENDPOINT_URL": "http://minio:9000",
    "S3_ACCESS_KEY": "portal",
    "S3_SECRET_KEY": "secret-of-the-portal",
}


def shared_state(**env):
    result = manage("shell", "-c", SHOW_SHARED_STATE, **PRODUCTION, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_with_a_bucket_shares_files_cache_sessions_and_broker():
    """Nothing a second web or worker machine would miss stays in one process or on one disk."""
    state = shared_state(**S3)
    assert state == {
        "storage": "storages.backends.s3.S3Storage",
        "bucket": "portal-files",
        "endpoint": "http://minio:9000",
        "acl": None,  # the private bucket's policy, never a public-read object
        "overwrite": False,
        "signature": "s3v4",
        "addressing": "path",  # MinIO without wildcard DNS
        "cache": "common.redis_cache.SharedClientRedisCache",  # Redis, one client per server
        "sessions": "common.sessions",  # Django's database sessions, read in plain SQL
        "broker": "redis://127.0.0.1:6379/0",
    }


def test_production_without_a_bucket_keeps_files_on_the_disk():
    assert shared_state()["storage"] == "django.core.files.storage.FileSystemStorage"


def test_a_bucket_without_its_credentials_refuses_to_start_naming_the_variable():
    result = manage("check", **PRODUCTION, **{k: v for k, v in S3.items() if k != "S3_SECRET_KEY"})
    assert result.returncode != 0
    assert "S3_SECRET_KEY" in result.stderr
