"""PostgreSQL stopped (``pg_ctl stop -m immediate``, i.e. crashed) in the middle of a save.

The save is caught mid-transaction on purpose: a lock taken by the test holds the portal's
INSERT of the evidence row, after the work record's own row is written and its file is on
disk; then the server is killed. The user must get the portal's own error page (Chinese, says
the change was not saved; no traceback, no hang); after ``pg_ctl start`` nothing of the save
is left (rows and files), and the SAME portal processes serve pages and saves again.
"""

import threading
import time

import pytest

from accountability.models import WorkRecordKind
from tests.factories import PASSWORD
from tests.samples import ONE_PAGE_PDF

from .browser import Browser, visible_text
from .procs import Portal, PostgresCluster, service_env, wait_for

pytestmark = pytest.mark.faults

DATABASE = "portal_faults"
PDF = ONE_PAGE_PDF
PAGES = ("/", "/a/records/", "/r/measures/", "/reminders/")


@pytest.fixture(scope="module")
def cluster():
    server = PostgresCluster(port=5441)
    try:
        server.init().start()
        yield server
    finally:
        server.close()


@pytest.fixture
def portal(cast, cluster, test_database_url, redis_server, tmp_path):
    """The test's rows copied into the private cluster, and gunicorn (2 workers) on it with the
    production database settings (persistent connections, health checks)."""
    WorkRecordKind.ensure_presets(cast.org)
    cluster.copy_from(test_database_url, DATABASE)
    env = service_env(
        database_url=cluster.url(DATABASE),
        redis_url=redis_server.url(),
        evidence_root=tmp_path / "storage",
    )
    server = Portal(env, tmp_path, workers=2).start()
    server.storage = tmp_path / "storage"
    yield server
    server.close()


def row_counts(cluster):
    """{table: rows} for every table of the database, in one query."""
    conn = cluster.connect(DATABASE)
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
            )
            tables = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                "SELECT " + ", ".join(f'(SELECT count(*) FROM "{t}")' for t in tables)  # noqa: S608
            )
            return dict(zip(tables, cursor.fetchone(), strict=True))
    finally:
        conn.close()


def stored_files(folder):
    return sorted(str(p) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def record_form(cast, title):
    kind = WorkRecordKind.objects.get(organisation=cast.org, code="theory_study")
    return {
        "date": time.strftime("%Y-%m-%d"),
        "unit": cast.works.pk,
        "kind": kind.pk,
        "title": title,
        "participant_count": "7",
        "description": "数据库故障演练",
    }


def evidence():
    return {"evidence": ("会议纪要.pdf", PDF, "application/pdf")}


def blocked_insert(cluster):
    """The portal's backend waiting for the test's lock on the evidence table, if any."""
    conn = cluster.connect(DATABASE)
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND query LIKE 'INSERT INTO \"accountability_workrecordevidence\"%%'"
            )
            return cursor.fetchone()
    finally:
        conn.close()


def portal_connections(cluster):
    conn = cluster.connect(DATABASE)
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                "AND backend_type = 'client backend' AND application_name <> 'faults-test'",
                [DATABASE],
            )
            return cursor.fetchone()[0]
    finally:
        conn.close()


def test_postgres_killed_mid_save_shows_the_error_page_leaves_nothing_and_recovers(
    cast, cluster, portal, say
):
    head = Browser(portal.base_url).login("head", PASSWORD)
    for _ in range(4):  # both gunicorn workers hold a persistent connection now
        assert head.get("/a/records/").status == 200
    workers = sorted(portal.worker_pids())
    before_rows, before_files = row_counts(cluster), stored_files(portal.storage)

    lock = cluster.connect(DATABASE)
    lock.autocommit = False
    lock.cursor().execute('LOCK TABLE "accountability_workrecordevidence" IN SHARE MODE')
    answers = {}
    save = threading.Thread(
        target=lambda: answers.update(
            save=head.post("/a/records/new/", record_form(cast, "保存中途数据库停止"), evidence())
        )
    )
    save.start()
    assert wait_for(lambda: blocked_insert(cluster), timeout=20), "the save never reached the lock"
    files_mid_save = stored_files(portal.storage)
    stopped = time.monotonic()
    cluster.stop("immediate")
    save.join(timeout=30)
    answer = answers["save"]
    page = visible_text(answer.text)
    say(
        f"postgres stopped (immediate) {time.monotonic() - stopped:.2f} s before the answer, "
        f"mid-save (record row written, evidence INSERT waiting, {len(files_mid_save)} file on "
        f"disk): {answer.line('POST work record')}; page says: {page[:60]}"
    )
    assert answer.status in (500, 503), answer.line("POST")
    assert "系统暂时无法处理您的请求" in page and "您的操作没有被保存" in page
    assert "Traceback" not in answer.text and "OperationalError" not in answer.text
    assert len(files_mid_save) == len(before_files) + 1

    down = head.get("/a/records/")
    say(f"postgres down: {down.line('GET /a/records/')} (the same error page)")
    assert down.status in (500, 503) and "系统暂时无法处理您的请求" in down.text
    assert down.seconds < 2.0
    lock.close()

    started = time.monotonic()
    cluster.start()
    restart = time.monotonic() - started
    after_rows, after_files = row_counts(cluster), stored_files(portal.storage)
    changed = {
        t: (before_rows[t], after_rows[t]) for t in before_rows if before_rows[t] != after_rows[t]
    }
    say(
        f"pg_ctl start (crash recovery) {restart:.1f} s: {len(after_rows)} tables, rows changed "
        f"{changed or 'none'}; evidence files {len(before_files)} before, "
        f"{len(files_mid_save)} mid-save, {len(after_files)} after"
    )
    assert after_rows == before_rows
    assert after_files == before_files

    pages = [head.get(path) for path in PAGES * 2]
    saved = head.post("/a/records/new/", record_form(cast, "数据库恢复后的保存"), evidence())
    assert sorted(portal.worker_pids()) == workers  # the same processes, not restarted
    rows = row_counts(cluster)
    say(
        f"after restart, same gunicorn workers {workers}: "
        f"{sum(a.status == 200 for a in pages)}/{len(pages)} pages 200 "
        f"(slowest {max(a.seconds for a in pages):.2f} s); {saved.line('POST work record')}; "
        f"records {before_rows['accountability_workrecord']} -> "
        f"{rows['accountability_workrecord']}, evidence rows "
        f"{before_rows['accountability_workrecordevidence']} -> "
        f"{rows['accountability_workrecordevidence']}; "
        f"portal connections {portal_connections(cluster)}"
    )
    assert all(a.status == 200 for a in pages), [a.line("GET") for a in pages]
    assert saved.status == 302 and "/a/records/" in saved.location, saved.line("POST")
    assert rows["accountability_workrecord"] == before_rows["accountability_workrecord"] + 1
    assert (
        rows["accountability_workrecordevidence"]
        == before_rows["accountability_workrecordevidence"] + 1
    )
    assert len(stored_files(portal.storage)) == len(before_files) + 1
