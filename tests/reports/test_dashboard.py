"""The leaders' dashboard: scoped figures, links to the lists, constant query count."""

import datetime

import pytest
from django.urls import reverse

from tests.rectification.factories import FindingFactory, MeasureFactory

URL = reverse("reports:dashboard")


def get(client, **params):
    return client.get(URL, {"org": "test", "year": 2021, **params})


def test_anonymous_is_sent_to_login(client, year_data):
    response = get(client)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_organisation_is_not_found(login, year_data):
    assert get(login(year_data.stranger)).status_code == 404


def test_a_unit_head_has_no_dashboard(login, year_data):
    assert get(login(year_data.head)).status_code == 403


@pytest.mark.parametrize("who", ["office", "inspector", "principal", "leader"])
def test_leaders_office_and_inspectors_see_it(login, year_data, who):
    assert get(login(getattr(year_data, who))).status_code == 200


def test_office_sees_the_whole_organisation(login, year_data):
    board = get(login(year_data.office)).context["board"]
    kinds = {k["code"]: k for k in board.kinds}
    assert kinds["theory_study"]["count"] == 3 and kinds["theory_study"]["previous"] == 1
    assert kinds["party_lecture"]["count"] == 2
    assert board.rectification["total"] == 4
    assert board.rectification["closed"] == 2
    assert board.rectification["overdue"] == 1
    assert board.letters == {**board.letters, "total": 2, "signed": 1}


def test_a_leader_in_charge_sees_only_their_units(login, year_data):
    board = get(login(year_data.leader)).context["board"]
    kinds = {k["code"]: k for k in board.kinds}
    assert kinds["party_lecture"]["count"] == 1  # the finance lecture is not in 李分管's charge
    assert {u["name"] for u in board.units} == {"基建处"}
    assert board.rectification["total"] == 3
    assert board.rectification["overdue"] == 0


def test_overdue_figure_links_to_the_filtered_ledger(login, year_data):
    html = get(login(year_data.office)).content.decode()
    assert 'data-figure="measures-overdue"' in html
    assert "overdue=yes" in html and "year=2021" in html


def test_closure_rate_per_inspection(login, year_data):
    board = get(login(year_data.office)).context["board"]
    assert [(i["total"], i["closed"], i["rate"]) for i in board.inspections] == [(4, 2, 50)]


def test_monthly_chart_data_is_passed_as_json(login, year_data):
    response = get(login(year_data.office))
    assert 'id="dashboard-charts"' in response.content.decode()
    records = response.context["charts"]["records"]
    study = next(d for d in records["datasets"] if d["label"] == "理论中心组学习")
    assert study["data"][:4] == [1, 1, 1, 0]


def test_query_count_is_the_same_with_more_data(login, year_data, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(year_data.office)
    get(client)
    with CaptureQueriesContext(connection) as small:
        get(client)
    w = year_data
    for day in range(1, 20):
        w.record("heart_talk", datetime.date(2021, 8, day), w.finance)
        w.record("theory_study", datetime.date(2021, 9, day), w.works_section)
    finding = FindingFactory(inspection=w.inspection, number=50)
    for n in range(10):
        MeasureFactory(
            finding=finding,
            unit=w.works_section,
            lead_leader=w.leader,
            responsible_person=w.head,
            deadline=datetime.date(2021, 1, n + 1),
        )
    with CaptureQueriesContext(connection) as large:
        get(client)
    assert len(large) == len(small)


def test_each_unit_row_counts_the_unit_and_the_units_below_it(login, year_data):
    w = year_data
    w.record("theory_study", datetime.date(2021, 10, 1), w.works_section)
    rows = {u["name"]: u for u in get(login(w.office)).context["board"].units}
    assert rows["工程科"]["records"] == 1
    assert rows["基建处"]["records"] == 6 + 1  # its own six and 工程科's one
    # The whole organisation is the 合计 row, not a row under the bureau's own name.
    totals = get(login(w.office)).context["board"].unit_totals
    assert totals["records"] == 9  # the whole organisation's 2021 records
    assert totals["measures"] == 4 and totals["letters"] == 2
    assert "局机关" not in rows or rows["局机关"]["own_only"]


def test_the_unit_table_ends_with_a_total_row(login, year_data):
    from accountability.models import WorkRecord

    w = year_data
    w.record("theory_study", datetime.date(2021, 10, 2), w.root)
    response = get(login(w.office))
    rows = {u["name"]: u for u in response.context["board"].units}
    own = WorkRecord.objects.filter(unit=w.root, date__year=2021).count()
    assert rows["局机关"]["own_only"] and rows["局机关"]["records"] == own
    assert response.context["board"].unit_totals["records"] == 8 + 1  # with the bureau's own
    table = response.text[response.text.index('data-table="units"') :]
    assert '<tr data-row="total">' in table and "合计" in table
    assert "局机关（本级）" in table


def test_the_unsigned_units_are_named(login, year_data):
    board = get(login(year_data.office)).context["board"]
    unsigned = {row["name"] for row in board.letters["unsigned_units"]}
    expected = {row["unit__name"] for row in board.letters_by_unit if row["total"] > row["signed"]}
    assert unsigned == expected
    body = get(login(year_data.office)).text
    names = body[body.index('id="unsigned-units"') :][:2000]
    for name in unsigned:
        assert name in names


def test_the_letters_chart_names_every_bar(login, year_data):
    from pathlib import Path

    response = get(login(year_data.office))
    charts = response.context["charts"]["letters"]
    assert charts["labels"] == [
        row["unit__name"] for row in response.context["board"].letters_by_unit
    ]
    assert charts["legend"] == ["已签订", "未签订"]
    script = (Path(__file__).parents[2] / "static/js/reports.js").read_text(encoding="utf-8")
    assert "autoSkip: false" in script and "data.letters.legend" in script


def test_a_second_look_runs_the_same_sql_on_the_rows_as_they_are_now(
    login, year_data, monkeypatch, settings
):
    """The grouped queries are compiled once per reader, scope, organisation, year and day
    (common/prepared.py) when there is a shared cache; the figures are still counted afresh."""
    from common import prepared

    compiled = []
    original = prepared._plan
    monkeypatch.setattr(prepared, "_plan", lambda qs, n: compiled.append(qs) or original(qs, n))
    client = login(year_data.office)
    board = get(client).context["board"]
    first = len(compiled)
    assert first >= 8 if settings.PERSON_CACHE else first == 0
    study = {k["code"]: k for k in board.kinds}["theory_study"]
    september = board.months.get(study["id"], [0] * 12)[8]
    units = {u["name"]: u["records"] for u in board.units}
    assert study["count"] == 3
    year_data.record("theory_study", datetime.date(2021, 9, 9), year_data.works_section)
    board = get(client).context["board"]
    assert len(compiled) == first
    assert {k["code"]: k for k in board.kinds}["theory_study"]["count"] == 4
    assert board.months[study["id"]][8] == september + 1
    assert {u["name"]: u["records"] for u in board.units}["基建处"] == units["基建处"] + 1
    # Another year or another reader: other plans.
    get(client, year=2020)
    seen = len(compiled)
    get(login(year_data.leader))
    if settings.PERSON_CACHE:
        assert first < seen < len(compiled)
