"""Start-up behaviour of the settings, run in a fresh process as an operator would."""

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
