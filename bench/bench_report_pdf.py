"""The annual report, database to PDF file.

Targets (issue 6):
- report_pdf.demo_2021.median: the 2021 demo report (~10 pages plus appendices), from the
  database to a PDF file, median of 5 runs: under 1 s. Baseline: the same HTML rendered the naive
  way (system default CJK fonts through ``font-family: sans-serif`` and WeasyPrint's
  ``full_fonts``: whole fonts embedded, no HarfBuzz subsetting); ratio = ours / naive.
- report_pdf.demo_2021.size: under 1.5 MB (baseline: the naive file's size).
- report_pdf.large.time / .peak_memory: a report with a 1,000-row rectification ledger
  (about 100 pages), in a fresh subprocess: under 10 s and under 500 MB (ru_maxrss).
- *.cpu: the same work in CPU seconds (user + system), steadier than wall time on a busy machine.

Runs on a throw-away SQLite database with the demo data (migrate + seed_demo).
"""

import json
import logging
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from _common import ROOT, emit, setup_django

LARGE_ROWS = 1000


def prepare_database():
    workdir = tempfile.mkdtemp(prefix="bench-report-pdf-")
    path = os.path.join(workdir, "portal.sqlite3")
    url = f"sqlite:///{path}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DATABASE_URL": url}
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    large = os.path.join(workdir, "large.sqlite3")
    shutil.copyfile(path, large)  # the large report's extra rows stay out of the demo's
    return url, f"sqlite:///{large}"


def timed_runs(function, repeat):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def demo_report():
    from reports.models import Report

    return Report.objects.select_related("organisation").get(organisation__code="sw", year=2021)


def to_file(report, path, naive=False):
    from reports.document import build_document
    from reports.pdf import render_pdf

    pdf, pages = render_pdf(build_document(report), naive=naive)
    with open(path, "wb") as handle:
        handle.write(pdf)
    return len(pdf), pages


def add_large_ledger(report):
    """1,000 measures under one extra inspection of the report's year (bulk, once)."""
    from datetime import date

    from accountability.models import Unit, User
    from rectification.models import Finding, Inspection, Measure

    org = report.organisation
    inspection, created = Inspection.objects.get_or_create(
        organisation=org,
        title="大样本巡察",
        defaults={
            "kind": "inspection",
            "source": "市委第九巡察组",
            "started_on": date(report.year, 3, 1),
            "feedback_on": date(report.year, 4, 1),
            "year": report.year,
        },
    )
    if not created:
        return
    unit = Unit.objects.filter(organisation=org).exclude(parent=None).first()
    person = User.objects.filter(organisation=org).first()
    findings = Finding.objects.bulk_create(
        Finding(
            inspection=inspection,
            organisation=org,
            aspect=f"第{i % 4 + 1}方面",
            aspect_order=i % 4 + 1,
            number=i,
            description=f"反馈问题{i}：制度执行不到位，台账记录不完整。",
        )
        for i in range(1, LARGE_ROWS // 2 + 1)
    )
    Measure.objects.bulk_create(
        Measure(
            finding=finding,
            organisation=org,
            number=n,
            lead_leader=person,
            unit=unit,
            responsible_person=person,
            deadline=date(report.year, 12, 31),
            description="修订完善相关制度，逐项对照整改，建立长效机制，按期报送整改情况。",
        )
        for finding in findings
        for n in (1, 2)
    )


def large_child(database_url):
    setup_django("config.settings.local", database_url)
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    report = demo_report()
    add_large_ledger(report)
    path = os.path.join(tempfile.mkdtemp(), "large.pdf")
    cpu_before = cpu_seconds()
    start = time.perf_counter()
    size, pages = to_file(report, path)
    elapsed = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "time": elapsed,
                "cpu": cpu_seconds() - cpu_before,
                "peak_mb": peak_kb / 1024,
                "pages": pages,
                "size": size,
            }
        )
    )


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--large":
        return large_child(sys.argv[2])
    database_url, large_url = prepare_database()
    # The large report first, while this process is still small: a child's ru_maxrss starts
    # from its parent's resident size at fork.
    child = subprocess.run(
        [sys.executable, __file__, "--large", large_url],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    large = json.loads(child.stdout.strip().splitlines()[-1])

    setup_django("config.settings.local", database_url)
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    report = demo_report()
    workdir = tempfile.mkdtemp(prefix="bench-report-pdf-out-")
    ours = os.path.join(workdir, "ours.pdf")
    naive = os.path.join(workdir, "naive.pdf")
    to_file(report, ours)  # warm-up: font configuration, template loading
    cpu_before = cpu_seconds()
    ours_time, (ours_size, pages) = timed_runs(lambda: to_file(report, ours), 5)
    ours_cpu = (cpu_seconds() - cpu_before) / 5
    cpu_before = cpu_seconds()
    naive_time, (naive_size, _pages) = timed_runs(lambda: to_file(report, naive, naive=True), 3)
    naive_cpu = (cpu_seconds() - cpu_before) / 3
    emit("report_pdf.demo_2021.median", ours_time, "s", baseline=naive_time, pages=pages)
    emit("report_pdf.demo_2021.cpu_mean", ours_cpu, "s", baseline=naive_cpu)
    emit("report_pdf.demo_2021.size", ours_size / 1e6, "MB", baseline=naive_size / 1e6)
    emit("report_pdf.large.time", large["time"], "s", pages=large["pages"], rows=LARGE_ROWS)
    emit("report_pdf.large.cpu", large["cpu"], "s", pages=large["pages"])
    emit("report_pdf.large.peak_memory", large["peak_mb"], "MB", pages=large["pages"])
    emit("report_pdf.large.size", large["size"] / 1e6, "MB")


if __name__ == "__main__":
    main()
