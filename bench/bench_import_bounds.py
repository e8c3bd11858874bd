"""Crafted workbooks against the import's bounds (issue #13): CPU and memory per file.

Target: every crafted workbook is refused (or accepted and read) within 2 s of CPU and under
100 MB of extra memory, whatever its shape; the largest list a team may send (5,000 rows) is read
in full.

Besides the crafted shapes, ``edge.<shape>.under`` spends one budget of the real limits to its last
unit (the worst file the guard lets through in that shape: it is read in full) and
``edge.<shape>.over`` one unit past it (refused only after nearly all of it was scanned); the last
two figures, ``import_bounds.worst_accepted.cpu`` and ``import_bounds.worst_refused.cpu``, name the
costliest of each with the ratio to the 2 s target.

Each file is read in a fresh subprocess the way the findings import reads it: the guard
(``common.xlsx_guard.check_workbook``), then openpyxl in read-only mode over every row. A file
refused by the guard never reaches openpyxl. Figures per file: ``cpu`` (user + system seconds of
the read), ``memory`` (peak resident set above the process's size before the read, MB), each
with ``baseline`` = the limit and ``ratio`` = value / limit; ``outcome`` is the guard's refusal
reason or "read". ``--unguarded`` also reads each file without the guard (each child capped at
1.5 GB of address space and 20 s of CPU), to show what the guard saves.
"""

import json
import resource
import subprocess
import sys
import time

from _common import ROOT, emit, setup_django

CPU_LIMIT_S = 2.0
MEMORY_LIMIT_MB = 100.0


def cases():
    from common.xlsx_guard import DEFAULT_LIMITS
    from tests.hostile import workbooks as w

    return {
        "zip_bomb_512mb": lambda: w.zip_bomb(512),
        "empty_rows_1m_no_dimension": lambda: w.empty_rows(1_000_000),
        "far_row_1048576": lambda: w.far_row(),
        "huge_shared_string_50m_chars": lambda: w.huge_shared_string(50_000_000),
        "huge_shared_string_random_2m": lambda: w.huge_shared_string(2_000_000, compressible=False),
        "many_shared_strings_500k_stored": lambda: w.many_shared_strings(500_000),
        "long_cell_1m_chars_stored": lambda: w.long_cell(1_000_000),
        "column_xfd": lambda: w.many_columns(16_384),
        "dimension_xfd20000": lambda: w.wide_dimension(),
        "many_cells_20000x60": lambda: w.many_cells(20_000, 60),
        "deep_styles_60k_stored": lambda: w.deep_styles(60_000),
        "many_styles_1m": lambda: w.many_styles(1_000_000),
        "many_styles_250k_stored": lambda: w.many_styles(250_000, stored=True),
        "entity_bomb": w.entity_bomb,
        "legit_5000_rows": lambda: w.legit(5_000),
        "utf16_shared_strings_200k": lambda: w.utf16_shared_strings(200_000),
        "junk_parts_6x790k_elements": w.junk_parts,
        "long_comments_8mb": lambda: w.long_comments(8),
        **{
            f"edge.{name}.{'over' if over else 'under'}": (
                lambda build=build, over=over: build(DEFAULT_LIMITS, over=over)
            )
            for name, (build, _reason) in w.EDGES.items()
            for over in (False, True)
        },
    }


def child(path, guarded):
    """Read one file as the import does; print {"outcome", "cpu", "memory"} as JSON."""
    sys.path.insert(0, str(ROOT))
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from openpyxl import load_workbook

    from common.xlsx_guard import WorkbookRefused, check_workbook

    with open(path, "rb") as upload:
        before_rss = _rss_mb()
        before = _cpu()
        outcome = "read"
        try:
            if guarded:
                check_workbook(upload)
            workbook = load_workbook(upload, read_only=True, data_only=True)
            rows = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
            outcome = f"read {rows} rows"
        except WorkbookRefused as refused:
            outcome = f"refused: {refused.reason}"
        except Exception as error:  # noqa: BLE001 - any failure of openpyxl is an outcome here
            outcome = f"openpyxl failed: {type(error).__name__}"
        cpu = _cpu() - before
        memory = _rss_mb() - before_rss
    print(json.dumps({"outcome": outcome, "cpu": cpu, "memory": memory}))


def _cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run(path, guarded):
    def limits():
        resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024,) * 2)
        resource.setrlimit(resource.RLIMIT_CPU, (20, 20))

    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(path), "1" if guarded else "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        preexec_fn=None if guarded else limits,  # noqa: PLW1509
        check=False,
    )
    wall = time.perf_counter() - started
    if done.returncode != 0 or not done.stdout.strip():
        return {"outcome": f"killed (exit {done.returncode})", "cpu": None, "memory": None}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = wall
    return result


def main():
    import tempfile
    from pathlib import Path

    setup_django()
    compare = "--unguarded" in sys.argv
    worst = {}  # "accepted" / "refused" -> (cpu, name)
    with tempfile.TemporaryDirectory() as folder:
        for name, build in cases().items():
            data = build()
            path = Path(folder) / f"{name}.xlsx"
            path.write_bytes(data)
            extra = {"file_kb": round(len(data) / 1024, 1)}
            if compare:
                before = _run(path, guarded=False)
                extra["unguarded"] = before
            result = _run(path, guarded=True)
            extra["outcome"] = result["outcome"]
            if result["cpu"] is None:
                emit(f"import_bounds.{name}", -1, "s", **extra)
                continue
            emit(f"import_bounds.{name}.cpu", result["cpu"], "s", baseline=CPU_LIMIT_S, **extra)
            verdict = "refused" if result["outcome"].startswith("refused") else "accepted"
            worst[verdict] = max(worst.get(verdict, (-1, "")), (result["cpu"], name))
            emit(
                f"import_bounds.{name}.memory",
                result["memory"],
                "MB",
                baseline=MEMORY_LIMIT_MB,
                outcome=result["outcome"],
            )
            path.unlink()
    for verdict, (cpu, name) in sorted(worst.items()):
        emit(f"import_bounds.worst_{verdict}.cpu", cpu, "s", baseline=CPU_LIMIT_S, file=name)


if __name__ == "__main__":
    if "--child" in sys.argv:
        index = sys.argv.index("--child")
        child(sys.argv[index + 1], sys.argv[index + 2] == "1")
    else:
        main()
