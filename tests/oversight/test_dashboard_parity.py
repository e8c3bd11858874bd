"""The roll-up's numbers are the organisations' own dashboard figures (issue 15's "done when").

Both pages are rendered: the dashboard as each organisation's office sees it, the roll-up as the
supervising body's office sees it; every figure they share must be equal.
"""

from django.urls import reverse

from .conftest import YEAR


def dashboard(login, user, code):
    response = login(user).get(reverse("reports:dashboard"), {"org": code, "year": YEAR})
    assert response.status_code == 200
    return response.context["board"]


def test_every_roll_up_number_equals_the_organisations_dashboard(login, city):
    response = login(city.body_office).get(reverse("oversight:rollup"), {"year": YEAR})
    rows = {row.code: row for row in response.context["rollup"].rows}
    offices = {"test": city.office, "other": city.stranger}
    compared = 0
    for code, office in offices.items():
        board, row = dashboard(login, office, code), rows[code]
        for name in ("total", "open", "closed", "overdue", "red", "yellow", "green"):
            assert row.measures[name] == board.rectification[name], (code, name)
            compared += 1
        assert row.letters["total"] == board.letters["total"], code
        assert row.letters["signed"] == board.letters["signed"], code
        by_month = [sum(counts[m] for counts in board.months.values()) for m in range(12)]
        assert [n for _month, n, _state in row.months] == by_month, code
        assert row.records == sum(kind["count"] for kind in board.kinds), code
        compared += 15
    # Nothing was vacuous: the two organisations have different, non-zero figures.
    assert compared == 2 * 22
    assert rows["test"].measures != rows["other"].measures
    assert rows["test"].records and rows["other"].records


def test_the_organisation_page_shows_the_same_numbers(login, city):
    board = dashboard(login, city.office, "test")
    page = login(city.body_office).get(
        reverse("oversight:organisation", args=["test"]), {"year": YEAR}
    )
    row = page.context["row"]
    assert row.measures["overdue"] == board.rectification["overdue"]
    assert row.letters["signed"] == board.letters["signed"]
    kinds = {kind["id"]: kind["total"] for kind in page.context["kinds"]}
    assert kinds == {k["id"]: k["count"] for k in board.kinds}
