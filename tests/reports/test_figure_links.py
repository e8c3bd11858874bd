"""Every figure's link opens a list that shows that very number, over the year."""

import datetime
import re

import pytest

from reports.figures import FigureContext, Token

TODAY = datetime.date(2021, 12, 20)


def figure(world, key):
    token = Token(*key.split(":")) if ":" in key else Token(key)
    return FigureContext(world.org, 2021, today=TODAY).resolve([token])[key]


def banner_value(html):
    match = re.search(r"data-figure-value>([^<]*)<", html)
    assert match, "no figure banner on the list page"
    return match.group(1)


@pytest.mark.parametrize(
    "key",
    [
        "participants:party_lecture",
        "participants:warning_education",
        "count:theory_study",
        "letters",
        "letters_signed",
        "letters_signed:duty",
        "letters_units",
        "items",
        "items_done",
        "inspections",
        "aspects",
        "findings",
        "findings_closed",
        "measures",
        "measures_closed",
        "rules",
    ],
)
def test_a_figure_link_opens_a_list_that_states_the_same_number(login, year_data, key):
    resolved = figure(year_data, key)
    assert resolved.url, key
    html = login(year_data.office).get(resolved.url).content.decode()
    assert banner_value(html) == resolved.text, key


def test_the_signed_letters_list_shows_the_years_rate_not_the_screens(login, year_data):
    url = figure(year_data, "letters_signed").url
    assert "status=signed" in url
    html = login(year_data.office).get(url).content.decode()
    # one of the year's two letters is signed: 50%, although every row on screen is signed
    assert "50%" in html
    assert "100%" not in html


def test_an_unknown_figure_name_shows_no_banner(login, year_data):
    from django.urls import reverse

    url = reverse("accountability:workrecord-list") + "?year=2021&figure=__class__"
    html = login(year_data.office).get(url).content.decode()
    assert "data-figure-total" not in html


def test_a_link_writes_its_filters_as_urlencode_does():
    from urllib.parse import urlencode

    from django.utils.translation import gettext_lazy

    from reports.figures import links

    params = {
        "year": 2021,
        "unit": 7,
        "negative": -3,
        "flag": True,
        "state": "closure_requested",
        "text": "党风 廉政&建设=?/#",
        "lazy": gettext_lazy("全部"),
        "empty": "",
        "none": None,
        "zero": 0,
    }
    kept = {key: value for key, value in params.items() if value not in (None, "")}
    base = links.url(links.MEASURE_LIST)
    assert links.url(links.MEASURE_LIST, **params) == f"{base}?{urlencode(kept)}"
    assert links.url(links.MEASURE_LIST, year=None) == base
