"""Shared by the hostile-input tests: row counts of every table, the files in storage, and the
tally of (endpoint, case) pairs checked, printed at the end of the run."""

import functools
import os
from collections import Counter

import hypothesis
import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from hypothesis import HealthCheck

from ..conftest import note_figure
from . import files
from .corpus import Kind

# 25 examples per target keep the folder near a minute; HOSTILE_EXAMPLES=500 hunts deeper.
HYPOTHESIS = hypothesis.settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", 25)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROJECT_APPS = ("accountability", "rectification", "reminders", "reports", "supervision")
# What this run checked, for the summary line: (endpoint, case) pairs, hypothesis examples.
CHECKED = {"pairs": set(), "examples": Counter()}


def project_tables():
    tables = set()
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables.add(model._meta.db_table)
            for many in model._meta.local_many_to_many:
                tables.add(many.remote_field.through._meta.db_table)
    return sorted(tables)


def row_counts():
    """{table: rows} for every table of the portal's apps (history tables included), in one
    query: the "nothing half-saved" check compares two of these."""
    tables = project_tables()
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT count(*) FROM {quote(t)})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def stored_files(root):
    if not root.exists():
        return set()
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


@pytest.fixture
def kinds(world):
    """The file types the endpoints take, with a valid file of each."""
    workbook = functools.cache(lambda: files.xlsx(world.org))
    return {
        "evidence": Kind(
            "pdf",
            lambda: files.PDF,
            lambda: files.padded_pdf(settings.EVIDENCE_MAX_BYTES + 1),
        ),
        "excel": Kind(
            "xlsx",
            workbook,
            lambda: files.padded_xlsx(workbook(), settings.EVIDENCE_MAX_BYTES + 1),
        ),
    }


@pytest.fixture(autouse=True)
def tally(request):
    """Hand what this test checked to the run's summary (tests/conftest.py), then start over."""
    yield
    for pair in CHECKED["pairs"]:
        note_figure(
            request.node, "hostile uploads: {n} (endpoint, case) pairs checked", member=pair
        )
    for target, count in CHECKED["examples"].items():
        note_figure(request.node, f"hypothesis: {{n}} examples sent to {target}", count=count)
    CHECKED["pairs"].clear()
    CHECKED["examples"].clear()
