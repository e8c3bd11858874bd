"""Accountability list pages: server time and query count at scale 1 and scale 100.

Pages: the work-record ledger (this year, and unfiltered), the month view of one unit, duty
letters with signing rate, the responsibility list with progress, risk points; each as the office
user of the first organisation (in-process test client, median of 20 after 2 warm-ups, the
lowest of three alternating rounds per scale).
Targets (issue 3): each page's scale-100 time within 2× of scale 1 (baseline = the scale-1
figure, ratio = scale 100 / scale 1); query counts identical at both scales.

Uses ``bench/_dataset.py``'s ``ensure_dataset(scale)``; each scale runs in its own subprocess
because Django binds one database per process.
Run: ``.venv/bin/python bench/bench_accountability_lists.py``.
"""

import json
import subprocess
import sys

from _common import ROOT, emit, median_ms, setup_django

SCALES = (1, 100)
# The machine is shared: each scale is measured in several alternating rounds and the lowest
# median kept, so that a burst of someone else's load does not land on one scale only.
ROUNDS = 3


def pages(organisation, unit, year, month):
    from django.urls import reverse

    return {
        "workrecord_list": reverse("accountability:workrecord-list"),
        "workrecord_list_year": f"{reverse('accountability:workrecord-list')}?year={year}",
        "workrecord_month": f"{reverse('accountability:workrecord-month')}?unit={unit.pk}"
        f"&month={month}",
        "dutyletter_list": f"{reverse('accountability:dutyletter-list')}?year={year}",
        "responsibilityitem_list": f"{reverse('accountability:responsibilityitem-list')}"
        f"?year={year}",
        "riskpoint_list": reverse("accountability:riskpoint-list"),
    }


def measure(scale):
    from _dataset import ensure_dataset

    setup_django("config.settings.test", ensure_dataset(scale))
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accountability.models import RoleAssignment, WorkRecord

    office = (
        RoleAssignment.objects.filter(role="office", user__is_active=True)
        .select_related("user", "organisation")
        .order_by("organisation__code")
        .first()
    )
    organisation = office.organisation
    unit = organisation.units.filter(parent__isnull=False).order_by("path").first()
    today = timezone.localdate()
    client = Client()
    client.force_login(office.user)
    results = {}
    for name, url in pages(organisation, unit, today.year, f"{today:%Y-%m}").items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        median = median_ms(lambda url=url: client.get(url))
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        results[name] = {"median": median, "queries": len(queries)}
    results["_records"] = WorkRecord.objects.count()
    print(json.dumps(results))


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--scale":
        return measure(int(sys.argv[2]))
    results = {}
    for _round in range(ROUNDS):
        for scale in SCALES:
            child = subprocess.run(
                [sys.executable, __file__, "--scale", str(scale)],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            )
            result = json.loads(child.stdout.strip().splitlines()[-1])
            best = results.setdefault(scale, result)
            for name, figures in result.items():
                if not name.startswith("_") and figures["median"] < best[name]["median"]:
                    best[name] = figures
    small, large = results[SCALES[0]], results[SCALES[-1]]
    names = [name for name in small if not name.startswith("_")]
    for name in names:
        for scale in SCALES:
            emit(
                f"accountability.{name}.s{scale}.server_time.median",
                results[scale][name]["median"],
                "ms",
                baseline=small[name]["median"] if scale != SCALES[0] else None,
                work_records=results[scale]["_records"],
            )
    for name in names:
        for scale in SCALES:
            emit(
                f"accountability.{name}.s{scale}.queries",
                results[scale][name]["queries"],
                "queries",
                baseline=small[name]["queries"] if scale != SCALES[0] else None,
            )
        emit(
            f"accountability.{name}.queries_identical",
            int(small[name]["queries"] == large[name]["queries"]),
            "bool",
        )


if __name__ == "__main__":
    main()
