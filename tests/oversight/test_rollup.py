"""The supervising body's roll-up: who sees it, what it counts, and its constant query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accountability.models import Role, WorkRecord, WorkRecordKind
from oversight.selectors import MonthState
from tests.factories import OrganisationFactory, UnitFactory, UserFactory

from .conftest import YEAR, make_body, place_below

URL = reverse("oversight:rollup")


def rollup(client, year=YEAR):
    response = client.get(URL, {"year": year})
    assert response.status_code == 200
    return response.context["rollup"]


def rows_by_code(board):
    return {row.code: row for row in board.rows}


def test_anonymous_is_sent_to_log_in(client, city):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["office", "principal", "inspector", "stranger", "body_admin"])
def test_who_supervises_nothing_is_refused(login, city, who):
    assert login(getattr(city, who)).get(URL).status_code == 403


@pytest.mark.parametrize("who", ["body_office", "body_leader", "body_inspector"])
def test_the_body_office_leaders_and_inspectors_see_both_organisations(login, city, who):
    board = rollup(login(getattr(city, who)))
    assert set(rows_by_code(board)) == {"test", "other"}


def test_the_figures_of_each_organisation(login, city):
    rows = rows_by_code(rollup(login(city.body_office)))
    bureau, sibling = rows["test"], rows["other"]
    # 2021: study in Jan–Mar, lectures in Apr and Jul, warning education in May, Sep and Oct.
    assert bureau.records == 8
    assert [n for _m, n, _s in bureau.months] == [1, 1, 1, 1, 1, 0, 1, 0, 1, 1, 0, 0]
    assert bureau.months_missing == 4 and bureau.months_filed == 8
    assert bureau.letters == {"total": 2, "signed": 1, "missing": 1}
    assert bureau.measures == {
        "total": 6,
        "open": 4,
        "closed": 2,
        "overdue": 1,
        "red": 1,
        "yellow": 1,
        "green": 1,
    }
    assert bureau.report_state == "submitted"
    assert sibling.records == 5 and sibling.months_filed == 1
    assert sibling.letters == {"total": 1, "signed": 1, "missing": 0}
    assert sibling.measures["overdue"] == 1 and sibling.measures["total"] == 1
    assert sibling.report_state == ""


def test_the_totals_row_adds_the_organisations_up(login, city):
    board = rollup(login(city.body_office))
    assert board.totals["records"] == 13
    assert board.totals["letters"] == {"total": 3, "signed": 2, "missing": 1}
    assert board.totals["measures"]["overdue"] == 2
    # March: one study session in the bureau, five in the sibling; both filed.
    assert board.totals["months"][2] == (3, 6, 2)
    assert [(str(label), n) for label, n in board.totals["reports"]] == [
        ("未起草", 1),
        ("待审签", 1),
    ]


def test_months_are_missing_only_once_they_are_over(login, city):
    today = timezone.localdate()
    row = rows_by_code(rollup(login(city.body_office), year=today.year))["test"]
    states = [state for _m, _n, state in row.months]
    assert states[today.month - 1] == MonthState.CURRENT
    assert set(states[: today.month - 1]) <= {MonthState.MISSING}
    assert set(states[today.month :]) <= {MonthState.FUTURE}


def test_every_number_links_to_the_organisation(login, city):
    html = login(city.body_office).get(URL, {"year": YEAR}).content.decode()
    org_url = reverse("oversight:organisation", args=["test"])
    for figure in ("letters", "records", "months-missing", "open", "overdue", "red", "green"):
        assert f'href="{org_url}?year={YEAR}#' in html
        assert f'data-figure="{figure}"' in html
    assert 'data-submission="none"' in html  # 报送: nothing submitted, no due date set


def test_a_body_with_nothing_below_has_no_roll_up_nor_its_menu(login, city):
    lonely = make_body(code="lonely", name="孤立工委")
    office = UserFactory(username="lonely", unit=lonely.root, roles=[Role.OFFICE])
    client = login(office)
    assert client.get(URL).status_code == 403
    assert "下级单位汇总" not in client.get(reverse("home")).content.decode()


def test_the_menu_entry_shows_for_the_body_only(login, city):
    assert "下级单位汇总" in login(city.body_inspector).get(reverse("home")).content.decode()
    assert "下级单位汇总" not in login(city.office).get(reverse("home")).content.decode()


def test_organisations_are_grouped_by_depth(login, city):
    district = make_body(code="district", name="区直机关工委")
    place_below(district, city.body)
    deep = OrganisationFactory(code="deep", name="区水务局", short_name="区水务局")
    place_below(deep, district)
    board = rollup(login(city.body_office))
    assert [(depth, [r.code for r in rows]) for depth, rows in board.groups] == [
        (1, ["district", "other", "test"]),  # by name: 区直机关工委, 另一局, 测试水利局
        (2, ["deep"]),
    ]
    assert rows_by_code(board)["deep"].parent_name == "区直机关工委"
    html = login(city.body_office).get(URL, {"year": YEAR}).content.decode()
    assert "直属下级党组织" in html and "第 2 级下级党组织" in html


def test_a_year_in_the_url_that_is_not_a_year_falls_back(login, city):
    client = login(city.body_office)
    for bad in ("abc", "99999", "\x00", "-1"):
        assert client.get(URL, {"year": bad}).status_code == 200


def test_a_write_is_refused(login, city):
    assert login(city.body_office).post(URL).status_code == 403


# -- query count -------------------------------------------------------------------------------
def _add_organisations(city, n):
    for index in range(n):
        org = OrganisationFactory(code=f"extra{index}", name=f"附加局{index}")
        unit = UnitFactory(organisation=org, name="局机关", kind="bureau")
        place_below(org, city.body)
        kind = WorkRecordKind.ensure_presets(org)["theory_study"]
        WorkRecord.objects.create(
            organisation=org, unit=unit, kind=kind, date=f"{YEAR}-0{index + 1}-05", title="学习"
        )


def _queries(client):
    client.get(URL, {"year": YEAR})  # warm the session and the caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"year": YEAR}).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_organisations(login, city):
    client = login(city.body_office)
    assert len(rollup(client).rows) == 2
    two = _queries(client)
    _add_organisations(city, 3)
    assert len(rollup(client).rows) == 5
    five = _queries(client)
    assert two == five, f"2 organisations: {two} queries, 5: {five}"


def test_the_submission_column_says_who_submitted_on_time_and_who_is_late(login, city):
    """报送: the latest submission's state with on time / late; none and past the body's due
    date reads 逾期未报; the totals count each state."""
    from datetime import date, datetime, time, timedelta

    from reports.services import version_approve
    from supervision.models import ReportDue, Submission

    ReportDue.objects.create(supervisor=city.body, year=YEAR, due_date=date(YEAR + 1, 1, 31))
    final = version_approve(version=city.report.versions.get(number=2), by=city.principal)
    at = timezone.make_aware(datetime.combine(date(YEAR + 1, 1, 20), time(10)))
    Submission.objects.create(
        organisation=city.org,
        supervisor=city.body,
        year=YEAR,
        version=final,
        title="2021年度报告",
        submitted_at=at,
        submitted_by=city.office,
        due_date=date(YEAR + 1, 1, 31),
        on_time=True,
        status=Submission.Status.RECEIVED,
        decided_at=at + timedelta(days=1),
        decided_by=city.body_office,
        content_hash="0" * 64,
        pdf="submissions/x.pdf",
        docx="submissions/x.docx",
    )
    client = login(city.body_office)
    rows = rows_by_code(rollup(client))
    assert (rows["test"].submission_state, rows["test"].submission_on_time) == ("received", True)
    assert rows["other"].submission_state == "late"  # the due date is years past
    page = client.get(URL, {"year": YEAR}).text
    assert 'data-submission="received"' in page and "已签收" in page
    assert 'data-submission="late"' in page and "逾期未报" in page
    totals = dict((str(label), n) for label, n in rollup(client).totals["submissions"])
    assert totals == {"已签收": 1, "逾期未报": 1}
