"""Search: finds every kind of record by a word, only within scope, ranked, highlighted, safe."""

import pytest
from django.db import connection
from django.urls import reverse

from search.selectors import Query, search

URL = reverse("search:results")


def found(client, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return response, {(r.kind, r.url) for r in response.context["results"]}


def titles(response):
    return [r.title for r in response.context["results"]]


def test_it_finds_a_two_character_word_in_every_kind_of_record(world, corpus, login):
    response, hits = found(login(world.office), "谈心")
    kinds = {kind for kind, _ in hits}
    assert kinds == {"workrecord", "finding", "measure", "dutyletter", "riskpoint"}
    labels = {r.kind: str(r.kind_label) for r in response.context["results"]}
    assert labels == {
        "workrecord": "工作记实",
        "finding": "反馈问题",
        "measure": "整改措施",
        "dutyletter": "责任书",
        "riskpoint": "廉政风险点",
    }
    assert (
        "workrecord",
        reverse("accountability:workrecord-detail", args=[corpus.finance.pk]),
    ) in hits


def test_it_finds_a_four_character_word(world, corpus, login):
    response, hits = found(login(world.office), "谈心谈话")
    assert ("measure", reverse("rectification:measure-detail", args=[corpus.measure.pk])) in hits
    # "会后开展谈心活动" holds 谈心 but not 谈心谈话.
    assert corpus.works_text_only.title not in titles(response)


def test_it_finds_a_single_character(world, corpus, login):
    response, hits = found(login(world.office), "围")
    assert [r.kind for r in response.context["results"]] == ["riskpoint"]


def test_it_keeps_to_the_unit_heads_scope(world, corpus, login):
    response, _ = found(login(world.head), "谈心")
    shown = titles(response)
    assert "基建处谈心谈话" in shown
    assert "财务处谈心谈话" not in shown
    assert "另一局谈心谈话" not in shown


def test_it_never_shows_another_organisations_rows(world, corpus, login):
    response, _ = found(login(world.stranger), "谈心")
    assert titles(response) == ["另一局谈心谈话"]


def test_a_person_without_a_role_finds_nothing(world, corpus, login):
    from tests.factories import UserFactory

    nobody = UserFactory(username="nobody", unit=world.works)
    response, hits = found(login(nobody), "谈心")
    assert hits == set()
    assert "没有找到" in response.content.decode()


def test_a_word_in_the_title_ranks_before_a_word_in_the_text(world, corpus, login):
    response, _ = found(login(world.head), "谈心")
    shown = titles(response)
    assert shown.index("基建处谈心谈话") < shown.index("基建处理论中心组学习")


def test_every_term_must_match(world, corpus, login):
    response, _ = found(login(world.office), "谈心 财务处")
    assert titles(response) == ["财务处谈心谈话"]


def test_the_snippet_highlights_the_match_and_escapes_the_text(world, corpus, login):
    response, _ = found(login(world.head), "谈心")
    html = response.content.decode()
    assert "<mark>谈心</mark>" in html
    assert "alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


@pytest.mark.parametrize(
    "q",
    [
        "%",
        "_",
        "%%",
        "\\",
        "谈%话",
        "谈_话",
        "'; DROP TABLE accountability_workrecord; --",
        '" OR 1=1 --',
        ".*",
        "(谈心",
        "[谈",
        "\x00",
        "谈\x00%",
        "谈" * 10_000,
        "a b c d e f g h i j",
    ],
)
def test_hostile_queries_are_plain_text(world, corpus, login, q):
    client = login(world.office)
    response, hits = found(client, q)
    assert hits == set()
    # Nothing was harmed: the table is still there and the word is still found.
    assert found(client, "谈心")[1]


def test_a_long_query_says_it_was_shortened(world, corpus, login):
    response, _ = found(login(world.office), "谈心" * 5000)
    assert "只按前" in response.content.decode()


def test_an_empty_query_shows_the_form(world, corpus, login):
    response, hits = found(login(world.office), "   ")
    assert hits == set()
    assert 'name="q"' in response.content.decode()


def test_the_navigation_has_the_search_box(world, login):
    html = login(world.office).get(reverse("home")).content.decode()
    assert f'action="{URL}"' in html


def test_the_query_count_does_not_grow_with_the_matches(world, corpus, django_assert_num_queries):
    from accountability.access import scope_for

    scope = scope_for(world.office)
    scope.readable_unit_ids  # noqa: B018  (computed once per request, not per kind)
    with django_assert_num_queries(5):
        few = search(scope, Query.parse("围标"))
    with django_assert_num_queries(5):
        many = search(scope, Query.parse("谈心"))
    assert len(few) < len(many)


def test_query_parse_splits_on_chinese_punctuation():
    assert Query.parse(" 谈心，谈话、 学习 ").terms == ("谈心", "谈话", "学习")
    assert Query.parse("x" * 101).truncated
    assert not Query.parse("x" * 100).truncated


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL indexes")
@pytest.mark.parametrize(("term", "index"), [("谈心", "bigram"), ("谈心谈话", "trgm")])
def test_the_search_uses_the_chinese_indexes(world, corpus, term, index):
    from accountability.models import WorkRecord
    from search.documents import BY_KIND
    from search.selectors import term_condition

    document = BY_KIND["workrecord"]
    queryset = WorkRecord.objects.filter(term_condition(document, term, document.columns))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert f"accountability_workrecord_search_{index}" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL locale")
def test_the_locale_check_warns_under_plain_c(db, monkeypatch):
    from search import checks

    assert checks.database_ctype() == []

    class Cursor:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def execute(self, sql):
            pass

        def fetchone(self):
            return ("C",)

    monkeypatch.setattr(checks.connection, "cursor", lambda: Cursor())
    (warning,) = checks.database_ctype()
    assert warning.id == "search.W001"
    assert "LC_CTYPE" in warning.msg
