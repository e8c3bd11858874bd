"""The annual report, database to Word (DOCX) file.

Targets (issue 11):
- report_docx.demo_2021.median: the 2021 demo report from the database to a DOCX file, median of
  5 runs: under 1 s.
- report_docx.large.time: a report with a 1,000-row rectification ledger, database to file, in
  a fresh subprocess: under 10 s.
- report_docx.large.render_only: the same document, DOCX rendering only. Baseline: the same
  document with its tables written through python-docx's cell API
  (``table.add_row().cells[i].text``) instead of building the rows' XML at once; ratio = ours /
  that.
- *.cpu: the same work in CPU seconds (user + system), steadier than wall time on a busy machine;
  .child_cpu is the whole large child (Django set-up and the extra rows included).

Runs on a throw-away SQLite database with the demo data (migrate + seed_demo), the same way as
bench_report_pdf.py.
"""

import json
import logging
import os
import resource
import subprocess
import sys
import tempfile
import time

from _common import ROOT, against, emit, setup_django
from bench_report_pdf import (
    add_large_ledger,
    child_cpu_seconds,
    cpu_seconds,
    demo_report,
    prepare_database,
    timed_runs,
)

DEMO_TARGET_S, LARGE_TARGET_S = 1.0, 10.0


def to_file(report, path):
    from reports.document import build_document
    from reports.docx import render_docx

    data = render_docx(build_document(report))
    with open(path, "wb") as handle:
        handle.write(data)
    return len(data)


def cell_api_render(document):
    """The baseline: the same document, its tables written through python-docx's cell API."""
    from docx.shared import Twips

    from reports.docx import render

    def cell_api_table(word, head, widths_pct, rows, *, text_width_twips, style_id, centered):
        table = word.add_table(rows=1, cols=len(head))
        table.style = word.styles["Table Grid"]
        for cell, text, pct in zip(table.rows[0].cells, head, widths_pct, strict=True):
            cell.text = text
            cell.width = Twips(text_width_twips * pct / 100)
        for cells in rows:
            for cell, text in zip(table.add_row().cells, cells, strict=True):
                cell.text = text
        return table

    ours, render._table = render._table, cell_api_table
    try:
        return render.render_docx(document)
    finally:
        render._table = ours


def large_child(database_url):
    setup_django("config.settings.local", database_url)
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    from reports.document import build_document
    from reports.docx import render_docx

    report = demo_report()
    add_large_ledger(report)
    path = os.path.join(tempfile.mkdtemp(), "large.docx")
    cpu_before = cpu_seconds()
    start = time.perf_counter()
    size = to_file(report, path)
    elapsed = time.perf_counter() - start
    cpu = cpu_seconds() - cpu_before
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    document = build_document(report)
    rows = next(t["rows"] for t in document["appendices"] if t["key"] == "ledger")
    start = time.perf_counter()
    render_docx(document)
    render_only = time.perf_counter() - start
    start = time.perf_counter()
    cell_api_render(document)
    baseline = time.perf_counter() - start
    print(
        json.dumps(
            {
                "time": elapsed,
                "cpu": cpu,
                "peak_mb": peak_kb / 1024,
                "size": size,
                "rows": len(rows),
                "render_only": render_only,
                "baseline": baseline,
            }
        )
    )


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--large":
        return large_child(sys.argv[2])
    database_url, large_url = prepare_database()
    children_before = child_cpu_seconds()
    child = subprocess.run(
        [sys.executable, __file__, "--large", large_url],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    large = json.loads(child.stdout.strip().splitlines()[-1])
    large["child_cpu"] = child_cpu_seconds() - children_before

    setup_django("config.settings.local", database_url)
    report = demo_report()
    path = os.path.join(tempfile.mkdtemp(prefix="bench-report-docx-"), "demo.docx")
    to_file(report, path)  # warm-up: templates, python-docx's default package
    demo_time, size, demo_cpu = timed_runs(lambda: to_file(report, path), 5)
    emit("report_docx.demo_2021.median", demo_time, "s", **against(demo_time, target=DEMO_TARGET_S))
    emit(
        "report_docx.demo_2021.cpu_median", demo_cpu, "s", **against(demo_cpu, target=DEMO_TARGET_S)
    )
    emit("report_docx.demo_2021.size", size / 1e6, "MB")
    emit(
        "report_docx.large.time",
        large["time"],
        "s",
        rows=large["rows"],
        **against(large["time"], target=LARGE_TARGET_S),
    )
    emit(
        "report_docx.large.render_only",
        large["render_only"],
        "s",
        baseline=large["baseline"],
        rows=large["rows"],
    )
    emit("report_docx.large.cpu", large["cpu"], "s", **against(large["cpu"], target=LARGE_TARGET_S))
    emit("report_docx.large.child_cpu", large["child_cpu"], "s")
    emit("report_docx.large.peak_memory", large["peak_mb"], "MB")
    emit("report_docx.large.size", large["size"] / 1e6, "MB")


if __name__ == "__main__":
    main()
