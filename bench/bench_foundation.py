"""Foundation figures: `make run`'s set-up steps on a warm cache, and the home page.

Targets (issue 2): none numeric; these are the baseline later changes are compared with.
- setup.*: wall time of each step `make run` performs, with everything already installed
  (warm cache), on a fresh SQLite file: dependency checks, migrate, seed_demo.
- home.*: the home page's server time (in-process test client, median of 20) and query count,
  for the party-office demo user on the demo data.
"""

import os
import subprocess
import sys
import tempfile
import time

from _common import ROOT, emit, median_ms, setup_django


def timed(name, command, env):
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return emit(f"setup.{name}", time.perf_counter() - start, "s")


def main():
    workdir = tempfile.mkdtemp(prefix="bench-foundation-")
    database = os.path.join(workdir, "portal.sqlite3")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    python = sys.executable
    timed("deps_warm", ["make", "--no-print-directory", "setup"], env)
    timed("migrate", [python, "manage.py", "migrate", "--noinput"], env)
    timed("seed_demo", [python, "manage.py", "seed_demo"], env)
    timed("seed_demo_again", [python, "manage.py", "seed_demo"], env)

    setup_django("config.settings.local", f"sqlite:///{database}")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accountability.models import User

    client = Client()
    client.force_login(User.objects.get(username="dangban"))
    assert client.get("/").status_code == 200
    emit("home.server_time.median", median_ms(lambda: client.get("/")), "ms")
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    emit("home.queries", len(queries), "queries")


if __name__ == "__main__":
    main()
