"""``ensure_dataset(scale) -> database_url``: a PostgreSQL database ``portal_bench_s<scale>``,
created, migrated and filled by ``manage.py generate_dataset --scale <scale>`` once, and filled
again from scratch when the dataset code changes (a hash of the generator modules is kept in the
database). Migrations are applied on every call (cheap when there are none), so a bench always
runs against the current schema.

The server is the one of ``DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/``).
Two benches asking for the same scale at once wait for each other (a file lock in var/bench/).
"""

import fcntl
import hashlib
import os
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

from _common import ROOT

DATASET_MODULES = (
    "accountability/dataset.py",
    "rectification/dataset.py",
    "reports/management/commands/generate_dataset.py",
)
SEED = 1
META_TABLE = "bench_dataset_meta"


def dataset_hash() -> str:
    digest = hashlib.sha256()
    for name in DATASET_MODULES:
        path = ROOT / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:16]


def _server_url():
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
    parts = urlsplit(base)
    return parts


def database_url(scale) -> str:
    parts = _server_url()
    # BENCH_DB_PREFIX keeps the databases of several checkouts on one server apart.
    prefix = os.environ.get("BENCH_DB_PREFIX", "portal_bench")
    name = f"{prefix}_s{str(scale).replace('.', '_')}"
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


def _connect(dbname):
    import psycopg2

    parts = _server_url()
    connection = psycopg2.connect(
        dbname=dbname,
        user=parts.username or "postgres",
        password=parts.password or None,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )
    connection.autocommit = True
    return connection


def _stored_hash(name):
    import psycopg2

    try:
        connection = _connect(name)
    except psycopg2.OperationalError:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s)", [META_TABLE])
            if cursor.fetchone()[0] is None:
                return None
            cursor.execute(f"SELECT hash FROM {META_TABLE} LIMIT 1")  # noqa: S608
            row = cursor.fetchone()
            return row[0] if row else None
    finally:
        connection.close()


def _manage(url, *args):
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, env=env, cwd=ROOT)


def ensure_dataset(scale) -> str:
    url = database_url(scale)
    name = url.rsplit("/", 1)[-1]
    lock_dir = ROOT / "var" / "bench"
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        wanted = dataset_hash()
        if _stored_hash(name) == wanted:
            _manage(url, "migrate", "--noinput", "-v", "0")
            return url
        print(f"[bench] building {name} (scale {scale}); this takes a while", file=sys.stderr)
        admin = _connect("postgres")
        try:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            admin.close()
        _manage(url, "migrate", "--noinput", "-v", "0")
        _manage(url, "generate_dataset", "--scale", str(scale), "--seed", str(SEED))
        connection = _connect(name)
        try:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
                cursor.execute(f"CREATE TABLE {META_TABLE} (hash text NOT NULL)")
                cursor.execute(f"INSERT INTO {META_TABLE} VALUES (%s)", [wanted])  # noqa: S608
        finally:
            connection.close()
        return url


def copy_url(scale, suffix) -> str:
    """The URL of copy_database(scale, suffix)'s copy: ``<prefix>_<suffix>_s<scale>``."""
    url = database_url(scale)
    base, _, name = url.rpartition("/")
    prefix, _, tail = name.rpartition("_s")
    return f"{base}/{prefix}_{suffix}_s{tail}"


def copy_database(scale, suffix) -> str:
    """Drop and re-create a throw-away copy of the scale's bench database, named
    ``<prefix>_<suffix>_s<scale>``, and return its URL: a run that writes (sessions, records,
    reminders) never changes the database the other scripts measure.

    CREATE DATABASE ... TEMPLATE needs the source to have no other session for a moment: another
    bench may be reading it, so wait and retry (under the lock ensure_dataset uses)."""
    import psycopg2

    source_url = ensure_dataset(scale)
    source = source_url.rsplit("/", 1)[-1]
    target_url = copy_url(scale, suffix)
    target = target_url.rsplit("/", 1)[-1]
    lock_path = ROOT / "var" / "bench" / f"{source}.lock"
    deadline = time.monotonic() + 300
    while True:
        with open(lock_path, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            admin = _connect("postgres")
            try:
                with admin.cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
                    cursor.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
                return target_url
            except psycopg2.errors.ObjectInUse:
                if time.monotonic() > deadline:
                    raise
            finally:
                admin.close()
        print(f"[bench] {source} is in use by another session; retrying in 5 s", file=sys.stderr)
        time.sleep(5)


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["1"]:
        print(ensure_dataset(int(arg) if arg.isdigit() else float(arg)))
