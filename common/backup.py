"""Backup and restore: a PostgreSQL dump plus the evidence files, with a manifest to verify by.

A backup folder holds:
- ``db.dump``: ``pg_dump --format=custom`` of the database;
- ``evidence.tar.gz``: every stored evidence file, by its stored (random) name;
- ``manifest.json``: when, from where, the exact row count of every table the portal owns
  (history tables included) and the SHA-256 of every evidence file.

A restore loads both into an *empty* database and folder, then recounts and rehashes and compares
with the manifest; any difference is reported and the restore fails.
"""

import hashlib
import json
import os
import subprocess
import tarfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2
from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage


def _libpq_env(database_url: str) -> dict:
    """PG* environment variables for pg_dump / pg_restore (keeps the password off argv)."""
    parts = urlsplit(database_url)
    env = dict(os.environ)
    env.update(
        {
            "PGHOST": parts.hostname or "127.0.0.1",
            "PGPORT": str(parts.port or 5432),
            "PGUSER": parts.username or "postgres",
            "PGDATABASE": parts.path.lstrip("/"),
        }
    )
    if parts.password:
        env["PGPASSWORD"] = parts.password
    return env


def portal_tables() -> list[str]:
    """Every table of the portal's models, history and many-to-many tables included."""
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables.add(model._meta.db_table)
    return sorted(tables)


def table_counts(database_url: str, tables: list[str]) -> dict[str, int]:
    connection = psycopg2.connect(database_url)
    try:
        with connection.cursor() as cursor:
            counts = {}
            for table in tables:
                cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names from the model registry)
                counts[table] = cursor.fetchone()[0]
            return counts
    finally:
        connection.close()


def file_checksums(root: Path) -> dict[str, str]:
    checksums = {}
    if not root.exists():
        return checksums
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        checksums[str(path.relative_to(root))] = digest.hexdigest()
    return checksums


def database_url_of_default() -> str:
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        raise RuntimeError("Backups are made from PostgreSQL (the production database).")
    auth = db["USER"] or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def evidence_root() -> Path:
    return Path(default_storage.location)


def backup(output: Path, database_url: str | None = None, files_root: Path | None = None) -> dict:
    database_url = database_url or database_url_of_default()
    files_root = files_root or evidence_root()
    output.mkdir(parents=True, exist_ok=False)
    subprocess.run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            output / "db.dump",
        ],
        env=_libpq_env(database_url),
        check=True,
        capture_output=True,
    )
    with tarfile.open(output / "evidence.tar.gz", "w:gz") as archive:
        if files_root.exists():
            archive.add(files_root, arcname="evidence")
    tables = portal_tables()
    manifest = {
        "created_at": datetime.now(UTC).isoformat(),
        "database": urlsplit(database_url).path.lstrip("/"),
        "row_counts": table_counts(database_url, tables),
        "files": file_checksums(files_root),
    }
    (output / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    files: int = 0
    history_rows: int = 0
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def restore(source: Path, database_url: str, files_root: Path) -> RestoreReport:
    """Restore ``source`` into an empty database and an empty folder, then verify."""
    manifest = json.loads((source / "manifest.json").read_text())
    if any(files_root.iterdir()) if files_root.exists() else False:
        raise RuntimeError(f"{files_root} is not empty: restore into an empty folder")
    subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            urlsplit(database_url).path.lstrip("/"),
            source / "db.dump",
        ],
        env=_libpq_env(database_url),
        check=True,
        capture_output=True,
    )
    files_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / "evidence.tar.gz", "r:gz") as archive:
        members = [m for m in archive.getmembers() if m.name.startswith("evidence/") and m.isfile()]
        for member in members:
            member.name = member.name.removeprefix("evidence/")
        archive.extractall(files_root, members=members, filter="data")
    return verify(manifest, database_url, files_root)


def verify(manifest: dict, database_url: str, files_root: Path) -> RestoreReport:
    expected_counts = manifest["row_counts"]
    counts = table_counts(database_url, sorted(expected_counts))
    report = RestoreReport(tables=len(counts), rows=sum(counts.values()))
    report.history_rows = sum(n for t, n in counts.items() if "_historical" in t)
    for table, expected in expected_counts.items():
        if counts.get(table) != expected:
            report.mismatches.append(f"{table}: {counts.get(table)} rows, expected {expected}")
    checksums = file_checksums(files_root)
    report.files = len(checksums)
    for name, digest in manifest["files"].items():
        if checksums.get(name) != digest:
            report.mismatches.append(f"file {name}: checksum differs or missing")
    for name in set(checksums) - set(manifest["files"]):
        report.mismatches.append(f"file {name}: not in the backup manifest")
    return report
