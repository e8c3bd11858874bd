"""TRUNCATE empties a table without firing its row triggers: refuse it on the audit log too.

A statement-level BEFORE TRUNCATE trigger (PostgreSQL only; SQLite has no TRUNCATE). The test
runner empties every table with TRUNCATE between transactional tests, so a session that sets
``audit.truncate`` to ``on`` may: only ``config.settings.test`` does, in its connection options.
As with ``audit.purge``, whoever owns the table can still drop the trigger; this stops the
statement that is not meant to reach the log (a ``manage.py flush`` in production, a script).
"""

from django.db import migrations

NO_TRUNCATE_SQL = """
CREATE OR REPLACE FUNCTION audit_event_no_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('audit.truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only (TRUNCATE refused)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_no_truncate();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_no_truncate();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_log_and_login_throttle")]

    operations = [migrations.RunPython(_on_postgresql(NO_TRUNCATE_SQL), _on_postgresql(DROP_SQL))]
