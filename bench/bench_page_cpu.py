"""CPU per request of the pages the load journeys visit (issue 15), in-process.

Target (issue 15): 200 users (a bureau's four journeys and the supervising body's) on this
2-core machine with 0 errors and a p95 under 300 ms, which needs about a third of the CPU per
request measured before the work on it. Wall-clock time on a shared machine mostly measures the
neighbours, so this script measures what one request costs this process: ``time.process_time``
around Django's test client, median of ``--repeat`` requests per page (pages measured in
rounds, one request of each page per round, so that a busy moment falls on all of them alike).

What runs: a throw-away copy of the ``generate_dataset --scale 10`` bench database
(``<prefix>_cpu_s10``), today's reminder sweep over it (the inboxes and bells the load test
sees), ``collectstatic``, then the production settings the load test serves
(bench/load/settings_http.py: DEBUG off, cached template loaders, manifest static files, Redis
cache, database sessions: common.sessions), with the supervising body's 督办 of a
working day issued as for the load test (bench/load/prepare.py's ``body_notices``). For each
role of bench/load/locustfile.py one bench account (the first of bench/load/prepare.py's
order; ``body``: the supervising body's office) is signed in with ``force_login``, and every
GET page of its journey is requested as the locust user requests it (the ``[id]`` pages: the
first link of the list page the journey follows).

Printed, one JSON line per page: ``page_cpu.<role> <page>``: the median CPU milliseconds per
request, with ``queries`` (one request, counted), ``baseline`` (BASELINE below, measured
before any change of issue 15, same machine; none for the pages added since, such as the
supervising body's) and ``ratio``; then ``page_cpu.mean`` and ``page_cpu.mix`` over the pages
that have a baseline, with the baseline's mean and mix over the same pages and weights, and
``page_cpu.mean.all_pages`` / ``page_cpu.mix.all_pages`` over every page measured (no
baseline). The mix is weighted as the load test's journeys request the pages (LOAD_MIX, from
the locustfile's weights). Timings are printed, never asserted. The process is set up as
gunicorn sets up a worker (config/wsgi.py).

Run: ``.venv/bin/python bench/bench_page_cpu.py`` (``--repeat 30``; ``--reuse`` measures the
last run's copy again without the copy and the sweep; ``--profile PAGE`` prints cProfile's
view, in CPU time, of the pages whose name contains PAGE). On a busy shared machine the figures
drift with the neighbours' load: to compare two checkouts, run the script in both at the same
time (both measure the same machine state).
"""

import argparse
import cProfile
import os
import pstats
import secrets
import statistics
import subprocess
import sys
import tempfile
import time

from _common import ROOT, emit
from _dataset import copy_database, copy_url

SCALE = 10
LOAD_DIR = ROOT / "bench" / "load"

# Median CPU ms per request before the work of issue 15 (commit 16bf444, this 2-core machine on
# 30 Nov 2026 with a load average of 9-13 from other people's work, `--repeat 30`), and the
# query count of one request then. Compare runs made at the same machine state: a busier
# machine makes every figure larger (bench/README.md).
BASELINE = {
    "anonymous /accounts/login/": {"ms": 3.764, "queries": 2},
    "office /": {"ms": 24.285, "queries": 24},
    "office /a/records/": {"ms": 42.33, "queries": 16},
    "office /a/records/[id]/": {"ms": 15.808, "queries": 17},
    "office /a/records/?year=[y]": {"ms": 42.802, "queries": 16},
    "office /a/records/month/": {"ms": 26.673, "queries": 20},
    "office /a/records/month/?unit=[u]&month=[m]": {"ms": 26.238, "queries": 20},
    "office /a/records/new/": {"ms": 28.148, "queries": 17},
    "office /a/responsibilities/": {"ms": 17.409, "queries": 14},
    "office /a/letters/": {"ms": 35.229, "queries": 15},
    "unit_head /": {"ms": 27.494, "queries": 26},
    "unit_head /r/measures/?open=yes": {"ms": 44.954, "queries": 23},
    "unit_head /r/measures/?state=[s]": {"ms": 41.142, "queries": 23},
    "unit_head /r/measures/[id]/": {"ms": 23.637, "queries": 18},
    "unit_head /reminders/": {"ms": 12.986, "queries": 17},
    "leader /": {"ms": 23.112, "queries": 23},
    "leader /reports/dashboard/": {"ms": 34.097, "queries": 27},
    "leader /r/measures/?[filter] (ledger)": {"ms": 41.429, "queries": 16},
    "leader /r/measures/": {"ms": 42.459, "queries": 16},
    "inspector /": {"ms": 27.522, "queries": 26},
    "inspector /r/review/": {"ms": 33.027, "queries": 21},
    "inspector /r/measures/[id]/": {"ms": 22.356, "queries": 16},
    "inspector /r/followups/": {"ms": 24.093, "queries": 20},
}

# How often the load test's users ask for each page, per 3 s of 50 users (bench/load/locustfile.py:
# users per class x the task's share of its class's task weights x the times the task requests
# the page; a write lands on the measure's, record's or notice's page again). The weights of
# page_cpu.mix; the month page of one unit is never reached by the journeys (see PAGES), nor a
# measure's page from the leaders' ledger or a list of this year's measures (at scale 10 this
# year has no inspection yet: those lists are empty; a body's drill-down of last year finds
# measures). 50 users: 10 office staff, 21 unit heads, 9 leaders, 7 inspectors and 3 people of
# the supervising body ("body": its office, a leader and an inspector; the leader and the
# inspector read the notices where the office issues one, so the body's pages are weighted for
# 3 users, the notice form for 1).
LOAD_MIX = {
    "office /": 2.5,
    "office /a/records/": 2.5,
    "office /a/records/[id]/": 2.58,
    "office /a/records/?year=[y]": 0.83,
    "office /a/records/month/": 1.67,
    "office /a/records/new/": 0.83,
    "office /a/responsibilities/": 0.83,
    "office /a/letters/": 0.83,
    "unit_head /": 4.2,
    "unit_head /r/measures/?open=yes": 6.3,
    "unit_head /r/measures/?state=[s]": 6.3,
    "unit_head /r/measures/[id]/": 18.9,
    "unit_head /reminders/": 4.2,
    "leader /": 2.57,
    "leader /reports/dashboard/": 3.86,
    "leader /r/measures/?[filter] (ledger)": 2.31,
    "leader /r/measures/": 2.57,
    "inspector /": 1.0,
    "inspector /r/review/": 5.0,
    "inspector /r/measures/[id]/": 6.0,
    "inspector /r/followups/": 1.0,
    "body /": 0.27,
    "body /oversight/": 0.82,
    "body /oversight/?year=[y]": 0.55,
    "body /oversight/org/[code]/": 0.95,
    "body /oversight/org/[code]/records/?[filter]": 0.19,
    "body /oversight/records/[id]/": 0.1,
    "body /oversight/org/[code]/letters/?[filter]": 0.19,
    "body /oversight/letters/[id]/": 0.1,
    "body /oversight/org/[code]/measures/?[filter]": 0.19,
    "body /oversight/measures/[id]/": 0.04,
    "body /supervision/bodies/[id]/": 1.2,
    "body /supervision/bodies/[id]/?year=[y]": 0.16,
    "body /supervision/notices/[id]/": 0.82,
    "body /supervision/bodies/[id]/notices/new/?org=[o]": 0.09,
}

# The supervising body's drill-down: last year's roll-up (this year's lists of measures are
# empty at scale 10), its first organisation, and that one's first link to each of its lists.
ORGANISATION = ("/oversight/?year={last_year}", r"/oversight/org/[\w-]+/\?year=\d+")
SECTIONS = {
    section: (ORGANISATION, rf"/oversight/org/[\w-]+/{section}/\?[^#]*")
    for section in ("records", "letters", "measures")
}

# (role, page name as locust names it, path or how to find it). A path with "[id]" is the
# first link matching ``pattern`` on ``source`` (a path, or found the same way), the page the
# journey goes through to it. Paths are formatted with {year}, {last_year} and {body}.
PAGES = [
    ("anonymous", "/accounts/login/", "/accounts/login/"),
    ("office", "/", "/"),
    ("office", "/a/records/", "/a/records/"),
    ("office", "/a/records/[id]/", ("/a/records/", r"/a/records/\d+/")),
    ("office", "/a/records/?year=[y]", "/a/records/?year={year}&page=2"),
    ("office", "/a/records/month/", "/a/records/month/"),
    (
        "office",
        "/a/records/month/?unit=[u]&month=[m]",
        # The month page links its neighbours relatively ("?unit=..&month=.."): the locustfile's
        # absolute pattern never matches them, so the load test does not reach this page.
        ("/a/records/month/", r"\?unit=\d+&(amp;)?month=[\d-]+"),
    ),
    ("office", "/a/records/new/", "/a/records/new/"),
    ("office", "/a/responsibilities/", "/a/responsibilities/"),
    ("office", "/a/letters/", "/a/letters/"),
    ("unit_head", "/", "/"),
    ("unit_head", "/r/measures/?open=yes", "/r/measures/?open=yes"),
    ("unit_head", "/r/measures/?state=[s]", "/r/measures/?state=in_progress"),
    ("unit_head", "/r/measures/[id]/", ("/r/measures/?state=in_progress", r"/r/measures/\d+/")),
    ("unit_head", "/reminders/", "/reminders/"),
    ("leader", "/", "/"),
    ("leader", "/reports/dashboard/", "/reports/dashboard/"),
    (
        "leader",
        "/r/measures/?[filter] (ledger)",
        ("/reports/dashboard/", r"/r/measures/\?[^\"]+"),
    ),
    ("leader", "/r/measures/", "/r/measures/"),
    ("leader", "/r/measures/[id]/", ("/r/measures/", r"/r/measures/\d+/")),
    ("inspector", "/", "/"),
    ("inspector", "/r/review/", "/r/review/"),
    ("inspector", "/r/measures/[id]/", ("/r/review/", r"/r/measures/\d+/")),
    ("inspector", "/r/followups/", "/r/followups/"),
    # The supervising body's office (its leaders and inspectors see the same pages, without the
    # office's buttons). {body}: the body's id; the drill-down follows the roll-up's links.
    ("body", "/", "/"),
    ("body", "/oversight/", "/oversight/"),
    ("body", "/oversight/?year=[y]", "/oversight/?year={last_year}"),
    ("body", "/oversight/org/[code]/", ORGANISATION),
    ("body", "/oversight/org/[code]/records/?[filter]", SECTIONS["records"]),
    ("body", "/oversight/records/[id]/", (SECTIONS["records"], r"/oversight/records/\d+/")),
    ("body", "/oversight/org/[code]/letters/?[filter]", SECTIONS["letters"]),
    ("body", "/oversight/letters/[id]/", (SECTIONS["letters"], r"/oversight/letters/\d+/")),
    ("body", "/oversight/org/[code]/measures/?[filter]", SECTIONS["measures"]),
    ("body", "/oversight/measures/[id]/", (SECTIONS["measures"], r"/oversight/measures/\d+/")),
    ("body", "/supervision/bodies/[id]/", "/supervision/bodies/{body}/"),
    ("body", "/supervision/bodies/[id]/?year=[y]", "/supervision/bodies/{body}/?year={year}"),
    (
        "body",
        "/supervision/notices/[id]/",
        ("/supervision/bodies/{body}/", r"/supervision/notices/\d+/"),
    ),
    (
        "body",
        "/supervision/bodies/[id]/notices/new/?org=[o]",
        ("/supervision/bodies/{body}/", r"/supervision/bodies/\d+/notices/new/\?org=\d+"),
    ),
]


def log(message):
    print(f"[page-cpu] {message}", file=sys.stderr, flush=True)


def prepare(database_url, fresh=True):
    """The load test's server environment over the copied database, ready for django.setup."""
    evidence_root = tempfile.mkdtemp(prefix="page-cpu-evidence-")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "EMAIL_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="settings_http",
        PYTHONPATH=os.pathsep.join([str(LOAD_DIR), str(ROOT)]),
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        DATABASE_URL=database_url,
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        EVIDENCE_ROOT=evidence_root,
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    steps = [("collectstatic", "--noinput", "--verbosity", "0")]
    if fresh:  # about a minute at scale 10
        steps.insert(0, ("send_reminders", "--inline", "--verbosity", "0"))
    for args in steps:
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    os.environ.update(env)
    sys.path.insert(0, str(LOAD_DIR))
    # As gunicorn loads the portal (config/wsgi.py sets the process up, not only Django).
    import config.wsgi  # noqa: F401


def accounts():
    """The first bench account of each role, in bench/load/prepare.py's order, and the
    supervising body's office ("body"), with the body's id."""
    from prepare import supervising_bodies

    from accountability.models import RoleAssignment

    chosen = {}
    for role in ("office", "unit_head", "leader", "inspector"):
        assignment = (
            RoleAssignment.objects.filter(
                role=role, user__username__startswith="bench-", user__is_active=True
            )
            .select_related("user")
            .order_by("organisation_id", "user__username")
            .first()
        )
        chosen[role] = assignment.user
    assignment = (
        RoleAssignment.objects.filter(
            role="office", organisation__in=supervising_bodies(), user__is_active=True
        )
        .select_related("user")
        .order_by("organisation_id", "user__username")
        .first()
    )
    chosen["body"] = assignment.user
    return chosen, assignment.organisation_id


def resolve(client, target, fields):
    from pages import links

    if isinstance(target, str):
        return target.format(**fields)
    source, pattern = target
    source = resolve(client, source, fields)
    if source is None:
        return None
    response = client.get(source)
    found = links(response.content.decode(), pattern)
    if not found:
        return None  # the journey goes no further either
    return found[0] if found[0].startswith("/") else source.split("?")[0] + found[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", help="cProfile the pages whose name contains this")
    parser.add_argument("--profile-lines", type=int, default=40)
    parser.add_argument(
        "--reuse", action="store_true", help="the last run's copy, as it is (quick re-runs)"
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="PostgreSQL's planning and execution time of each page's queries (EXPLAIN "
        "ANALYZE, median of 3), the CPU a page costs the database server",
    )
    parser.add_argument(
        "--mix-rounds",
        type=int,
        help="request the pages as often as the load mix weighs them, this many rounds (about "
        "100 requests a round), and print the CPU per request: for a sampling profiler",
    )
    args = parser.parse_args()

    if args.reuse:
        database_url = copy_url(SCALE, "cpu")
    else:
        log("copying the scale-10 bench database")
        database_url = copy_database(SCALE, "cpu")
    prepare(database_url, fresh=not args.reuse)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from prepare import body_notices

    year = timezone.localdate().year
    # The notices the load test's body finds on its board (bench/load/prepare.py).
    body_notices()
    users, body = accounts()
    fields = {"year": year, "last_year": year - 1, "body": body}
    clients = {"anonymous": Client()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    log("accounts: " + ", ".join(f"{role} {user.username}" for role, user in users.items()))

    pages = []
    for role, name, target in PAGES:
        client = clients[role]
        path = resolve(client, target, fields)
        if path is None:
            log(f"{role} {name}: no link to it on the page before, as in the load test; skipped")
            continue
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{role} {path}: {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        pages.append(
            {"key": f"{role} {name}", "client": client, "path": path, "queries": len(queries)}
        )

    if args.profile:
        profiler = cProfile.Profile(time.process_time)  # CPU, not waiting for PostgreSQL
        for page in pages:
            if args.profile in page["key"]:
                for _ in range(args.repeat):
                    profiler.runcall(page["client"].get, page["path"])
        stats = pstats.Stats(profiler, stream=sys.stderr).strip_dirs()
        stats.sort_stats("cumulative").print_stats(args.profile_lines)
        stats.sort_stats("tottime").print_stats(args.profile_lines)
        return

    if args.mix_rounds:
        return mix_rounds(pages, args.mix_rounds)
    if args.explain:
        return explain(pages)

    samples = {page["key"]: [] for page in pages}
    for _ in range(2):  # warm-up: template loaders, translations, connections
        for page in pages:
            page["client"].get(page["path"])
    for _ in range(args.repeat):
        for page in pages:
            start = time.process_time()
            page["client"].get(page["path"])
            samples[page["key"]].append((time.process_time() - start) * 1000)

    medians = {}
    for page in pages:
        key = page["key"]
        medians[key] = statistics.median(samples[key])
        before = BASELINE.get(key, {})
        emit(
            f"page_cpu.{key}",
            medians[key],
            "ms",
            baseline=before.get("ms"),
            queries=page["queries"],
            queries_before=before.get("queries"),
            path=page["path"],
        )
    # Baselines exist for the pages measured before issue 15's work: page_cpu.mean and
    # page_cpu.mix cover those pages (the same weights for the figure and its baseline), and
    # .all_pages every page measured (the supervising body's included), without a baseline.
    old = [key for key in medians if key in BASELINE]
    emit(
        "page_cpu.mean",
        statistics.fmean(medians[key] for key in old) if old else 0.0,
        "ms",
        baseline=statistics.fmean(BASELINE[key]["ms"] for key in old) if old else None,
        pages=len(old),
    )
    emit("page_cpu.mean.all_pages", statistics.fmean(medians.values()), "ms", pages=len(medians))

    def mix(keys):
        weights = {key: LOAD_MIX.get(key, 0) for key in keys}
        total = sum(weights.values()) or 1
        return (
            sum(medians[key] * weight for key, weight in weights.items()) / total,
            sum(BASELINE[key]["ms"] * w for key, w in weights.items() if key in BASELINE) / total,
        )

    value, base = mix(old)
    emit(
        "page_cpu.mix",
        value,
        "ms",
        baseline=base if old else None,
        pages=len(old),
        weighted_as="the load test's journeys, pages with a baseline",
    )
    value, _base = mix(medians)
    emit(
        "page_cpu.mix.all_pages",
        value,
        "ms",
        pages=len(medians),
        weighted_as="the load test's journeys, every page",
    )


def explain(pages):
    """Per page: the milliseconds PostgreSQL spends planning and executing its queries (each
    query as the page sent it, EXPLAIN ANALYZE three times, medians), and the load mix of
    both."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    totals = {}
    for page in pages:
        with CaptureQueriesContext(connection) as captured:
            page["client"].get(page["path"])
        planning = execution = 0.0
        worst = (0.0, "")
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            runs = []
            with connection.cursor() as cursor:
                for _ in range(3):
                    cursor.execute("EXPLAIN (ANALYZE, SUMMARY, FORMAT JSON) " + sql)
                    plan = cursor.fetchone()[0][0]
                    runs.append((plan["Planning Time"], plan["Execution Time"]))
            plan_ms = statistics.median(run[0] for run in runs)
            planning += plan_ms
            execution += statistics.median(run[1] for run in runs)
            worst = max(worst, (plan_ms, sql[:120]))
        totals[page["key"]] = (planning, execution)
        emit(
            f"page_db.{page['key']}",
            planning + execution,
            "ms",
            planning=round(planning, 2),
            execution=round(execution, 2),
            queries=len(captured.captured_queries),
            worst_planning=round(worst[0], 2),
            worst_query=worst[1],
        )
    weights = {key: LOAD_MIX.get(key, 0) for key in totals}
    total = sum(weights.values()) or 1
    for index, part in enumerate(("planning", "execution")):
        emit(
            f"page_db.mix.{part}",
            sum(totals[key][index] * weight for key, weight in weights.items()) / total,
            "ms",
        )


def mix_rounds(pages, rounds):
    """Each page requested round(weight) times a round (LOAD_MIX: about 100 requests), so that
    a sampling profiler attached to this process (py-spy) sees the pages as the load test asks
    for them; prints the CPU per request over all rounds."""
    weighted = [(page, round(LOAD_MIX.get(page["key"], 0))) for page in pages]
    weighted = [(page, times or 1) for page, times in weighted if page["key"] in LOAD_MIX]
    for page, _times in weighted:  # warm-up
        page["client"].get(page["path"])
    requests, start = 0, time.process_time()
    for _ in range(rounds):
        for page, times in weighted:
            for _ in range(times):
                page["client"].get(page["path"])
                requests += 1
    elapsed = (time.process_time() - start) * 1000
    emit("page_cpu.mix_rounds", elapsed / requests, "ms", requests=requests)


if __name__ == "__main__":
    main()
