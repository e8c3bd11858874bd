"""Every rectification page: anonymous → login, outsider → 404, read-only writing → 403,
owner → 200."""

import pytest
from django.urls import reverse

from rectification import services
from rectification.models import Measure

from .factories import pdf


def _url(name, *args):
    return reverse(f"rectification:{name}", args=args)


READ_PAGES = [
    ("measure-list", lambda w: ()),
    ("inspection-list", lambda w: ()),
    ("finding-list", lambda w: ()),
    ("measure-detail", lambda w: (w.measure.pk,)),
    ("inspection-detail", lambda w: (w.inspection.pk,)),
]


@pytest.mark.parametrize(("name", "args"), READ_PAGES)
def test_anonymous_is_sent_to_login(client, rect, name, args):
    response = client.get(_url(name, *args(rect)))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize(("name", "args"), READ_PAGES)
def test_unit_head_reads_own_pages(login, rect, name, args):
    assert login(rect.head).get(_url(name, *args(rect))).status_code == 200


def test_outsider_does_not_find_measure_of_another_unit(login, rect):
    response = login(rect.outsider).get(_url("measure-detail", rect.measure.pk))
    assert response.status_code == 404


def test_stranger_does_not_find_inspection_of_another_organisation(login, rect):
    response = login(rect.stranger).get(_url("inspection-detail", rect.inspection.pk))
    assert response.status_code == 404


def test_unit_head_sees_inspection_through_own_measure_only(login, rect):
    client = login(rect.head)
    response = client.get(_url("inspection-detail", rect.inspection.pk))
    assert rect.measure.description in response.text
    assert rect.finance_measure.description not in response.text
    assert rect.finance_finding.description not in response.text


def test_inspection_without_own_measure_is_hidden_from_unit_head(login, rect):
    from .factories import InspectionFactory

    hidden = InspectionFactory(organisation=rect.org, title="无本处措施的审计")
    assert login(rect.head).get(_url("inspection-detail", hidden.pk)).status_code == 404


def test_ledger_lists_only_measures_in_scope(login, rect):
    response = login(rect.head).get(_url("measure-list"))
    assert rect.measure.description in response.text
    assert rect.finance_measure.description not in response.text
    assert rect.other_measure.description not in response.text


def test_leader_may_not_report_progress(login, rect):
    response = login(rect.leader).post(_url("measure-progress", rect.measure.pk), {"note": "x"})
    assert response.status_code == 403
    assert "只有该整改措施的责任人、责任处室负责人或党办" in response.text
    assert not rect.measure.updates.exists()


def test_outsider_posting_progress_gets_404(login, rect):
    response = login(rect.outsider).post(_url("measure-progress", rect.measure.pk), {"note": "x"})
    assert response.status_code == 404


def test_head_reports_progress(login, rect):
    response = login(rect.head).post(_url("measure-progress", rect.measure.pk), {"note": "推进中"})
    assert response.status_code == 302
    rect.measure.refresh_from_db()
    assert rect.measure.state == Measure.State.IN_PROGRESS


@pytest.mark.parametrize("name", ["review-queue", "followup-list"])
def test_inspector_workspace_is_forbidden_to_office(login, rect, name):
    assert login(rect.office).get(_url(name)).status_code == 403


@pytest.mark.parametrize("name", ["review-queue", "followup-list"])
def test_inspector_workspace_opens_for_inspector(login, rect, name):
    assert login(rect.inspector).get(_url(name)).status_code == 200


@pytest.mark.parametrize("name", ["review-queue", "followup-list"])
def test_inspector_workspace_needs_login(client, rect, name):
    assert client.get(_url(name)).status_code == 302


def _request(rect):
    services.measure_request_closure(measure=rect.measure, by=rect.head, note="完成", files=[pdf()])


def test_office_may_not_accept_closure(login, rect):
    _request(rect)
    response = login(rect.office).post(_url("measure-accept", rect.measure.pk))
    assert response.status_code == 403
    assert "只有纪检监督人员可以审核销号" in response.text
    rect.measure.refresh_from_db()
    assert rect.measure.state == Measure.State.CLOSURE_REQUESTED


def test_stranger_accepting_gets_404(login, rect):
    _request(rect)
    response = login(rect.stranger).post(_url("measure-accept", rect.measure.pk))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["inspection-create"])
def test_leader_may_not_open_registration(login, rect, name):
    assert login(rect.leader).get(_url(name)).status_code == 403


def test_unit_head_may_not_edit_measure(login, rect):
    assert login(rect.head).get(_url("measure-update", rect.measure.pk)).status_code == 403


def test_unit_head_may_not_add_finding(login, rect):
    response = login(rect.head).get(_url("finding-create", rect.inspection.pk))
    assert response.status_code == 403


def test_office_opens_registration_pages(login, rect):
    client = login(rect.office)
    for url in (
        _url("inspection-create"),
        _url("inspection-update", rect.inspection.pk),
        _url("finding-create", rect.inspection.pk),
        _url("finding-update", rect.finding.pk),
        _url("measure-create", rect.finding.pk),
        _url("measure-update", rect.measure.pk),
        _url("import-upload", rect.inspection.pk),
    ):
        assert client.get(url).status_code == 200, url


def test_stranger_does_not_find_registration_pages(login, rect):
    client = login(rect.stranger)
    assert client.get(_url("finding-create", rect.inspection.pk)).status_code == 404
    assert client.get(_url("measure-update", rect.measure.pk)).status_code == 404
    assert client.get(_url("import-upload", rect.inspection.pk)).status_code == 404


def test_evidence_is_served_to_reader_and_hidden_from_outsider(login, rect):
    _request(rect)
    evidence = rect.measure.evidence.get()
    url = _url("measure-evidence", rect.measure.pk, evidence.pk)
    assert login(rect.inspector).get(url).status_code == 200
    assert login(rect.outsider).get(url).status_code == 404


def test_inspector_may_not_request_closure(login, rect):
    response = login(rect.inspector).post(
        _url("measure-request-closure", rect.measure.pk), {"note": "完成", "files": [pdf()]}
    )
    assert response.status_code == 403
    rect.measure.refresh_from_db()
    assert rect.measure.state == Measure.State.OPEN
    assert not rect.measure.evidence.exists()


def test_outsider_requesting_closure_gets_404(login, rect):
    response = login(rect.outsider).post(
        _url("measure-request-closure", rect.measure.pk), {"note": "完成", "files": [pdf()]}
    )
    assert response.status_code == 404
    assert not rect.measure.evidence.exists()


def test_unit_head_may_not_delete_measure(login, rect):
    response = login(rect.head).post(_url("measure-delete", rect.measure.pk))
    assert response.status_code == 403
    assert "只有党办工作人员" in response.text
    assert Measure.objects.filter(pk=rect.measure.pk).exists()


def test_inspector_may_not_return_a_measure_of_another_organisation(login, rect):
    services.measure_request_closure(
        measure=rect.other_measure, by=rect.stranger, note="完成", files=[pdf()]
    )
    response = login(rect.inspector).post(
        _url("measure-return", rect.other_measure.pk), {"reason": "x"}
    )
    assert response.status_code == 404
    rect.other_measure.refresh_from_db()
    assert rect.other_measure.state == Measure.State.CLOSURE_REQUESTED
