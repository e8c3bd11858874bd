"""Backup and restore against the real PostgreSQL: counts, history and checksums must match."""

import json

import psycopg2
import pytest
from django.db import connection

from common.backup import backup, restore


@pytest.fixture
def empty_database():
    name = f"{connection.settings_dict['NAME']}_restore"
    server = "postgres://{USER}@{HOST}:{PORT}".format(
        USER=connection.settings_dict["USER"] or "postgres",
        HOST=connection.settings_dict["HOST"] or "127.0.0.1",
        PORT=connection.settings_dict["PORT"] or 5432,
    )

    def run(sql):
        admin = psycopg2.connect(f"{server}/postgres")
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(sql)
        admin.close()

    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def source(world, evidence_storage):
    folder = evidence_storage / "evidence" / "2026" / "11"
    folder.mkdir(parents=True)
    (folder / "a.pdf").write_bytes(b"%PDF-1.4 test\n%%EOF\n")
    world.finance.name = "计划财务处"
    world.finance.save()  # one more history row
    return world


@pytest.mark.django_db(transaction=True)
def test_restore_into_empty_database_matches_counts_history_and_files(
    source, evidence_storage, empty_database, tmp_path
):
    manifest = backup(tmp_path / "backup", files_root=evidence_storage)
    assert manifest["row_counts"]["accountability_historicalunit"] >= 6
    report = restore(tmp_path / "backup", empty_database, tmp_path / "restored")
    assert report.ok, report.mismatches
    assert report.files == 1
    assert report.history_rows == sum(
        n for table, n in manifest["row_counts"].items() if "_historical" in table
    )


@pytest.mark.django_db(transaction=True)
def test_verification_reports_a_tampered_file(source, evidence_storage, empty_database, tmp_path):
    backup(tmp_path / "backup", files_root=evidence_storage)
    manifest_path = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["files"] = {name: "0" * 64 for name in manifest["files"]}
    manifest_path.write_text(json.dumps(manifest))
    report = restore(tmp_path / "backup", empty_database, tmp_path / "restored")
    assert not report.ok
    assert any("checksum" in line for line in report.mismatches)


@pytest.mark.django_db(transaction=True)
def test_verification_reports_missing_rows(source, evidence_storage, empty_database, tmp_path):
    backup(tmp_path / "backup", files_root=evidence_storage)
    manifest_path = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["row_counts"]["accountability_unit"] += 1
    manifest_path.write_text(json.dumps(manifest))
    report = restore(tmp_path / "backup", empty_database, tmp_path / "restored")
    assert "accountability_unit" in " ".join(report.mismatches)
