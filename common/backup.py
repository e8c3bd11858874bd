"""Backup and restore: a PostgreSQL dump plus the evidence files, with a manifest to verify by.

A backup folder holds:
- ``db.dump``: ``pg_dump --format=custom`` of the database;
- ``evidence.tar.gz``: every stored file (evidence, scans, report exports), by its stored name,
  read through the storage API: from the disk of ``make run`` or from the bucket alike;
- ``manifest.json``: when, from where, the exact row count of every table the portal owns
  (history tables included) and the SHA-256 of every evidence file.

A restore loads both into an *empty* database and an *empty* store (a folder, or the configured
storage: the bucket), then recounts and rehashes and compares with the manifest; any difference
is reported and the restore fails.
"""

import hashlib
import json
import os
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2
from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage

from .storage import walk

CHUNK = 1 << 20


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


def as_storage(files: Path | str | Storage | None) -> Storage:
    """A folder is read as a disk storage; nothing means the portal's own (a disk or a bucket)."""
    if files is None:
        return default_storage
    if isinstance(files, Path | str):
        return FileSystemStorage(location=files)
    return files


def file_checksums(files: Path | Storage | None = None) -> dict[str, str]:
    storage = as_storage(files)
    checksums = {}
    for name in walk(storage):
        digest = hashlib.sha256()
        with storage.open(name, "rb") as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):  # noqa: B023 (used at once)
                digest.update(chunk)
        checksums[name] = digest.hexdigest()
    return checksums


def database_url_of_default() -> str:
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        raise RuntimeError("Backups are made from PostgreSQL (the production database).")
    auth = db["USER"] or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _archive(storage: Storage, target: Path):
    """Every stored file into a tar under ``evidence/`` (spooled to disk one at a time)."""
    with tarfile.open(target, "w:gz") as archive:
        for name in walk(storage):
            with storage.open(name, "rb") as source, tempfile.TemporaryFile() as spool:
                size = 0
                for chunk in iter(lambda: source.read(CHUNK), b""):  # noqa: B023 (used at once)
                    spool.write(chunk)
                    size += len(chunk)
                spool.seek(0)
                info = tarfile.TarInfo(f"evidence/{name}")
                info.size = size
                info.mtime = int(datetime.now(UTC).timestamp())
                archive.addfile(info, spool)


def backup(
    output: Path, database_url: str | None = None, files_root: Path | Storage | None = None
) -> dict:
    """``files_root``: a folder or a storage; by default the portal's own (disk or bucket)."""
    database_url = database_url or database_url_of_default()
    storage = as_storage(files_root)
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
    _archive(storage, output / "evidence.tar.gz")
    tables = portal_tables()
    manifest = {
        "created_at": datetime.now(UTC).isoformat(),
        "database": urlsplit(database_url).path.lstrip("/"),
        "row_counts": table_counts(database_url, tables),
        "files": file_checksums(storage),
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


def restore(
    source: Path, database_url: str, files_root: Path | Storage | None = None
) -> RestoreReport:
    """Restore ``source`` into an empty database and an empty folder (or storage; by default
    the portal's own), then verify."""
    manifest = json.loads((source / "manifest.json").read_text())
    storage = as_storage(files_root)
    if next(walk(storage), None) is not None:
        where = files_root if isinstance(files_root, Path | str) else "the file storage"
        raise RuntimeError(f"{where} is not empty: restore into an empty folder or bucket")
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
    with tarfile.open(source / "evidence.tar.gz", "r:gz") as archive:
        for member in archive:
            if not (member.isfile() and member.name.startswith("evidence/")):
                continue
            # The "data" filter's checks (no absolute names, no "..") before the name is used.
            member = tarfile.data_filter(member, "/nonexistent")
            name = member.name.removeprefix("evidence/")
            with archive.extractfile(member) as content:
                stored = storage.save(name, File(content, name=name))
            if stored != name:
                raise RuntimeError(f"{name} was stored as {stored}: the store was not empty")
    return verify(manifest, database_url, storage)


def verify(manifest: dict, database_url: str, files_root: Path | Storage | None) -> RestoreReport:
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
