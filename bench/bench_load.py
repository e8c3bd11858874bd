"""Load: the user journeys against gunicorn, driven by locust (issues 7 and 15).

The journeys (bench/load/locustfile.py): a bureau's party-office staff, unit heads, leaders and
inspectors, and the supervising body (机关工委: its office, leaders and inspectors: the roll-up
of the organisations below and its drill-down, the 报送 board, the 督办 and, now and then, a
督办 issued); for 50 users 10 office staff, 21 unit heads, 9 leaders, 7 inspectors and 3 of the
body, four times as many of each for 200. Every page is checked (not the login page, no error
message) and every write is a real form POST that must redirect to its success message.

Target: 50 concurrent users for 60 s on ``generate_dataset --scale 10`` data, on this 2-core
machine: no errors, p95 under 300 ms. Reported (timings are printed, never asserted):

- load.requests_per_second: every request, as locust counts them;
- load.p50 / load.p95 / load.p99 (ms, locust's aggregated row; baseline 300 ms for the p95,
  ratio = p95 / 300), load.errors (count; the script exits 1 when it is not 0);
- load.dynamic.p95 / .p99: the same without the static files (stylesheets and scripts each
  user's browser fetches once after logging in), i.e. Django's own answers;
- load.request: one line per request name, the supervising body's pages among them (count,
  failures, p50 / p95 / p99, req/s, and steady_p95: the p95 of its requests started 10 s or
  more after the last user started);
- load.steady.p95: all requests of that steady state, the working-day figure;
- load.errors also counts a successful write that left no row in the database (each write
  request is checked against the rows of its kind created during the run, WRITES below: work
  records, progress reports, closure requests, closures, returns, the body's 督办 notices);
  a review the portal refused because another simulated user of the same inspector account
  had just reviewed that measure (the locustfile names it "... (conflict)") is the portal's
  right answer, counted apart as ``conflicts``, neither an error nor a write;
- load.machine_cpu_per_request: the whole machine's CPU per request without the logins'
  password checks, with ``ceiling_rps``, the request rate the cores could carry at that cost,
  beside ``offered_rps``, the rate of the run (at the ceiling, the queues grow);
- load.cpu_seconds: CPU used during the run by gunicorn, PostgreSQL (backends of the load
  database still open at the end), locust, and everything else on the machine (other people's
  work on a shared machine: the figures mean little when that is large), with the load
  average before and after.

Reading the figures: by default the 50 users log in over 25 s (``--spawn-rate 2``), then all
50 work for 60 s (``--run-time`` is the ramp-up plus 60 s); every figure covers the whole run,
logins included. A harsher ramp is one option away: with ``-r 10`` all 50 users log in
within 5 s, and a login cost about 0.2 s of CPU in PBKDF2 (Django's default 1,000,000
rounds, the hasher until 1 Dec 2026; Argon2id now costs about 0.03 s): the ramp-up alone asked
for about 10 CPU-seconds in 5 s, all of both cores, so what
starts in the first 10 s queues and the whole-run p95 is that queue's (the summary prints the
p95 of each 10 s). On the quiet machine
(24 Nov 2026): p95 0.76 s over the whole run, 1.8 s in its first 10 s, 0.11-0.15 s in every
10 s after; the same run with the logins spread over 25 s (``--spawn-rate 2``) had a p95 of
0.15 s, and, side by side, a fast password hasher (MD5, an experiment only) 0.28 s against
2.2-2.5 s with PBKDF2. In a working day people log in once per session, spread over the
morning: the steady-state figure is what they see afterwards.

What runs:

1. ``ensure_dataset(10)`` (bench/_dataset.py), then a throw-away copy of it, portal_bench_load_s10
   (``BENCH_DB_PREFIX`` names both),
   so that the writes of a run (records, progress reports, closures, 督办) never change the
   bench database the other scripts measure. Today's reminder sweep fills the inboxes, the
   bench users and the supervising body's people get a password hashed by the production
   hasher, and the body's office has issued three 督办 (bench/load/prepare.py).
2. ``collectstatic`` into var/staticfiles, then gunicorn with ``config.wsgi`` on a free port
   under ``bench/load/settings_http.py``: the production settings (DEBUG off, whitenoise with
   the manifest storage, PostgreSQL with CONN_MAX_AGE, Redis cache, Argon2id, throttling) with
   only the TLS parts off, since the load generator speaks plain HTTP to 127.0.0.1.
   Workers: 4 gthread workers of 4 threads by default. The work is CPU-bound Python
   (templates, ORM) with short PostgreSQL waits, on the same two cores as PostgreSQL and locust:
   two processes per core keep both cores busy without more memory and connections than that.
   Threads, because a login spent about 0.2 s of CPU in PBKDF2 (Django's 1,000,000 rounds,
   C code that releases the GIL; measured before Argon2id): with 4 sync workers, the 50 logins
   of the ramp-up occupied every worker and all other requests queued behind them; with
   threads the short requests run
   beside the logins. Run side by side on the shared machine (two servers at once, 25 users
   each, so that both see the same load), 4x4 gthread against 4 sync gave p95 1.8 s vs 3.2 s and
   2.0 s vs 3.5 s over the whole run, and the same or better in the steady state; 2x8 was on
   a par with 4x4. ``--workers/--threads`` try other shapes (``--threads 1``: sync workers).
3. ``locust -f bench/load/locustfile.py --headless -u 50 -r 2 -t 85s --csv ... --only-summary``;
   its stats CSV gives the figures, and a per-request sample file the figures without static
   files. The users are locust's FastHttpUser (geventhttpclient), lighter on the shared cores
   than HttpUser (python-requests): 20 users for 50 s (30 Nov 2026) cost locust 1.5
   CPU-seconds for 706 requests against 2.2 for 686, about 0.5 of either being its start-up.

Run: ``.venv/bin/python bench/bench_load.py`` (or ``make load``; ``make load USERS=200``);
``--users``, ``--spawn-rate``, ``--run-time`` change the load. Issue 15's target is 200 users
(``--users 200``: the ramp-up then takes 100 s at the default 2 users a second).

CPU per request (issue 15): the gunicorn master's and workers' user + system time (psutil reads
/proc/<pid>/stat) after the run minus before, divided by the requests locust counted, printed
beside the latency and as load.server_cpu_per_request; its ``without_password_checks`` sets the
logins' password checks apart (logins x one check with the production hasher, timed in this
process: about 0.03 s each with Argon2id, 0.23-0.5 s with the PBKDF2 of before), the pages' own
cost, comparable between runs of any size;
bench/bench_page_cpu.py measures the same per page, in-process, undisturbed by the neighbours of
a shared machine.

The audit log's share (issue 13: under 5% of the p95): run once as is and once with
``--without-audit`` (gunicorn then loads bench/load/wsgi_without_audit.py, which drops every
event), on a quiet machine, and compare the two p95 figures; each run's figures carry
``"audit": true|false``.

Files of the last run are in var/bench/load/.
"""

import argparse
import csv
import json
import math
import os
import resource
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from _common import ROOT, emit
from _dataset import _connect, copy_database, copy_url

SCALE = 10
# The run's throw-away copy of the bench database (BENCH_DB_PREFIX applies to both).
LOAD_DB = copy_url(SCALE, "load").rsplit("/", 1)[-1]
TARGET_P95_MS = 300
OUT = ROOT / "var" / "bench" / "load"
LOAD_DIR = ROOT / "bench" / "load"


def log(message):
    print(f"[load] {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(database_url, evidence_root):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "EMAIL_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="settings_http",
        PYTHONPATH=os.pathsep.join([str(LOAD_DIR), str(ROOT)]),
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        EVIDENCE_ROOT=str(evidence_root),
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env, *args):
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def start_gunicorn(env, port, workers, threads, without_audit=False):
    # --without-audit: bench/load/wsgi_without_audit.py, the same portal with the log dropped.
    app = ["--pythonpath", str(ROOT / "bench" / "load"), "wsgi_without_audit:application"]
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        *(app if without_audit else ["config.wsgi"]),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--threads",
        str(threads),
        "--error-logfile",
        str(OUT / "gunicorn.log"),
        "--log-level",
        "warning",
        # gthread keeps connections open between requests: longer than the longest think time,
        # or the server may close one just as the client reuses it (a reset, counted as error).
        "--keep-alive",
        "10",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
    url = f"http://127.0.0.1:{port}/accounts/login/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start-up; see {OUT / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our server)
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_locust(env, host, users, spawn_rate, run_time):
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOAD_DIR / "locustfile.py"),
        "--headless",
        "-u",
        str(users),
        "-r",
        str(spawn_rate),
        "-t",
        run_time,
        "--host",
        host,
        "--csv",
        str(OUT / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    with open(OUT / "locust.log", "w") as output:
        child = subprocess.run(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    return child.returncode


def read_stats():
    with open(OUT / "locust_stats.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [row for row in rows if row["Name"] != "Aggregated"], next(
        row for row in rows if row["Name"] == "Aggregated"
    )


def read_failures():
    path = OUT / "locust_failures.csv"
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_samples():
    """(name, milliseconds, failed, start time) of every request, in start order."""
    samples = []
    with open(OUT / "samples.csv", newline="", encoding="utf-8") as handle:
        for name, milliseconds, failed, start in csv.reader(handle):
            samples.append((name, float(milliseconds), failed == "1", float(start or 0)))
    return sorted(samples, key=lambda sample: sample[3])


def cpu_snapshot(server_pid):
    """CPU seconds (user + system) so far: gunicorn's master and workers, this script's
    finished children (locust), the PostgreSQL backends serving LOAD_DB, and the whole
    machine's busy time (everyone's: the machine may be shared)."""
    import psutil

    def seconds(process):
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            return 0.0
        return times.user + times.system

    try:
        server = psutil.Process(server_pid)
        gunicorn = seconds(server) + sum(map(seconds, server.children(recursive=True)))
    except psutil.NoSuchProcess:
        gunicorn = 0.0
    postgres = 0.0
    for process in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or ())
        if cmdline.startswith("postgres:") and f" {LOAD_DB} " in f"{cmdline} ":
            postgres += seconds(process)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    machine = psutil.cpu_times()
    return {
        "gunicorn": gunicorn,
        "locust": usage.ru_utime + usage.ru_stime,
        "postgres": postgres,
        "machine": sum(machine) - machine.idle - getattr(machine, "iowait", 0.0),
    }


# The write requests of the locustfile -> what each leaves in the database:
# (label, table, time column, progress-update kind).
UPDATES = "rectification_progressupdate"
WRITES = {
    "/a/records/new/ (POST)": ("work records", "accountability_workrecord", "created_at", None),
    "/r/measures/[id]/progress/ (POST)": ("progress reports", UPDATES, "at", "progress"),
    "/r/measures/[id]/request-closure/ (POST)": (
        "closure requests",
        UPDATES,
        "at",
        "closure_request",
    ),
    "/r/measures/[id]/accept/ (POST)": ("closures", UPDATES, "at", "accepted"),
    "/r/measures/[id]/return/ (POST)": ("returns", UPDATES, "at", "returned"),
    "/supervision/bodies/[id]/notices/new/ (POST)": (
        "supervision notices (督办)",
        "supervision_supervisionnotice",
        "issued_at",
        None,
    ),
}


def database_now():
    connection = _connect(LOAD_DB)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT now()")
            return cursor.fetchone()[0].isoformat()
    finally:
        connection.close()


def writes(started, finished):
    """Rows the run's writes left in LOAD_DB, per write request name."""
    connection = _connect(LOAD_DB)
    counts = {}
    try:
        with connection.cursor() as cursor:
            for name, (_label, table, column, kind) in WRITES.items():
                query = f"SELECT count(*) FROM {table} WHERE {column} BETWEEN %s AND %s"  # noqa: S608
                params = [started, finished]
                if kind:
                    query += " AND kind = %s"
                    params.append(kind)
                cursor.execute(query, params)
                counts[name] = cursor.fetchone()[0]
    finally:
        connection.close()
    return counts


def parse_seconds(run_time):
    """locust's -t: 60, 60s, 2m, 1h30m."""
    units = {"h": 3600, "m": 60, "s": 1}
    total, digits = 0.0, ""
    for char in str(run_time):
        if char.isdigit() or char == ".":
            digits += char
        else:
            total += float(digits or 0) * units[char]
            digits = ""
    return total + float(digits or 0)


def percentile(values, fraction):
    """Nearest rank: the smallest value with at least ``fraction`` of the values at or below."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def number(value):
    return float(value) if value not in ("", "N/A", None) else 0.0


def load_average():
    return [round(value, 2) for value in os.getloadavg()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    # Logins spread over 25 s: people arrive over the morning, not within 5 s (see above).
    parser.add_argument("--spawn-rate", type=float, default=2)
    parser.add_argument(
        "--run-time", help="default: the ramp-up, then 60 s with every user at work"
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--report-only", action="store_true", help="summarise the last run in var/bench/load/"
    )
    parser.add_argument(
        "--without-audit",
        action="store_true",
        help="the audit log writes nothing (issue 13: run once with, once without, compare p95)",
    )
    args = parser.parse_args()
    if args.run_time is None:
        args.run_time = f"{math.ceil(args.users / args.spawn_rate) + 60}s"
    if args.report_only:
        run = json.loads((OUT / "run.json").read_text())
        vars(args).update({key: run[key] for key in ("users", "spawn_rate", "run_time")})
        vars(args).update({key: run[key] for key in ("workers", "threads")})
        sys.exit(1 if report(args, run) else 0)

    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    log(f"copying the scale-{SCALE} bench database to {LOAD_DB}")
    database_url = copy_database(SCALE, "load")
    evidence_root = tempfile.mkdtemp(prefix="load-evidence-")
    env = server_env(database_url, evidence_root)
    manage(env, "send_reminders", "--inline", "--verbosity", "0")
    accounts = OUT / "accounts.json"
    subprocess.run(
        [sys.executable, str(LOAD_DIR / "prepare.py"), str(accounts)], env=env, check=True
    )
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    log(f"gunicorn: {args.workers} worker(s) x {args.threads} thread(s) on {host}")
    server = start_gunicorn(env, port, args.workers, args.threads, args.without_audit)
    before = load_average()
    cpu = cpu_snapshot(server.pid)
    started = database_now()
    try:
        log(f"locust: {args.users} users, {args.spawn_rate}/s, {args.run_time}")
        locust_env = {
            **env,
            "LOAD_ACCOUNTS": str(accounts),
            "LOAD_SAMPLES": str(OUT / "samples.csv"),
        }
        returncode = run_locust(locust_env, host, args.users, args.spawn_rate, args.run_time)
    finally:
        after = load_average()
        cpu = {key: value - cpu[key] for key, value in cpu_snapshot(server.pid).items()}
        finished = database_now()
        stop(server)
        shutil.rmtree(evidence_root, ignore_errors=True)

    if not (OUT / "locust_stats.csv").exists():
        raise SystemExit(f"locust wrote no statistics (exit {returncode}); see {OUT}/locust.log")
    run = {"before": before, "after": after, "cpu": cpu, "writes": writes(started, finished)}
    (OUT / "run.json").write_text(json.dumps({**vars(args), **run}))
    errors = report(args, run)
    if errors:
        sys.exit(1)


def password_check_seconds():
    """CPU seconds of one password check with the production hasher (the first of the
    settings' PASSWORD_HASHERS), median of three."""
    import statistics
    import time

    from django.conf import settings

    if not settings.configured:
        settings.configure()
    from django.utils.module_loading import import_string

    from config.settings.base import PASSWORD_HASHERS

    hasher = import_string(PASSWORD_HASHERS[0])()
    encoded = hasher.encode("Load@2026", hasher.salt())
    samples = []
    for _ in range(3):
        start = time.process_time()
        hasher.verify("Load@2026", encoded)
        samples.append(time.process_time() - start)
    return statistics.median(samples)


def report(args, run):
    """Print the summary table and the JSON figures; return the error count (failed requests,
    and successful write requests that left no row in the database)."""
    before, after, cpu = run["before"], run["after"], run["cpu"]
    rows, total = read_stats()
    samples = read_samples()
    # Steady state: from 10 s after the last user started (login, first page, static files).
    ramp_end = samples[0][3] + args.users / args.spawn_rate + 10 if samples else 0
    steady_by_name = {}
    for name, ms, _failed, start in samples:
        if start >= ramp_end:
            steady_by_name.setdefault(name, []).append(ms)
    steady = [ms for values in steady_by_name.values() for ms in values]
    dynamic = [ms for name, ms, _failed, _start in samples if not name.startswith("/static/")]
    errors = int(total["Failure Count"])
    # A write locust saw succeed must have left its row (the database may hold a few more:
    # requests still in flight when locust stopped are not counted by it).
    written = run.get("writes")
    succeeded = {
        row["Name"]: int(row["Request Count"]) - int(row["Failure Count"])
        for row in rows
        if row["Name"] in WRITES
    }
    missing = 0
    if written is not None:
        missing = sum(max(0, count - written.get(name, 0)) for name, count in succeeded.items())
    errors += missing
    # Reviews refused because another user of the same inspector account reviewed the measure
    # first (the locustfile names them "... (conflict)"): the portal's right answer, not errors.
    conflicts = sum(
        int(row["Request Count"])
        for row in rows
        if row["Name"].endswith("(POST) (conflict)") and row["Name"] != "Aggregated"
    )
    p50, p95, p99 = (number(total[key]) for key in ("50%", "95%", "99%"))
    rps = number(total["Requests/s"])
    requests_done = max(1, int(total["Request Count"]))

    def line(label, count, fails, p50, p95, p99, steady_p95, rate):
        cells = [f"{count:>6}", f"{fails:>6}"]
        cells += [f"{value:7.0f}" if value is not None else " " * 7 for value in (p50, p95, p99)]
        cells.append(f"{steady_p95:9.0f}" if steady_p95 is not None else " " * 9)
        cells.append(f"{rate:6.2f}" if rate is not None else "")
        print(f"{label:48.48} " + " ".join(cells))

    print(
        f"\nLoad: {args.users} users (+{args.spawn_rate:g}/s), {args.run_time}, scale {SCALE}, "
        f"gunicorn {args.workers} worker(s) x {args.threads} thread(s); "
        f"load average before {before}, after {after}"
    )
    header = f"{'request (ms)':48} {'count':>6} {'fail':>6} {'p50':>7} {'p95':>7} {'p99':>7}"
    header += f" {'steady95':>9} {'req/s':>6}"
    print(header)
    print("-" * len(header))
    for row in sorted(rows, key=lambda row: -number(row["95%"])):
        values = steady_by_name.get(row["Name"])
        line(
            f"{row['Type']} {row['Name']}",
            row["Request Count"],
            row["Failure Count"],
            number(row["50%"]),
            number(row["95%"]),
            number(row["99%"]),
            percentile(values, 0.95) if values else None,
            number(row["Requests/s"]),
        )
    print("-" * len(header))
    line("all requests", requests_done, errors, p50, p95, p99, percentile(steady, 0.95), rps)
    line(
        "without static files",
        len(dynamic),
        "",
        percentile(dynamic, 0.5),
        percentile(dynamic, 0.95),
        percentile(dynamic, 0.99),
        None,
        None,
    )
    print(f"steady95: requests started 10 s or more after the last user ({len(steady)} requests).")
    cpu_ms = 1000 * cpu["gunicorn"] / requests_done
    print(
        f"gunicorn CPU per request: {cpu_ms:.1f} ms over all {requests_done} requests (logins and "
        f"static files included), beside p50 {p50:.0f} ms / p95 {p95:.0f} ms"
    )
    # Each login checks a password with the production hasher (Argon2id): a fixed cost of
    # signing in, measured here in this process, and set apart so that
    # the pages' own cost per request can be compared between runs of different sizes.
    logins = sum(int(row["Request Count"]) for row in rows if row["Name"] == "login (POST)")
    hashing = logins * password_check_seconds()
    pages_ms = 1000 * (cpu["gunicorn"] - hashing) / max(1, requests_done - logins)
    print(
        f"of which the {logins} logins' password checks about {hashing:.1f} CPU-seconds: "
        f"{pages_ms:.1f} ms per request without them"
    )
    windows = {}
    for _name, ms, _failed, start in samples:
        windows.setdefault(int((start - samples[0][3]) // 10), []).append(ms)
    print(
        "p95 by 10 s of the run: "
        + ", ".join(
            f"{10 * index}-{10 * index + 10} s {percentile(values, 0.95):.0f} ms"
            for index, values in sorted(windows.items())
        )
    )
    seconds = parse_seconds(args.run_time)
    others = cpu["machine"] - cpu["gunicorn"] - cpu["locust"] - cpu["postgres"]
    print(
        f"CPU seconds in {seconds:g} s on {os.cpu_count()} cores: gunicorn {cpu['gunicorn']:.1f} "
        f"({1000 * cpu['gunicorn'] / requests_done:.1f} ms a request), PostgreSQL "
        f"{cpu['postgres']:.1f}, locust {cpu['locust']:.1f}, everything else on the machine "
        f"{max(0.0, others):.1f}"
    )
    written = written or {}
    print(
        "Writes in the database (successful POSTs counted by locust): "
        + ", ".join(
            f"{label} {written.get(name, 0)} ({succeeded.get(name, 0)})"
            for name, (label, *_where) in WRITES.items()
        )
        + (f"; {missing} successful write(s) left no row: counted as errors" if missing else "")
        + (
            f"; {conflicts} review(s) refused because another user of the same account had "
            "just reviewed the measure (conflicts, not errors)"
            if conflicts
            else ""
        )
    )
    for failure in read_failures():
        print(
            f"FAILED {failure['Occurrences']}x {failure['Method']} {failure['Name']}: "
            f"{failure['Error']}"
        )
    steady_p95 = percentile(steady, 0.95)
    print(
        f"Target: 0 errors ({'met' if errors == 0 else 'missed'}: {errors}), p95 under "
        f"{TARGET_P95_MS} ms ({'met' if p95 < TARGET_P95_MS else 'missed'}: {p95:.0f} ms over "
        f"the whole run, {steady_p95:.0f} ms in the steady state)\n"
    )

    common = {
        "users": args.users,
        "run_time": args.run_time,
        "scale": SCALE,
        "audit": not getattr(args, "without_audit", False),
    }
    for row in rows:
        values = steady_by_name.get(row["Name"])
        emit(
            "load.request",
            number(row["95%"]),
            "ms",
            request=f"{row['Type']} {row['Name']}",
            count=int(row["Request Count"]),
            failures=int(row["Failure Count"]),
            p50=number(row["50%"]),
            p99=number(row["99%"]),
            steady_p95=percentile(values, 0.95) if values else None,
            rps=round(number(row["Requests/s"]), 3),
        )
    emit("load.requests_per_second", rps, "req/s", requests=requests_done, **common)
    emit("load.p50", p50, "ms", **common)
    emit("load.p95", p95, "ms", baseline=TARGET_P95_MS, target=f"< {TARGET_P95_MS} ms", **common)
    emit("load.p99", p99, "ms", **common)
    emit(
        "load.dynamic.p95",
        percentile(dynamic, 0.95),
        "ms",
        baseline=TARGET_P95_MS,
        requests=len(dynamic),
    )
    emit("load.dynamic.p99", percentile(dynamic, 0.99), "ms", requests=len(dynamic))
    emit(
        "load.steady.p95",
        percentile(steady, 0.95),
        "ms",
        baseline=TARGET_P95_MS,
        requests=len(steady),
    )
    emit(
        "load.server_cpu_per_request",
        1000 * cpu["gunicorn"] / requests_done,
        "ms",
        requests=requests_done,
        without_password_checks=round(pages_ms, 2),
        p50=p50,
        p95=p95,
        **common,
    )
    emit(
        "load.cpu_seconds",
        cpu["machine"],
        "s",
        gunicorn=round(cpu["gunicorn"], 1),
        postgres=round(cpu["postgres"], 1),
        locust=round(cpu["locust"], 1),
        others=round(max(0.0, others), 1),
    )
    # What the whole machine spends per request (the logins' password checks set apart) and the
    # request rate its cores could carry at that cost: the ceiling a load must stay under for
    # its queues to stay short. A run below the ceiling shows its headroom; a saturated run's
    # rate is the ceiling itself.
    machine_ms = 1000 * max(0.0, cpu["machine"] - hashing) / requests_done
    emit(
        "load.machine_cpu_per_request",
        machine_ms,
        "ms",
        ceiling_rps=round(os.cpu_count() * 1000 / machine_ms, 1) if machine_ms else None,
        offered_rps=round(rps, 1),
        **common,
    )
    emit(
        "load.errors",
        errors,
        "count",
        target=0,
        conflicts=conflicts,
        workers=args.workers,
        threads=args.threads,
        load_average_before=before,
        load_average_after=after,
        **common,
    )
    return errors


if __name__ == "__main__":
    main()
