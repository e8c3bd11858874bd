"""Shared by the bench scripts: how a figure is printed, and how Django is set up."""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def emit(name, value, unit, baseline=None, **extra):
    figure = {
        "name": name,
        "value": round(value, 3) if isinstance(value, float) else value,
        "unit": unit,
    }
    if baseline is not None:
        figure["baseline"] = round(baseline, 3) if isinstance(baseline, float) else baseline
        figure["ratio"] = round(value / baseline, 3) if baseline else None
    figure.update(extra)
    print(json.dumps(figure, ensure_ascii=False), flush=True)
    return figure


def against(value, **references):
    """For each named reference figure (a target, an earlier measurement): the figure and
    value / figure, e.g. against(0.27, target=0.3) -> {"target": 0.3, "target_ratio": 0.9}."""
    out = {}
    for name, reference in references.items():
        out[name] = reference
        out[f"{name}_ratio"] = round(value / reference, 3) if reference else None
    return out


def setup_django(settings="config.settings.test", database_url=None):
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    # The in-process test client calls itself "testserver".
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()


def median_ms(function, repeat=20, warmup=2):
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def per_scale(script, scales):
    """Run ``script --scale N`` in a fresh process per scale (each on its own database) and
    return {scale: the JSON object printed on its last line}."""
    import subprocess

    results = {}
    for scale in scales:
        child = subprocess.run(
            [sys.executable, script, "--scale", str(scale)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        results[scale] = json.loads(child.stdout.strip().splitlines()[-1])
    return results
