"""The editor shows figures as readable labels, never raw codes, and the whole document."""

import datetime

import pytest
from django.urls import reverse

from reports.services import outline_apply_preset, report_generate_draft


@pytest.fixture
def report(year_data):
    outline = outline_apply_preset(organisation=year_data.org, preset="seven_areas")
    report, _ = report_generate_draft(organisation=year_data.org, year=2021, outline=outline)
    report.dated = datetime.date(2021, 12, 31)
    report.save()
    return report


def edit_url(report):
    return reverse("reports:report-edit", args=[report.pk])


def post_data(client, report, **texts):
    formset = client.get(edit_url(report)).context["formset"]
    data = {"title": report.title, "signed_by": report.signed_by, "dated": "2021-12-31"}
    for key, val in formset.management_form.initial.items():
        data[f"{formset.prefix}-{key}"] = val
    for index, form in enumerate(formset.forms):
        for name in ("id", "order", "level", "heading", "text"):
            val = form[name].value()
            data[f"{formset.prefix}-{index}-{name}"] = "" if val is None else val
    for index, text in texts.items():
        data[f"{formset.prefix}-{index}-text"] = text
    return data


def test_the_editor_shows_no_raw_code_anywhere(login, year_data, report):
    html = login(year_data.office).get(edit_url(report)).content.decode()
    assert "{{" not in html and "count:" not in html
    assert "｛理论中心组学习次数｝" in html


def test_each_section_lists_its_figures_with_their_values(login, year_data, report):
    html = login(year_data.office).get(edit_url(report)).content.decode()
    assert "理论中心组学习次数 = 3" in html


def test_labels_typed_or_inserted_are_saved_as_figures(login, year_data, report):
    client = login(year_data.office)
    data = post_data(client, report, **{"0": "全年学习｛理论中心组学习次数｝次。"})
    assert client.post(edit_url(report), data).status_code == 302
    section = report.sections.order_by("order", "pk").first()
    assert section.text == "全年学习{{count:theory_study}}次。"


def test_an_unknown_label_is_refused_in_words_and_nothing_is_saved(login, year_data, report):
    client = login(year_data.office)
    before = report.sections.order_by("order", "pk").first().text
    data = post_data(client, report, **{"0": "全年学习｛不存在的数据｝次。"})
    response = client.post(edit_url(report), data)
    assert response.status_code == 200
    assert "无法识别的数据项：｛不存在的数据｝" in response.content.decode()
    assert report.sections.order_by("order", "pk").first().text == before


def test_the_editor_loads_the_whole_document_beside_the_sections(login, year_data, report):
    client = login(year_data.office)
    html = client.get(edit_url(report)).content.decode()
    detail = reverse("reports:report-detail", args=[report.pk])
    assert f'hx-get="{detail}"' in html and 'hx-select="#report-document"' in html
    pane = client.get(detail).content.decode()
    assert 'id="report-document"' in pane


def test_the_preview_highlights_marked_passages_and_names_them(login, year_data, report):
    html = login(year_data.office).get(reverse("reports:report-detail", args=[report.pk]))
    html = html.content.decode()
    assert 'class="report-placeholder"' in html
    assert "data-placeholders" in html and "待填写" in html
    assert "{{" not in html


def test_the_outline_editor_shows_labels_too(login, year_data, report):
    html = login(year_data.office).get(reverse("reports:outline-edit", args=[report.outline.pk]))
    assert "{{count:" not in html.content.decode()
