"""Restore drill: back up a portal with demo data, restore it into an empty database and folder,
and check that row counts, history records and evidence-file checksums all match.

Prints JSON figures; exits non-zero when anything differs. Uses scratch databases
portal_drill_src / portal_drill_dst on the local PostgreSQL (dropped and recreated each run).
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2
from _common import ROOT, emit

SERVER = os.environ.get("DRILL_SERVER_URL", "postgres://postgres@127.0.0.1:5432")


def recreate(name):
    connection = psycopg2.connect(f"{SERVER}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return f"{SERVER}/{name}"


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


def main():
    work = Path(tempfile.mkdtemp(prefix="restore-drill-"))
    source_files, restored_files = work / "evidence-src", work / "evidence-dst"
    source_url, target_url = recreate("portal_drill_src"), recreate("portal_drill_dst")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": source_url,
        "EVIDENCE_ROOT": str(source_files),
    }
    manage("migrate", "--noinput", env=env)
    manage("seed_demo", "--force", env=env)
    # Some evidence even when the demo data has none, so that checksums are exercised.
    sample = source_files / "evidence" / "drill"
    sample.mkdir(parents=True, exist_ok=True)
    for n in range(3):
        (sample / f"sample{n}.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(2048) + b"\n%%EOF\n")

    start = time.perf_counter()
    manage("backup_portal", "--output", str(work / "backup"), env=env)
    emit("drill.backup_time", time.perf_counter() - start, "s")
    start = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "restore_portal",
            "--input",
            str(work / "backup"),
            "--database-url",
            target_url,
            "--evidence-root",
            str(restored_files),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    emit("drill.restore_time", time.perf_counter() - start, "s")
    print(result.stdout.strip() or result.stderr.strip(), file=sys.stderr)

    sys.path.insert(0, str(ROOT))
    os.environ.update(
        {"DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": source_url}
    )
    import django

    django.setup()
    from common.backup import file_checksums, portal_tables, table_counts

    tables = portal_tables()
    before, after = table_counts(source_url, tables), table_counts(target_url, tables)
    history = [t for t in tables if "_historical" in t]
    emit("drill.tables", len(tables), "tables")
    emit("drill.rows", sum(after.values()), "rows", baseline=sum(before.values()))
    emit(
        "drill.history_rows",
        sum(after[t] for t in history),
        "rows",
        baseline=sum(before[t] for t in history),
    )
    files_before, files_after = file_checksums(source_files), file_checksums(restored_files)
    emit("drill.files", len(files_after), "files", baseline=len(files_before))
    mismatches = [t for t in tables if before[t] != after[t]]
    mismatches += [f for f in files_before if files_after.get(f) != files_before[f]]
    emit("drill.mismatches", len(mismatches), "items", details=mismatches[:20])
    return 0 if result.returncode == 0 and not mismatches else 1


if __name__ == "__main__":
    sys.exit(main())
