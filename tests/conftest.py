"""Shared fixtures: one small world with a fixed cast, and rows outside everyone's scope.

The world ("org"): a bureau with two departments (基建处, 财务处); 基建处 has a sub-unit
(工程科). A second organisation ("other_org") exists so that every scope test has rows it must
not see.

The cast, as in healthchecks' alice/bob/charlie, one per role:

* office    刘党办  party-office staff, whole organisation, read-write
* head      张处长  head of 基建处 (and so of 工程科), read-write there only
* leader    李分管  leader in charge of 基建处, read-only
* principal 王书记  principal leader, reads everything, writes nothing
* inspector 陈纪检  discipline inspector, reads everything
* admin     孙管理  administrator
* outsider  赵外单位 head of 财务处: same organisation, another unit
* stranger  钱外局  office staff of the other organisation
"""

import copy
import fcntl
import hashlib
import os
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import transaction

from accountability.models import Role, User

from .factories import PASSWORD, OrganisationFactory, UnitFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run in
# a thread with a running loop unless told it is safe (it is: the loop is Playwright's).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class World:
    pass


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings
):
    """pytest-django's database set-up, except that the migrations run once per set of migration
    files rather than once per run: the first process that needs them migrates a template,
    kept between runs under a name made from a digest of every migration file, and every test
    database is copied from it (PostgreSQL: ``CREATE DATABASE … TEMPLATE``; SQLite: the backup
    API into the process's in-memory database). A change to any migration, to Django or to the
    settings module gives another digest, and so a freshly migrated template."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    verbosity = request.config.option.verbose
    copied = {"postgresql": _copied_from_a_template, "sqlite": _restored_from_a_template}
    with django_db_blocker.unblock():
        if connection.vendor in copied:
            with copied[connection.vendor](connection, _migrations_digest()):
                db_cfg = setup_databases(
                    verbosity=verbosity, interactive=False, aliases={"default"}
                )
        else:
            db_cfg = setup_databases(verbosity=verbosity, interactive=False, aliases={"default"})
    yield
    with django_db_blocker.unblock():
        teardown_databases(db_cfg, verbosity=verbosity)


def _migrations_digest():
    """A digest of what migrating builds: every installed app's migration files (the project's
    and the packages'), the Django version and the settings module."""
    import importlib.util

    import django
    from django.apps import apps
    from django.conf import settings

    digest = hashlib.sha256(f"{django.get_version()} {settings.SETTINGS_MODULE}".encode())
    for app in sorted(apps.get_app_configs(), key=lambda app: app.label):
        spec = importlib.util.find_spec(f"{app.name}.migrations")
        if spec is None or not spec.submodule_search_locations:
            continue
        for folder in spec.submodule_search_locations:
            for path in sorted(Path(folder).glob("*.py")):
                digest.update(f"{app.label}/{path.name}".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@contextmanager
def _migrated_once(lock_name, exists, migrate):
    """Run ``migrate()`` unless ``exists()``; one process at a time (the others wait for it,
    then copy what it built)."""
    spool = Path(tempfile.gettempdir())
    with open(spool / f"{lock_name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not exists():
            migrate()
        yield


@contextmanager
def _restored_from_a_template(connection, digest):
    import sqlite3

    from django.conf import settings

    creation = connection.creation
    migrate_into = creation.create_test_db
    spool = Path(tempfile.gettempdir())
    template = spool / f"portal-test-template-{digest}.sqlite3"

    def migrate():
        # Other digests' templates (older migrations) a day on; this one is written under
        # another name and moved into place whole, so that no process copies half of it.
        for old in spool.glob("portal-test-template-*.sqlite3"):
            if old != template and time.time() - old.stat().st_mtime > 86400:
                old.unlink(missing_ok=True)
        building = template.with_suffix(f".{os.getpid()}.part")
        own = connection.settings_dict["TEST"].get("NAME")
        connection.settings_dict["TEST"]["NAME"] = str(building)
        try:
            migrate_into(verbosity=0, autoclobber=True, serialize=False)
        finally:
            connection.settings_dict["TEST"]["NAME"] = own
            connection.close()
        # `make run`'s options put the file in WAL mode: fold the log back into the one file
        # that is moved into place.
        folded = sqlite3.connect(building)
        try:
            folded.execute("PRAGMA journal_mode=DELETE")
        finally:
            folded.close()
        os.replace(building, template)

    def create_test_db(verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        with _migrated_once(template.name, template.exists, migrate):
            name = creation._get_test_db_name()  # the shared in-memory database
            settings.DATABASES[connection.alias]["NAME"] = name
            connection.settings_dict["NAME"] = name
            connection.close()
            connection.ensure_connection()  # keeps the in-memory database alive
            source = sqlite3.connect(template)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        return name

    creation.create_test_db = create_test_db
    try:
        yield
    finally:
        del creation.create_test_db


@contextmanager
def _copied_from_a_template(connection, digest):
    from django.conf import settings

    creation = connection.creation
    migrate_into = creation.create_test_db
    name = creation._get_test_db_name()  # test_portal_gw0, or test_portal without xdist
    prefix = f"{name.rsplit('_gw', 1)[0]}_template"[:48]
    template = f"{prefix}_{digest}"

    def databases(pattern):
        with creation._nodb_cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [pattern])
            return [row[0] for row in cursor.fetchall()]

    def migrate():
        # Templates of other digests (older migrations) go; this one is migrated under another
        # name and renamed when whole, so that no run copies a half-migrated template.
        old = databases(f"{prefix}%")
        with creation._nodb_cursor() as cursor:
            for stale in old:
                cursor.execute(f'DROP DATABASE IF EXISTS "{stale}"')
        building = f"{template}_part"
        own = connection.settings_dict["TEST"].get("NAME")
        connection.settings_dict["TEST"]["NAME"] = building
        try:
            migrate_into(verbosity=0, autoclobber=True, serialize=False)
        finally:
            connection.settings_dict["TEST"]["NAME"] = own
            connection.close()
        with creation._nodb_cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')

    def create_test_db(verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        with _migrated_once(template, lambda: bool(databases(template)), migrate):
            connection.settings_dict["NAME"] = template
            with creation._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
                cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        connection.close()
        settings.DATABASES[connection.alias]["NAME"] = name
        connection.settings_dict["NAME"] = name
        connection.ensure_connection()
        return name

    creation.create_test_db = create_test_db
    try:
        yield
    finally:
        del creation.create_test_db


def _static_files_listed_once():
    """The test settings serve static files from the finders (no collectstatic), so every
    WhiteNoise middleware lists every static file when it starts, and a test client starts its
    own middleware chain: some 25 ms for each of the suite's clients. The listing depends on the
    settings only; it is made once per set of them and copied into each new middleware."""
    from django.conf import settings
    from whitenoise.middleware import WhiteNoiseMiddleware

    list_files = WhiteNoiseMiddleware.add_files_from_finders
    listed = {}

    def add_files_from_finders(self):
        names = ("DEBUG", "STATIC_URL", "STATICFILES_DIRS", "STATICFILES_FINDERS")
        key = repr(
            [(name, getattr(settings, name, None)) for name in names]
            + [settings.INSTALLED_APPS]
            + [(name, getattr(settings, name)) for name in dir(settings) if "WHITENOISE" in name]
        )
        if key not in listed:
            list_files(self)
            listed[key] = dict(self.files)
        self.files.update(listed[key])

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders


_static_files_listed_once()


def _flush_by_delete():
    """After a transactional test (the browser journeys, the real Celery worker…) the runner
    empties every table with one TRUNCATE of all of them, which on PostgreSQL makes new files
    for each of the ~90 tables and their indexes: 0.5 to 2 s a test on this machine. Most
    tables are empty by then; the few that hold rows are emptied with DELETE (foreign keys are
    deferred to the commit, so the order does not matter), and the audit log, append-only for
    DELETE, with its own TRUNCATE (which config.settings.test allows). Sequences are left as
    the runner leaves them (no reset), and the tables are as empty as before."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate_all = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return truncate_all(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        quote = self.quote_name
        probe = " UNION ALL ".join(
            f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})"  # noqa: S608
            for table in tables
        )
        with self.connection.cursor() as cursor:
            cursor.execute(probe, list(tables))
            filled = [row[0] for row in cursor.fetchall()]
        return [
            f"{'TRUNCATE' if table == 'audit_auditevent' else 'DELETE FROM'} {quote(table)};"
            for table in filled
        ]

    DatabaseOperations.sql_flush = sql_flush


_flush_by_delete()


@pytest.fixture
def world(db):
    return _worlds.fresh()


class _WorldCopies:
    """The world for a test: built through the factories the first time in a process, then put
    back from the rows that first build wrote.

    Building it takes some seventy queries and the factories' and signals' Python (60–160 ms a
    test here), and some 1,500 tests take a world. The rows every table gained are kept as JSON
    and inserted again in one statement (``json_populate_recordset``: the values come back with
    their types); the test gets a deep copy of the first build's objects, the same rows with
    the same keys. Keys from the database's sequences stay below anything a test creates, as
    before: the sequences went past them during the first build.

    What the build did besides its rows is done again: the cached people and scopes are retired
    (the signals of the saves did that) and the cast's bell counts are forgotten (their keys
    repeat now). A build that changed rows it did not add, or added rows to a table whose key
    is not a number, makes every test build its own world, as before (tests/test_world.py).
    PostgreSQL only; SQLite builds each time.
    """

    def __init__(self):
        self.world = None
        self.statement = None
        self.params = None
        self.disabled = False

    def fresh(self):
        from django.db import connection

        if connection.vendor != "postgresql" or self.disabled:
            return build_world()
        if self.world is None:
            return self._first()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(self.statement, self.params)
        self._retire_caches()
        return copy.deepcopy(self.world)

    def _retire_caches(self):
        from accountability import person_cache
        from notices import bell

        person_cache.replace_generation()
        bell.forget([user.pk for user in vars(self.world).values() if isinstance(user, User)])

    @staticmethod
    def _tables():
        """(table, key column or None) of every model's table."""
        from django.apps import apps
        from django.db import models

        numbered = (models.AutoField, models.BigAutoField, models.SmallAutoField)
        tables = {}
        for model in apps.get_models(include_auto_created=True):
            pk = model._meta.pk
            tables[model._meta.db_table] = pk.column if isinstance(pk, numbered) else None
        return dict(sorted(tables.items()))

    @staticmethod
    def _state(cursor, tables, tops=None):
        """{table: (rows, highest key, digest of the rows)}; with ``tops``, the digest covers
        only the rows up to the key given for the table (those that were there before)."""
        quote = _quote_name()
        parts, params = [], []
        for table, key in tables.items():
            top = f"max({quote(key)})::bigint" if key else "NULL::bigint"
            where, below = "", []
            if tops is not None and key:
                where, below = f" WHERE {quote(key)} <= %s", [tops[table] or 0]
            order = f" ORDER BY {quote(key)}" if key else " ORDER BY t::text"
            parts.append(
                f"SELECT %s, (SELECT count(*) FROM {quote(table)}), "  # noqa: S608
                f"(SELECT {top} FROM {quote(table)}), "
                f"(SELECT md5(string_agg(t::text, ','{order})) FROM {quote(table)} t{where})"
            )
            params += [table, *below]
        cursor.execute(" UNION ALL ".join(parts), params)
        return {table: (count, top, digest) for table, count, top, digest in cursor.fetchall()}

    def _first(self):
        from django.db import connection

        tables = self._tables()
        quote = _quote_name()
        with connection.cursor() as cursor:
            before = self._state(cursor, tables)
            world = build_world()
            after = self._state(cursor, tables, tops={t: before[t][1] for t in tables})
            grown = [table for table in tables if after[table][0] != before[table][0]]
            # Only rows added, and only to tables whose rows are numbered: else no copies.
            kept = all(after[t][2] == before[t][2] for t in tables if t not in grown or tables[t])
            if not kept or any(tables[table] is None for table in grown):
                self.disabled = True
                return world
            rows = []
            for table in grown:
                key = quote(tables[table])
                cursor.execute(
                    f"SELECT json_agg(t ORDER BY {key})::text FROM {quote(table)} t "  # noqa: S608
                    f"WHERE {key} > %s",
                    [before[table][1] or 0],
                )
                rows.append((table, cursor.fetchone()[0]))
        # Foreign keys are checked when the transaction commits: the order does not matter.
        self.statement = ";\n".join(
            f"INSERT INTO {quote(table)} SELECT * "  # noqa: S608
            f"FROM json_populate_recordset(NULL::{quote(table)}, %s::json)"
            for table, _json in rows
        )
        self.params = [json for _table, json in rows]
        self.world = copy.deepcopy(world)
        return world


def _quote_name():
    from django.db import connection

    return connection.ops.quote_name


_worlds = _WorldCopies()


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """The world built once for a test module (``kept_for_the_module``), for modules of many
    tests that add rows around it but change none of its rows or objects; such a module says
    so by overriding ``world`` with it::

        @pytest.fixture
        def world(shared_world, db):
            person_cache.replace_generation()  # as a fresh world's saves would
            return shared_world
    """
    with kept_for_the_module(django_db_blocker):
        yield build_world()


def build_world():
    w = World()
    w.org = OrganisationFactory(code="test", name="测试水利局", short_name="测试水利局")
    w.root = UnitFactory(organisation=w.org, name="局机关", kind="bureau")
    w.works = UnitFactory(organisation=w.org, parent=w.root, name="基建处")
    w.works_section = UnitFactory(organisation=w.org, parent=w.works, name="工程科")
    w.finance = UnitFactory(organisation=w.org, parent=w.root, name="财务处")

    w.other_org = OrganisationFactory(code="other", name="另一局", short_name="另一局")
    w.other_root = UnitFactory(organisation=w.other_org, name="另一局机关", kind="bureau")
    w.other_unit = UnitFactory(organisation=w.other_org, parent=w.other_root, name="另一处")

    w.office = UserFactory(username="office", full_name="刘党办", unit=w.root, roles=[Role.OFFICE])
    w.head = UserFactory(username="head", full_name="张处长", unit=w.works, roles=[Role.UNIT_HEAD])
    w.leader = UserFactory(username="leader", full_name="李分管", unit=w.root, roles=[Role.LEADER])
    w.principal = UserFactory(
        username="principal", full_name="王书记", unit=w.root, roles=[Role.LEADER]
    )
    w.inspector = UserFactory(
        username="inspector", full_name="陈纪检", unit=w.root, roles=[Role.INSPECTOR]
    )
    w.admin = UserFactory(username="admin", full_name="孙管理", unit=w.root, roles=[Role.ADMIN])
    w.outsider = UserFactory(
        username="outsider", full_name="赵外单位", unit=w.finance, roles=[Role.UNIT_HEAD]
    )
    w.stranger = UserFactory(
        username="stranger", full_name="钱外局", unit=w.other_root, roles=[Role.OFFICE]
    )
    w.works.head = w.head
    w.works.leader_in_charge = w.leader
    w.works.save()
    w.finance.head = w.outsider
    w.finance.save()
    w.org.principal_leader = w.principal
    w.org.save()
    w.password = PASSWORD
    return w


@contextmanager
def kept_for_the_module(django_db_blocker):
    """Data built once for a test module, inside a transaction rolled back when the module ends.

    A module-scoped fixture builds the rows under this; each test still takes the ``db``
    fixture, whose transaction nests as a savepoint, so whatever a test changes is undone
    before the next one reads. For read-mostly data that is slow to build (the demo).
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def login(client):
    """Log the test client in as one of the cast: ``login(world.head)``."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


def storages_at(location):
    """The STORAGES setting with the default storage (evidence, exports) in ``location``."""
    from django.conf import settings

    return {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def evidence_storage(settings, tmp_path):
    """Each test stores evidence in its own temporary folder, never in var/."""
    settings.STORAGES = storages_at(tmp_path / "evidence")
    return tmp_path / "evidence"


# -- figures a run prints ----------------------------------------------------------------------
# Under pytest-xdist a test runs in a worker process whose output nobody sees. A test that
# measures something (cells checked, pairs, examples) attaches it to its report instead
# (``user_properties`` travel to the controller), and the run prints the totals once, at the end.
FIGURE = "portal-figure"
_figures = {"lines": [], "sets": {}, "counts": Counter()}


def note_figure(node, template, *, member=None, count=None):
    """Report a figure for the end of the run.

    ``template`` alone is printed as it is; with ``member`` the distinct members are counted
    into ``{n}``; with ``count`` the counts are added up into ``{n}``.
    """
    if member is not None:
        node.user_properties.append((FIGURE, ["set", template, repr(member)]))
    elif count is not None:
        node.user_properties.append((FIGURE, ["count", template, count]))
    else:
        node.user_properties.append((FIGURE, ["line", template, None]))


def pytest_runtest_logreport(report):
    # Every phase's report carries the test's whole list so far: read it once, at teardown.
    if report.when != "teardown":
        return
    for name, value in report.user_properties:
        if name != FIGURE:
            continue
        kind, template, payload = value
        if kind == "set":
            _figures["sets"].setdefault(template, set()).add(payload)
        elif kind == "count":
            _figures["counts"][template] += payload
        elif template not in _figures["lines"]:
            _figures["lines"].append(template)


# The machine's speed, printed after the figures: this VM's CPU runs up to twice slower at some
# hours than at others (bench/README.md), and a run's time follows it. A million rounds of
# PBKDF2-SHA256 is C code with no I/O, so its CPU time is a fair gauge: 0.30 s on a quiet machine
# of this kind (30 Nov 2026), 0.46-0.50 s on the morning of 1 Dec 2026, when the suite took about
# 1.4 times as long as that afternoon. Read once at the end of a run, it is a rough guide.
QUIET_MACHINE_GAUGE = 0.30


def machine_gauge():
    """CPU seconds of 1,000,000 rounds of PBKDF2-SHA256 in this process: the median of three
    runs of 300,000 rounds (one run swings with a neighbour's burst), scaled."""
    samples = []
    for _ in range(3):
        start = time.process_time()
        hashlib.pbkdf2_hmac("sha256", b"gauge", b"machine-speed", 300_000)
        samples.append(time.process_time() - start)
    return sorted(samples)[1] * 10 / 3


def pytest_terminal_summary(terminalreporter):
    for line in _figures["lines"]:
        terminalreporter.write_line(line)
    for template, members in sorted(_figures["sets"].items()):
        terminalreporter.write_line(template.format(n=len(members)))
    for template, total in sorted(_figures["counts"].items()):
        terminalreporter.write_line(template.format(n=total))
    gauge = machine_gauge()
    terminalreporter.write_line(
        f"machine speed: PBKDF2-SHA256 x 1,000,000 took {gauge:.2f} s of CPU "
        f"({QUIET_MACHINE_GAUGE:.2f} s on a quiet machine): at the end of this run the same "
        f"work took about {gauge / QUIET_MACHINE_GAUGE:.1f} times as long as on a quiet machine"
    )
