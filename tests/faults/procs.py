"""Private instances of the real servers, owned by the fault tests and broken on purpose.

The machine's PostgreSQL (5432) and Redis (6379) are shared with everyone else and are never
touched: each fault gets its own ``redis-server`` or PostgreSQL cluster (same binaries), and the
portal (gunicorn) and Celery worker processes are started against those. Every class here can be
closed twice and closes whatever is left, so a failing test still cleans up.
"""

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
SETTINGS = "tests.faults.portal_settings"


def pg_bin():
    """The newest installed PostgreSQL's server binaries (Debian layout)."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not versions:
        raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql")
    return versions[-1]


def free_port(preferred=None):
    """``preferred`` if nothing listens there, else any free port."""
    for port in (preferred, 0) if preferred else (0,):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError("no free port")


def wait_for(condition, timeout=30.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())


def _end(process, timeout=15):
    """Terminate a process we started (its own session: its children too), then kill it."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGCONT)  # a frozen process cannot act on SIGTERM
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def children(pid):
    """Pids whose parent is ``pid`` (a /proc walk: the prefork pool's processes)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces, so split after the last ")".
        fields = text[text.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def log_tail(path, lines=40):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class RedisServer:
    """``redis-server`` on its own port, in memory only, as a child process we can stop,
    freeze (SIGSTOP: connections are still accepted by the kernel, nothing is answered) and
    start again on the same port."""

    def __init__(self, workdir, port=6391):
        self.workdir = Path(workdir)
        self.port = free_port(port)
        self.process = None
        self.frozen = False

    def url(self, db=0):
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--dir", str(self.workdir)],
            stdout=(self.workdir / "redis.log").open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        if not wait_for(self.answers, timeout=15):
            log = log_tail(self.workdir / "redis.log")
            raise RuntimeError(f"redis-server did not start:\n{log}")
        return self

    def answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        _end(self.process)
        self.process = None
        self.frozen = False

    def freeze(self):
        os.kill(self.process.pid, signal.SIGSTOP)
        self.frozen = True

    def thaw(self):
        os.kill(self.process.pid, signal.SIGCONT)
        self.frozen = False

    def flush(self):
        """Forget every message (of an earlier test) this server holds."""
        import redis

        redis.Redis(port=self.port, socket_timeout=2).flushall()

    def queued(self, queue="celery"):
        """Messages waiting in ``queue`` (read with a plain client)."""
        import redis

        return redis.Redis(port=self.port, socket_timeout=2).llen(queue)

    close = stop


class PostgresCluster:
    """A throw-away PostgreSQL cluster in a temporary folder, run as the ``postgres`` user
    (the server refuses root), trust authentication, on its own port and socket folder."""

    def __init__(self, port=5441):
        self.port = free_port(port)
        self.dir = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        shutil.chown(self.dir, "postgres", "postgres")
        self.bin = pg_bin()
        self.running = False

    def _as_postgres(self, *args, timeout=120):
        result = subprocess.run(
            ["runuser", "-u", "postgres", "--", *map(str, args)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(f"{args[0]} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def init(self):
        self._as_postgres(
            self.bin / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions",
        )  # fmt: skip
        return self

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        self._as_postgres(
            self.bin / "pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", "-t", "60",
            "start",
        )  # fmt: skip
        self.running = True
        return self

    def stop(self, mode="fast"):
        """``mode="immediate"``: every backend is killed at once, no checkpoint (a crash)."""
        self._as_postgres(self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")
        self.running = False

    def url(self, database):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database):
        import psycopg2

        conn = psycopg2.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            dbname=database,
            connect_timeout=5,
            application_name="faults-test",  # not counted as the portal's
        )
        conn.autocommit = True
        return conn

    def copy_from(self, source_url, database):
        """Create ``database`` here with the schema and rows of ``source_url`` (pg_dump)."""
        admin = self.connect("postgres")
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{database}"')
        admin.close()
        dump = subprocess.run(
            ["pg_dump", "--no-owner", "--no-privileges", "-Fc", source_url],
            capture_output=True,
            check=True,
            timeout=120,
        ).stdout
        subprocess.run(
            ["pg_restore", "--no-owner", "-d", self.url(database)],
            input=dump,
            capture_output=True,
            check=True,
            timeout=120,
        )

    def close(self):
        if self.running:
            try:
                self.stop("immediate")
            except (RuntimeError, subprocess.TimeoutExpired):
                # pg_ctl could not stop it: end the postmaster we started, by its pid file.
                with contextlib.suppress(OSError, ValueError):
                    pid = int((self.data / "postmaster.pid").read_text().split()[0])
                    os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.dir, ignore_errors=True)


def service_env(*, database_url, redis_url, evidence_root, email_url=None, **extra):
    """The environment of a portal or worker process: production settings (over plain HTTP)
    pointed at the private servers. Nothing of the caller's DJANGO_/CELERY_/... leaks in."""
    own = ("DJANGO_", "DATABASE_", "CELERY_", "EMAIL_", "REDIS_", "REMINDER_", "BROKER_", "CACHE_")
    env = {key: value for key, value in os.environ.items() if not key.startswith(own)}
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CELERY_BROKER_URL=redis_url,
        EVIDENCE_ROOT=str(evidence_root),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    if email_url:
        env["EMAIL_URL"] = email_url
    else:
        env["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    env.update({key: str(value) for key, value in extra.items()})
    return env


class Portal:
    """The portal as users reach it: gunicorn with ``config.wsgi``, sync workers."""

    def __init__(self, env, workdir, workers=2):
        self.env = env
        self.port = free_port()
        self.log = Path(workdir) / f"gunicorn-{self.port}.log"
        self.workers = workers
        self.process = None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.process = subprocess.Popen(
            [BIN / "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{self.port}",
             "-w", str(self.workers), "--timeout", "60", "--graceful-timeout", "5"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

        def up():
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{log_tail(self.log)}")
            try:
                return requests.get(self.base_url + "/accounts/login/", timeout=2).ok
            except requests.RequestException:
                return False

        if not wait_for(up, timeout=60, interval=0.2):
            raise RuntimeError(f"the portal did not answer:\n{log_tail(self.log)}")
        return self

    def worker_pids(self):
        return children(self.process.pid)

    def close(self):
        _end(self.process)


class Worker:
    """A real Celery worker (prefork pool, one process) in its own session."""

    def __init__(self, env, workdir, name="faults"):
        self.env = env
        self.log = Path(workdir) / f"worker-{name}-{secrets.token_hex(3)}.log"
        self.name = name
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [BIN / "celery", "-A", "config", "worker", "-P", "prefork", "-c", "1",
             "-n", f"{self.name}-{secrets.token_hex(3)}@%h", "--without-heartbeat",
             "--without-gossip", "--without-mingle", "-l", "info"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

        def ready():
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker exited:\n{log_tail(self.log)}")
            return " ready." in self.text()

        if not wait_for(ready, timeout=90, interval=0.2):
            raise RuntimeError(f"the worker did not start:\n{log_tail(self.log)}")
        return self

    def text(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def pool(self):
        """The pool's process (concurrency 1): the one that runs the task."""
        pids = children(self.process.pid)
        if len(pids) != 1:
            raise RuntimeError(f"expected one pool process, found {pids}")
        return pids[0]

    def kill_pool(self):
        pid = self.pool()
        os.kill(pid, signal.SIGKILL)
        return pid

    def kill_all(self):
        """SIGKILL the whole worker at once (main process and pool): nothing gets to clean up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def close(self):
        _end(self.process, timeout=20)
