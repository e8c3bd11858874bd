"""Figures resolve from the records of the report's organisation and year only."""

import datetime

import pytest

from reports.figures import FigureContext, Token, render_html, tokens_in

TODAY = datetime.date(2021, 12, 20)


def resolve(world, *keys, year=2021):
    tokens = [Token(*key.split(":")) if ":" in key else Token(key) for key in keys]
    return FigureContext(world.org, year, today=TODAY).resolve(tokens)


def value(world, key, year=2021):
    resolved = resolve(world, key, year=year)[key]
    assert resolved.ok, resolved.error
    return resolved.text


def test_it_counts_a_kind_of_work_record_in_the_year(year_data):
    assert value(year_data, "count:theory_study") == "3"


def test_it_sums_participants(year_data):
    assert value(year_data, "participants:party_lecture") == "75"


def test_it_lists_titles_in_book_title_marks(year_data):
    assert value(year_data, "titles:warning_education") == "《巡视利剑》、《正风反腐就在身边》"


def test_it_states_the_change_from_the_previous_year(year_data):
    assert value(year_data, "yoy:theory_study") == "增加2次"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("inspections", "1"),
        ("aspects", "2"),
        ("findings", "3"),
        ("findings_closed", "1"),
        ("measures", "4"),
        ("measures_closed", "2"),
        ("measures_overdue", "1"),
        ("rules", "3"),
    ],
)
def test_rectification_figures(year_data, key, expected):
    assert value(year_data, key) == expected


@pytest.mark.parametrize(
    ("key", "expected"), [("letters", "2"), ("letters_signed", "1"), ("letters_units", "1")]
)
def test_duty_letter_figures(year_data, key, expected):
    assert value(year_data, key) == expected


def test_responsibility_items_reaching_their_target(year_data):
    assert value(year_data, "items") == "2"
    assert value(year_data, "items_done") == "1"


def test_a_kind_that_was_deactivated_is_flagged_not_counted(year_data):
    kind = year_data.kinds["theory_study"]
    kind.is_active = False
    kind.save()
    resolved = resolve(year_data, "count:theory_study")["count:theory_study"]
    assert not resolved.ok
    assert "已停用" in resolved.error and resolved.text == ""


def test_a_kind_that_does_not_exist_is_flagged(year_data):
    resolved = resolve(year_data, "count:no_such_kind")["count:no_such_kind"]
    assert not resolved.ok and "不存在" in resolved.error


def test_an_unknown_metric_is_flagged(year_data):
    assert not resolve(year_data, "bogus")["bogus"].ok


def test_titles_of_a_year_without_records_are_flagged(year_data):
    resolved = resolve(year_data, "titles:warning_education", year=2020)
    assert not resolved["titles:warning_education"].ok


def test_titles_in_a_year_without_any_data_say_there_are_none(year_data):
    assert value(year_data, "titles:warning_education", year=2015) == "（无记录）"


def test_a_year_without_data_counts_zero(year_data):
    assert value(year_data, "count:theory_study", year=2015) == "0"
    assert not FigureContext(year_data.org, 2015).has_data()


ALL_KEYS = [
    "count:theory_study",
    "participants:party_lecture",
    "yoy:theory_study",
    "titles:warning_education",
    "measures",
    "findings_closed",
    "letters_signed",
    "items_done",
]


def test_query_count_does_not_grow_with_the_data(year_data, django_assert_num_queries):
    with django_assert_num_queries(8):
        resolve(year_data, *ALL_KEYS)
    for day in range(1, 28):
        year_data.record("theory_study", datetime.date(2021, 10, day), year_data.works, "再学习")
        year_data.record(
            "warning_education", datetime.date(2021, 11, day), year_data.finance, f"片名{day}"
        )
    with django_assert_num_queries(8):
        resolve(year_data, *ALL_KEYS)


def test_preview_links_each_figure_to_its_records(year_data):
    text = "共学习{{count:theory_study}}次。"
    html = render_html(text, resolve(year_data, "count:theory_study"))[0]
    assert 'class="report-figure"' in html and ">3</a>" in html
    assert f"kind={year_data.kinds['theory_study'].pk}" in html and "year=2021" in html


def test_preview_escapes_markup_typed_in_the_narrative(year_data):
    text = '<img src="file:///etc/passwd">{{count:theory_study}}'
    html = render_html(text, resolve(year_data, *[t.key for t in tokens_in(text)]))[0]
    assert "<img" not in html and "&lt;img" in html


def test_titles_take_the_names_inside_a_records_title():
    from reports.figures.resolve import book_titles

    assert book_titles(
        ["组织观看警示教育片《零容忍》", "《巡视利剑》", "参观廉政展板", "再看《零容忍》"]
    ) == ["《零容忍》", "《巡视利剑》"]


def test_a_film_list_never_wraps_a_whole_title_in_book_title_marks(year_data):
    text = value(year_data, "titles:warning_education")
    assert "基地" not in text and "《赴" not in text


def test_a_year_whose_records_name_no_film_is_flagged_not_wrapped(year_data):
    from accountability.models import WorkRecord

    WorkRecord.objects.filter(kind=year_data.kinds["warning_education"]).update(title="参观展览")
    resolved = resolve(year_data, "titles:warning_education")["titles:warning_education"]
    assert not resolved.ok and "片名" in resolved.error


# -- figures say what the sentence says --------------------------------------------------------
def _notice_letter(world, signed=True):
    from accountability.models import DutyLetter

    return DutyLetter.objects.create(
        organisation=world.org,
        year=2021,
        unit=world.finance,
        kind="notice",
        level="group_leader",
        title="财务处函告书",
        issued_on=datetime.date(2021, 1, 10),
        signed_on=datetime.date(2021, 1, 20) if signed else None,
        signatory="李处长" if signed else "",
    )


def test_a_sentence_about_duty_letters_counts_only_duty_letters(year_data):
    _notice_letter(year_data)
    assert value(year_data, "letters_signed") == "2"  # every letter
    assert value(year_data, "letters_signed:duty") == "1"
    assert value(year_data, "letters_signed:notice") == "1"
    assert value(year_data, "letters:duty") == "2"
    assert value(year_data, "letters_signed:group_leader") == "1"
    assert value(year_data, "letters_signed:notice-group_leader") == "1"
    assert value(year_data, "letters_signed:duty-group_leader") == "0"


def test_units_that_signed_are_counted_once_however_many_letters_they_signed(year_data):
    from accountability.models import DutyLetter, User

    first = _notice_letter(year_data)
    people = User.objects.filter(organisation=first.organisation)[:3]
    for number, person in enumerate(people):  # 重点岗位 letters: one per person of the unit
        DutyLetter.objects.create(
            organisation=first.organisation,
            year=2021,
            unit=first.unit,
            recipient=person,
            kind="notice",
            level="head_post",
            title=f"重点岗位函告书{number}",
            issued_on=datetime.date(2021, 3, 1),
            signed_on=datetime.date(2021, 3, 5) if number else None,
            signatory=person.get_full_name() if number else "",
        )
    assert len(people) == 3
    assert value(year_data, "letters:notice") == "4"
    assert value(year_data, "letters_signed:notice") == "3"
    assert value(year_data, "letters_units:notice") == "1"
    assert value(year_data, "letters_units:notice-head_post") == "1"
    assert value(year_data, "letters_signed:notice-head_post") == "2"


def test_letter_figures_are_labelled_by_kind_and_link_to_that_kind(year_data):
    resolved = resolve(year_data, "letters_signed:duty")["letters_signed:duty"]
    assert resolved.label == "责任书签订数"
    assert "kind=duty" in resolved.url and "status=signed" in resolved.url


def test_an_unknown_letter_kind_is_flagged_in_words(year_data):
    resolved = resolve(year_data, "letters_signed:bogus")["letters_signed:bogus"]
    assert not resolved.ok and "bogus" not in resolved.error


def test_rounds_count_every_round_of_the_year_as_their_link_lists_them(year_data):
    from tests.rectification.factories import InspectionFactory

    InspectionFactory(
        organisation=year_data.org,
        started_on=datetime.date(2021, 8, 1),
        feedback_on=datetime.date(2021, 9, 1),
    )
    resolved = resolve(year_data, "inspections")["inspections"]
    assert resolved.text == "2"  # the second round has no finding yet
    assert "year=2021" in resolved.url


def test_a_zero_in_a_sentence_that_reports_work_done_is_flagged(year_data):
    text = "召开民主生活会{{count:democratic_life}}次，逾期{{measures_overdue}}条。"
    figures = resolve(year_data, "count:democratic_life", "measures_overdue")
    assert figures["count:democratic_life"].zero_warning
    assert not figures["measures_overdue"].zero_warning  # none overdue is good news
    html = render_html(text, figures)[0]
    assert "report-figure-zero" in html


def test_the_sector_and_body_come_from_the_organisation(year_data):
    assert value(year_data, "sector") == "水利"
    assert value(year_data, "body") == "党组"
    assert value(year_data, "org") == "测试水利局党组"
