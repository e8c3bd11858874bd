"""The audit log is append-only; only the retention purge deletes, and only old rows."""

import datetime

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.models import MIN_RETENTION_DAYS, AppendOnlyError, AuditEvent
from audit.services import Action, record


@pytest.fixture
def event(db):
    return record(Action.LOGIN, username="someone", detail="x")


def test_the_model_refuses_a_change(event):
    event.detail = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_the_model_and_queryset_refuse_deletion(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="changed")
    assert AuditEvent.objects.get(pk=event.pk).detail == "x"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET detail = 'changed'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_the_database_refuses_sql_that_changes_or_deletes(event, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEvent.objects.get(pk=event.pk).detail == "x"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_truncate(event):
    """The test settings let the runner's flush TRUNCATE (connection option audit.truncate=on);
    a session without it, as in production, is refused."""
    with (
        pytest.raises(DatabaseError) as refused,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL audit.truncate = 'off'")
        cursor.execute("TRUNCATE audit_auditevent")
    assert "TRUNCATE refused" in str(refused.value)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_only_the_test_settings_let_a_session_truncate_the_log():
    from pathlib import Path

    import config.settings

    folder = Path(config.settings.__file__).parent
    allowing = {path.name for path in folder.glob("*.py") if "audit.truncate" in path.read_text()}
    assert allowing == {"test.py"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_even_the_purge_switch_cannot_delete_a_recent_row(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL audit.purge = 'on'")
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_purge_deletes_only_rows_past_the_retention(db, settings):
    settings.AUDIT_RETENTION_DAYS = 200
    now = timezone.now()
    old = AuditEvent.objects.create(action=Action.LOGIN, at=now - datetime.timedelta(days=201))
    kept = AuditEvent.objects.create(action=Action.LOGIN, at=now - datetime.timedelta(days=199))
    call_command("purge_audit_log", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()


def test_the_retention_never_falls_below_six_months(db, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    assert AuditEvent.retention_days() == MIN_RETENTION_DAYS == 180
    young = AuditEvent.objects.create(
        action=Action.LOGIN, at=timezone.now() - datetime.timedelta(days=100)
    )
    AuditEvent.purge()
    assert AuditEvent.objects.filter(pk=young.pk).exists()


def test_the_purge_runs_nightly_from_beat(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "audit.tasks.purge_audit_log" in tasks


def test_a_short_retention_in_the_environment_stops_start_up(monkeypatch):
    import subprocess
    import sys

    env = {"AUDIT_RETENTION_DAYS": "30", "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"],
        env={**__import__("os").environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "AUDIT_RETENTION_DAYS" in result.stderr


@pytest.mark.django_db
class TestLoginEvents:
    def test_login_failure_lock_and_logout_are_logged(self, client, world, settings):
        from django.urls import reverse

        settings.LOGIN_ACCOUNT_FREE_FAILURES = 2
        url = reverse("login")
        client.post(url, {"username": "Leader", "password": "wrong"}, REMOTE_ADDR="10.0.0.8")
        client.post(url, {"username": "leader", "password": "wrong"}, REMOTE_ADDR="10.0.0.8")
        client.post(url, {"username": "leader", "password": world.password})
        client.post(url, {"username": "head", "password": world.password}, REMOTE_ADDR="10.0.0.9")
        client.post(reverse("logout"))
        actions = list(AuditEvent.objects.order_by("pk").values_list("action", "username"))
        assert actions == [
            ("login_failed", "Leader"),
            ("login_failed", "leader"),
            ("login_locked", "leader"),
            ("login_refused", "leader"),
            ("login", "head"),
            ("logout", "head"),
        ]
        failed = AuditEvent.objects.filter(action="login_failed").first()
        assert failed.address == "10.0.0.8"
        assert failed.organisation_id == world.org.pk
