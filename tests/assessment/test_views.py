"""The assessment pages: who may do what, bad input refused in Chinese, points that link to
the records behind them, the Excel file and the report's appendix."""

import io
from datetime import date
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessment.models import ManualAdjustment, Rule, Scheme
from assessment.models import Measure as M

from .conftest import YEAR


def detail(scheme):
    return reverse("assessment:scheme-detail", args=[scheme.pk])


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def follow_post(client, url, data):
    return client.post(url, data, follow=True)


# -- bad input: a clear Chinese message, nothing changed ---------------------------------------
def test_a_negative_weight_is_refused(login, world, unit_scheme):
    client = login(world.office)
    url = reverse("assessment:rule-add", args=[unit_scheme.pk])
    response = follow_post(client, url, {"measure": M.LETTERS_SIGNED, "weight": "-5"})
    assert "分值不能为负数，请填写0或正数。" in messages_of(response)
    assert not Rule.objects.exists()


def test_a_negative_weight_is_refused_on_update(login, world, unit_scheme):
    rule = Rule.objects.create(scheme=unit_scheme, measure=M.LETTERS_SIGNED, weight=10)
    url = reverse("assessment:rule-update", args=[unit_scheme.pk, rule.pk])
    response = follow_post(login(world.office), url, {"weight": "-1"})
    assert "分值不能为负数，请填写0或正数。" in messages_of(response)
    rule.refresh_from_db()
    assert rule.weight == 10


@pytest.mark.parametrize("measure", ["sum(records)*2", "reports_on_time", ""])
def test_a_measure_not_offered_is_refused(login, world, unit_scheme, measure):
    url = reverse("assessment:rule-add", args=[unit_scheme.pk])
    response = follow_post(login(world.office), url, {"measure": measure, "weight": "10"})
    shown = messages_of(response)
    assert any("考核项目" in m for m in shown), shown
    assert not Rule.objects.exists()


def test_a_duplicate_rule_is_refused(login, world, unit_scheme):
    Rule.objects.create(scheme=unit_scheme, measure=M.LETTERS_SIGNED, weight=10)
    url = reverse("assessment:rule-add", args=[unit_scheme.pk])
    response = follow_post(login(world.office), url, {"measure": M.LETTERS_SIGNED, "weight": "5"})
    assert "该考核项目已在本方案中，请直接修改其分值。" in messages_of(response)
    assert list(Rule.objects.values_list("weight", flat=True)) == [10]


def test_manual_points_without_a_reason_are_refused(login, world, unit_scheme):
    url = reverse("assessment:adjustment-add", args=[unit_scheme.pk])
    data = {"target": world.works.pk, "points": "2", "reason": "   "}
    response = follow_post(login(world.office), url, data)
    assert "加减分必须填写理由。" in messages_of(response)
    assert not ManualAdjustment.objects.exists()


def test_manual_points_for_a_unit_outside_the_scheme_are_refused(login, world, unit_scheme):
    url = reverse("assessment:adjustment-add", args=[unit_scheme.pk])
    data = {"target": world.other_unit.pk, "points": "2", "reason": "篡改"}
    response = follow_post(login(world.office), url, data)
    assert "所选对象不在本考核方案的考核范围内。" in messages_of(response)
    assert not ManualAdjustment.objects.exists()


def test_manual_points_with_a_reason_are_kept_with_who_gave_them(login, world, unit_scheme):
    url = reverse("assessment:adjustment-add", args=[unit_scheme.pk])
    data = {"target": world.works.pk, "points": "-2.5", "reason": "专项检查发现问题"}
    follow_post(login(world.office), url, data)
    adjustment = ManualAdjustment.objects.get()
    assert (adjustment.unit, adjustment.points, adjustment.created_by) == (
        world.works,
        Decimal("-2.5"),
        world.office,
    )
    assert adjustment.history.first().history_user == world.office


def test_a_scheme_for_an_organisation_outside_ones_office_is_refused(login, world):
    response = login(world.office).post(
        reverse("assessment:scheme-create"),
        {"owner": world.other_org.pk, "year": YEAR, "target": "units", "name": "越权"},
    )
    assert response.status_code == 200
    assert "只能为本人担任党办工作人员的党组织制定考核方案。" in response.content.decode()
    assert not Scheme.objects.exists()


def test_a_bureau_with_nothing_below_cannot_score_organisations(login, world):
    response = login(world.office).post(
        reverse("assessment:scheme-create"),
        {"owner": world.org.pk, "year": YEAR, "target": "organisations", "name": "考核下级"},
    )
    assert "本党组织没有下级党组织" in response.content.decode()
    assert not Scheme.objects.exists()


def test_a_second_scheme_of_the_same_kind_and_year_is_refused(login, world, unit_scheme):
    response = login(world.office).post(
        reverse("assessment:scheme-create"),
        {"owner": world.org.pk, "year": YEAR, "target": "units", "name": "另一个"},
    )
    assert "该考核主体本年度已有同类考核方案。" in response.content.decode()
    assert Scheme.objects.count() == 1


def test_the_office_creates_a_scheme(login, world):
    response = login(world.office).post(
        reverse("assessment:scheme-create"),
        {"owner": world.org.pk, "year": YEAR, "target": "units", "name": "责任制考核"},
    )
    scheme = Scheme.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(scheme)
    assert scheme.history.first().history_user == world.office


# -- who reads and who changes -------------------------------------------------------------------
def test_the_body_office_edits_its_scheme_and_an_organisation_below_cannot(login, world, body):
    url = reverse("assessment:rule-add", args=[body.scheme.pk])
    assert (
        login(world.office).post(url, {"measure": M.LETTERS_SIGNED, "weight": "5"}).status_code
        == 404
    )
    assert (
        login(body.sibling_office)
        .post(url, {"measure": M.LETTERS_SIGNED, "weight": "5"})
        .status_code
        == 404
    )
    assert not Rule.objects.exists()
    login(body.office).post(url, {"measure": M.LETTERS_SIGNED, "weight": "5"})
    assert Rule.objects.get().scheme == body.scheme


@pytest.mark.parametrize(
    "who, status",
    [("office", 200), ("leader", 200), ("inspector", 200), ("admin", 404), ("sibling_office", 404)],
)
def test_who_reads_the_bodys_results(login, world, body, who, status):
    response = login(getattr(body, who)).get(detail(body.scheme))
    assert response.status_code == status


@pytest.mark.parametrize(
    "who, status",
    [
        ("office", 200),
        ("principal", 200),
        ("inspector", 200),
        ("leader", 404),
        ("head", 404),
        ("stranger", 404),
    ],
)
def test_who_reads_a_units_scheme(login, world, unit_scheme, who, status):
    assert login(getattr(world, who)).get(detail(unit_scheme)).status_code == status


def test_a_reader_who_is_not_the_office_cannot_change_the_scheme(login, world, unit_scheme):
    url = reverse("assessment:rule-add", args=[unit_scheme.pk])
    response = login(world.inspector).post(url, {"measure": M.LETTERS_SIGNED, "weight": "5"})
    assert response.status_code == 403
    assert not Rule.objects.exists()


# -- points link to their records ----------------------------------------------------------------
def test_each_point_links_to_the_records_behind_it(login, world, records, unit_scheme):
    rule = Rule.objects.create(scheme=unit_scheme, measure=M.LETTERS_SIGNED, weight=20)
    on_time = records.letter(
        world.works, due=date(YEAR, 3, 1), signed=date(YEAR, 3, 1), title="按期签"
    )
    records.letter(world.works, due=date(YEAR, 3, 1), title="逾期未签的责任书", slot=1)
    records.letter(world.finance, due=date(YEAR, 3, 1), title="财务处的责任书")
    client = login(world.office)
    page = client.get(detail(unit_scheme)).content.decode()
    basis = reverse("assessment:point-basis", args=[unit_scheme.pk, rule.pk, world.works.pk])
    assert f'href="{basis}"' in page
    response = client.get(basis)
    text = response.content.decode()
    assert "按期签" in text and "逾期未签的责任书" in text
    assert "财务处的责任书" not in text
    assert reverse("accountability:dutyletter-detail", args=[on_time.pk]) in text
    assert response.context["cell"].done == 1 and response.context["cell"].due == 2


def test_the_body_reads_the_records_behind_an_organisations_points(login, world, records, body):
    rule = Rule.objects.create(scheme=body.scheme, measure=M.MEASURES_CLOSED, weight=20)
    measure = records.measure(world.works, deadline=date(YEAR, 3, 1))
    basis = reverse("assessment:point-basis", args=[body.scheme.pk, rule.pk, world.org.pk])
    response = login(body.office).get(basis)
    assert response.status_code == 200
    text = response.content.decode()
    assert measure.description in text
    # read on this page: the organisation's own detail page is not the body's to open
    assert reverse("rectification:measure-detail", args=[measure.pk]) not in text
    other = reverse("assessment:point-basis", args=[body.scheme.pk, rule.pk, world.other_org.pk])
    assert login(body.office).get(other).status_code == 404


# -- Excel and the report appendix ---------------------------------------------------------------
def test_the_results_export_as_excel(login, world, records, unit_scheme):
    Rule.objects.create(scheme=unit_scheme, measure=M.LETTERS_SIGNED, weight=20)
    records.letter(world.works, due=date(YEAR, 3, 1))
    ManualAdjustment.objects.create(
        scheme=unit_scheme,
        unit=world.finance,
        points=Decimal("1"),
        reason="=HYPERLINK(1)",
        created_by=world.office,
    )
    response = login(world.office).get(reverse("assessment:scheme-export", args=[unit_scheme.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "filename*=UTF-8''" in disposition
    assert unquote(disposition.split("''")[1]) == "测试水利局2025年度责任制考核考核结果.xlsx"
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][0] == "测试水利局2025年度责任制考核考核结果"
    assert rows[1][:2] == ("名次", "单位")
    works = next(r for r in rows[2:] if r[1] == "基建处")
    assert works[2] == 0 and works[3] == "0/1"
    finance = next(r for r in rows[2:] if r[1] == "财务处")
    assert (finance[0], finance[-1]) == (1, 21)


def test_the_year_end_report_carries_the_results_as_an_appendix(world, records, unit_scheme):
    from reports.appendices import appendix_tables
    from reports.models import Report
    from reports.services import outline_apply_preset

    Rule.objects.create(scheme=unit_scheme, measure=M.LETTERS_SIGNED, weight=20)
    records.letter(world.works, due=date(YEAR, 3, 1))
    outline = outline_apply_preset(organisation=world.org, preset="seven_areas")
    report = Report.objects.create(organisation=world.org, year=YEAR, outline=outline)
    tables = {t["key"]: t for t in appendix_tables(report, date(YEAR, 12, 31))}
    table = tables["assessment"]
    assert table["title"] == "2025年度责任制考核考核结果"
    assert table["columns"][:2] == ["名次", "单位"]
    assert ["4", "基建处", "0", "", "0"] in table["rows"]
    other_year = Report.objects.create(organisation=world.org, year=YEAR - 1, outline=outline)
    assert "assessment" not in {t["key"] for t in appendix_tables(other_year, date(YEAR, 12, 31))}
