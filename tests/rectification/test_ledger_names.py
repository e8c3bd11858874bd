"""Ledgers open on the current year with numbered pages; exports are named and titled in
Chinese by organisation, year and filter, and the 整改台账 names each finding's inspection."""

import datetime
import io
from urllib.parse import quote

import pytest
import time_machine
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from .factories import FindingFactory, InspectionFactory, MeasureFactory

pytestmark = pytest.mark.django_db

LEDGER = reverse("rectification:measure-list")
RECORDS = reverse("accountability:workrecord-list")


@pytest.fixture
def last_year(rect):
    inspection = InspectionFactory(
        organisation=rect.org,
        title="2025年专项巡察",
        started_on=datetime.date(2025, 3, 1),
        feedback_on=datetime.date(2025, 4, 1),
    )
    finding = FindingFactory(inspection=inspection, number=1)
    return MeasureFactory(
        finding=finding,
        lead_leader=rect.leader,
        unit=rect.works,
        responsible_person=rect.head,
        description="去年的整改措施",
    )


def _sheet(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


@time_machine.travel("2026-11-30 10:00", tick=False)
def test_the_ledger_opens_on_the_current_year(login, rect, last_year):
    body = login(rect.office).get(LEDGER).text
    assert rect.measure.description in body
    assert last_year.description not in body
    assert 'name="year" value="2026"' in body


@time_machine.travel("2026-11-30 10:00", tick=False)
def test_a_link_with_a_filter_keeps_every_year(login, rect, last_year):
    body = login(rect.office).get(LEDGER, {"open": "yes"}).text
    assert rect.measure.description in body and last_year.description in body


@time_machine.travel("2026-11-30 10:00", tick=False)
def test_the_export_is_named_in_chinese_with_an_ascii_fallback(login, rect):
    response = login(rect.office).get(LEDGER, {"export": "xlsx"})
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="rectification-ledger-2026.xlsx"' in disposition
    assert f"filename*=UTF-8''{quote('测试水利局2026年整改台账.xlsx')}" in disposition


@time_machine.travel("2026-11-30 10:00", tick=False)
def test_the_title_row_says_what_was_filtered(login, rect):
    response = login(rect.office).get(
        LEDGER, {"export": "xlsx", "year": "2026", "unit": rect.works.pk, "state": "open"}
    )
    title = _sheet(response)["A1"].value
    assert title == "测试水利局2026年整改台账（责任处室：基建处；状态：未开始）"
    assert (
        quote("测试水利局2026年整改台账（基建处·未开始）.xlsx") in response["Content-Disposition"]
    )


def test_the_ledger_names_each_findings_inspection(login, rect):
    rows = list(_sheet(login(rect.office).get(LEDGER, {"export": "xlsx"})).values)
    assert rows[1][1] == "巡视巡察"
    assert {row[1] for row in rows[2:]} == {rect.inspection.title}


@time_machine.travel("2026-11-30 10:00", tick=False)
def test_work_records_export_is_named_for_the_organisation_and_year(login, rect):
    response = login(rect.office).get(RECORDS, {"export": "xlsx"})
    assert quote("测试水利局2026年工作记实台账.xlsx") in response["Content-Disposition"]
    assert 'filename="work-records-2026.xlsx"' in response["Content-Disposition"]


def test_pages_are_numbered():
    page = Paginator(list(range(1000)), 50).page(7)
    html = Template("{% load portal %}{% include 'includes/pagination.html' %}").render(
        Context({"page_obj": page, "request": RequestFactory().get("/", {"year": "2026"})})
    )
    for number in ("1", "5", "6", "7", "8", "9", "20"):
        assert f">{number}<" in html
    assert "…" in html and "共 1000 条" in html
    assert "year=2026&amp;page=8" in html
