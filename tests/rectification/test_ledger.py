"""The ledger: filters, sorting, export in the party office's columns, flat query counts."""

import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from rectification import services
from rectification.models import Measure

from .factories import FindingFactory, MeasureFactory, pdf

LEDGER = reverse("rectification:measure-list")


def _more_measures(rect, count):
    for index in range(count):
        finding = FindingFactory(inspection=rect.inspection, number=100 + index)
        MeasureFactory(
            finding=finding,
            lead_leader=rect.leader,
            unit=rect.works_section,
            responsible_person=rect.head,
            deadline=datetime.date(2020, 1, 1) + datetime.timedelta(days=index),
        )


def test_filter_by_state(login, rect):
    services.measure_request_closure(measure=rect.measure, by=rect.head, note="x", files=[pdf()])
    services.measure_accept_closure(measure=rect.measure, by=rect.inspector)
    response = login(rect.office).get(LEDGER, {"state": "closed"})
    assert rect.measure.description in response.text
    assert rect.finance_measure.description not in response.text


def test_filter_overdue(login, rect):
    rect.finance_measure.deadline = datetime.date(2020, 1, 1)
    rect.finance_measure.save()
    response = login(rect.office).get(LEDGER, {"overdue": "yes"})
    assert rect.finance_measure.description in response.text
    assert rect.measure.description not in response.text


def test_filter_by_colour(login, rect):
    rect.finance_measure.deadline = datetime.date(2020, 1, 1)
    rect.finance_measure.save()
    response = login(rect.office).get(LEDGER, {"colour": "red"})
    assert rect.finance_measure.description in response.text
    assert rect.measure.description not in response.text


def test_filter_by_unit_and_leader(login, rect):
    client = login(rect.office)
    by_unit = client.get(LEDGER, {"unit": rect.finance.pk})
    assert rect.finance_measure.description in by_unit.text
    assert rect.measure.description not in by_unit.text
    by_leader = client.get(LEDGER, {"leader": rect.leader.pk})
    assert rect.measure.description in by_leader.text
    assert rect.finance_measure.description not in by_leader.text


def test_filter_by_year_for_report_links(login, rect):
    response = login(rect.office).get(LEDGER, {"year": 2019})
    assert rect.measure.description not in response.text


def test_sort_by_deadline_descending(login, rect):
    rect.finance_measure.deadline = datetime.date(2030, 1, 1)
    rect.finance_measure.save()
    response = login(rect.office).get(LEDGER, {"sort": "-deadline"})
    text = response.text
    assert text.index(rect.finance_measure.description) < text.index(rect.measure.description)


def test_unknown_sort_falls_back_to_default(login, rect):
    assert login(rect.office).get(LEDGER, {"sort": "password"}).status_code == 200


def test_export_has_the_party_office_columns(login, rect):
    response = login(rect.office).get(LEDGER, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[1]) == [
        "序号",
        "巡视巡察",
        "问题",
        "整改措施",
        "牵头领导",
        "责任处室",
        "责任人",
        "整改时限",
        "进展情况",
        "销号情况",
    ]
    assert [row[0] for row in rows[2:]] == [1, 2]
    assert rows[2][1] == rect.inspection.title
    assert rows[2][3] == rect.measure.description
    assert rows[2][9] == "未销号"


def test_export_is_limited_to_scope_and_filters(login, rect):
    response = login(rect.head).get(LEDGER, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    descriptions = [row[3] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert descriptions == [rect.measure.description]


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Warm first: new rows retire the cached person, scope and bell (person_cache, bell).
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_ledger_query_count_does_not_grow_with_data(login, rect):
    client = login(rect.office)
    client.get(LEDGER)
    few = _count_queries(client, LEDGER)
    _more_measures(rect, 30)
    many = _count_queries(client, LEDGER)
    assert many == few


def test_queue_query_count_does_not_grow_with_data(login, rect):
    queue = reverse("rectification:review-queue")
    services.measure_request_closure(measure=rect.measure, by=rect.head, note="x", files=[pdf()])
    client = login(rect.inspector)
    client.get(queue)
    few = _count_queries(client, queue)
    _more_measures(rect, 10)
    for measure in Measure.objects.filter(finding__number__gte=100):
        services.measure_request_closure(
            measure=measure, by=rect.head, note="完成", files=[pdf(), pdf("照片.pdf")]
        )
    many = _count_queries(client, queue)
    assert many == few


def test_inspection_pages_query_count_does_not_grow(login, rect):
    client = login(rect.office)
    pages = [
        reverse("rectification:inspection-list"),
        reverse("rectification:inspection-detail", args=[rect.inspection.pk]),
        reverse("rectification:finding-list"),
    ]
    few = [_count_queries(client, url) for url in pages]
    _more_measures(rect, 15)
    many = [_count_queries(client, url) for url in pages]
    assert many == few


def test_filter_by_unit_includes_its_subunits(login, rect):
    section = MeasureFactory(
        finding=rect.finding,
        lead_leader=rect.leader,
        unit=rect.works_section,
        responsible_person=rect.head,
        description="工程科的整改措施",
    )
    response = login(rect.office).get(LEDGER, {"unit": rect.works.pk})
    assert section.description in response.text
    assert rect.measure.description in response.text
    assert rect.finance_measure.description not in response.text


def test_filter_open_leaves_out_closed_measures(login, rect):
    services.measure_request_closure(measure=rect.measure, by=rect.head, note="x", files=[pdf()])
    services.measure_accept_closure(measure=rect.measure, by=rect.inspector)
    response = login(rect.office).get(LEDGER, {"open": "yes"})
    assert rect.finance_measure.description in response.text
    assert rect.measure.description not in response.text
