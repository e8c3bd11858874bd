"""Search: server time and query count for a 2-character and a 4-character word.

Target (issue 14): at ``generate_dataset`` scale 100 (≈ 500,000 work records) the median page
time under 200 ms for both words, and the query count the same whatever the word.
The dataset lives in its own database (``portal_sso_bench_s<scale>``, built once by
bench/_dataset.py's ``ensure_dataset``). Searches run as the office user of the first
organisation (whole-organisation scope) and as a superuser (every organisation), through the
in-process test client.
Run: ``.venv/bin/python bench/bench_search.py [--scale 100]``.
"""

import argparse
import statistics
import time
from urllib.parse import urlunsplit

import _dataset
from _common import emit, setup_django

# "empty" is the page without a search: what the rest of the page costs on this machine.
WORDS = {"empty": "", "2-char": "学习", "4-char": "谈心谈话", "2-char-rare": "警示", "1-char": "会"}
REPEAT = 15


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=100)
    args = parser.parse_args()
    scale = int(args.scale) if args.scale == int(args.scale) else args.scale

    def own_database(scale):
        parts = _dataset._server_url()
        name = f"portal_sso_bench_s{str(scale).replace('.', '_')}"
        return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))

    _dataset.database_url = own_database
    url = _dataset.ensure_dataset(scale)
    setup_django("config.settings.test", url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from accountability.models import RoleAssignment, User, WorkRecord

    setup_test_environment()

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    office = (
        RoleAssignment.objects.filter(role="office", user__is_active=True)
        .select_related("user")
        .order_by("organisation__code")
        .first()
        .user
    )
    superuser = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench-search-root", password="Bench@2026-pass", full_name="bench"
    )
    records = WorkRecord.objects.count()
    page = reverse("search:results")
    for who, user in (("office", office), ("superuser", superuser)):
        client = Client()
        client.force_login(user)
        for label, word in WORDS.items():
            client.get(page, {"q": word})  # warm
            samples, queries, hits = [], set(), 0
            for _ in range(REPEAT):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(page, {"q": word})
                    samples.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
                queries.add(len(captured))
                hits = len(response.context["results"])
            emit(
                f"search_{who}_{label}",
                statistics.median(samples),
                "ms",
                target=200,
                word=word,
                queries=sorted(queries),
                results=hits,
                scale=scale,
                work_records=records,
            )


if __name__ == "__main__":
    main()
