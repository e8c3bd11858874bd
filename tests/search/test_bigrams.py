"""``portal_bigrams``, the function the two-character search index is built on (PostgreSQL)."""

import importlib
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from accountability.models import WorkRecord, WorkRecordKind

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL function")

LINEAR = importlib.import_module("search.migrations.0002_bigrams_in_linear_time")
TEXTS = [
    "",
    "学",
    "学习",
    "理论中心组学习 ABC 谈心谈话",
    "Ａ全角ｂ　空格\t\n制表",
    "😀𠀀表情与扩展汉字😀",
    "'; DROP TABLE x; --",
    "重复重复重复重复",
]


def bigrams(text, function="portal_bigrams"):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [text])  # noqa: S608 (a fixed name)
        return cursor.fetchone()[0]


@pytest.mark.parametrize("text", TEXTS)
def test_it_returns_every_pair_of_neighbouring_characters_in_order(db, text):
    lowered = text.lower()
    assert bigrams(text) == [lowered[i : i + 2] for i in range(len(lowered) - 1)]


def test_it_returns_what_the_first_version_returned_so_the_indexes_stay_valid(db):
    former = LINEAR.QUADRATIC.replace("FUNCTION portal_bigrams", "FUNCTION pg_temp.former_bigrams")
    with connection.cursor() as cursor:
        cursor.execute(former)
    for text in [*TEXTS, "混合 Mixed 文本" * 40]:
        assert bigrams(text) == bigrams(text, "pg_temp.former_bigrams"), text


def test_a_long_text_saves_and_is_found_within_the_statement_timeout(world, login):
    """The first version took its pairs by array subscript: n² steps, over a minute for this
    description. Two seconds is a generous bound for the linear one (tens of milliseconds)."""
    kinds = WorkRecordKind.ensure_presets(world.org)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '2s'")
    record = WorkRecord.objects.create(
        organisation=world.org,
        unit=world.works,
        kind=kinds["theory_study"],
        date=date(2026, 3, 5),
        title="长篇会议纪要",
        description="会议传达学习了上级精神。" * 2000 + "谈心",
    )
    response = login(world.office).get(reverse("search:results"), {"q": "谈心"})
    assert response.status_code == 200
    assert record.title in {result.title for result in response.context["results"]}
