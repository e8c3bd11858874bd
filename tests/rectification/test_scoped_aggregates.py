"""Counts, states and the filters built on them show only what the reader may see (issue #13).

One finding is shared by two units: 基建处's measure is closed, 财务处's is still open. The head
of 基建处 sees the finding through his own measure; before #13 he read "已销号 1/2", "整改中",
and the finding was missing from "已完成整改": a count and a state of 财务处's measure.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from rectification.models import Measure
from tests.rectification.factories import FindingFactory, InspectionFactory, MeasureFactory


@pytest.fixture
def shared(world):
    w = world
    w.inspection = InspectionFactory(organisation=w.org, title="市委巡察")
    w.finding = FindingFactory(inspection=w.inspection, number=1, description="共同的问题")
    MeasureFactory(
        finding=w.finding,
        unit=w.works,
        responsible_person=w.head,
        lead_leader=w.leader,
        state=Measure.State.CLOSED,
        closed_at=timezone.now(),
        closed_by=w.inspector,
    )
    MeasureFactory(
        finding=w.finding, unit=w.finance, responsible_person=w.outsider, lead_leader=w.principal
    )
    return w


def test_the_finding_list_counts_only_the_readers_measures(login, shared):
    page = login(shared.head).get(reverse("rectification:finding-list")).text
    assert "1/1" in page
    assert "1/2" not in page


def test_the_finding_list_filters_on_the_readers_measures(login, shared):
    client = login(shared.head)
    done = client.get(reverse("rectification:finding-list"), {"rectified": "yes"}).text
    open_ = client.get(reverse("rectification:finding-list"), {"rectified": "no"}).text
    assert "共同的问题" in done
    assert "共同的问题" not in open_


def test_the_inspection_detail_counts_only_the_readers_measures(login, shared):
    page = login(shared.head).get(
        reverse("rectification:inspection-detail", args=[shared.inspection.pk])
    )
    assert page.status_code == 200
    assert "已销号 1/2" not in page.text
    assert "已完成整改" in page.text


def test_the_office_still_counts_every_measure(login, shared):
    page = login(shared.office).get(reverse("rectification:finding-list")).text
    assert "1/2" in page
