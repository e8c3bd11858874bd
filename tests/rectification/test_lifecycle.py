"""The closure review's rules, enforced in the services whatever the caller."""

import pytest
from django.core.exceptions import PermissionDenied

from rectification import services
from rectification.models import Measure, ProgressUpdate, RectificationError

from .factories import pdf

S = Measure.State


def _requested(w):
    return services.measure_request_closure(
        measure=w.measure, by=w.head, note="已建立台账并印发制度", files=[pdf()]
    )


def test_progress_report_moves_open_measure_to_in_progress(rect):
    measure = services.measure_report_progress(measure=rect.measure, by=rect.head, note="已启动")
    assert measure.state == S.IN_PROGRESS
    assert measure.latest_progress == "已启动"


def test_office_may_report_progress(rect):
    services.measure_report_progress(measure=rect.measure, by=rect.office, note="党办代报")
    assert rect.measure.updates.get().by == rect.office


def test_leader_may_not_report_progress(rect):
    with pytest.raises(PermissionDenied):
        services.measure_report_progress(measure=rect.measure, by=rect.leader, note="x")
    assert not rect.measure.updates.exists()


def test_head_of_another_unit_may_not_report_progress(rect):
    with pytest.raises(PermissionDenied):
        services.measure_report_progress(measure=rect.measure, by=rect.outsider, note="x")


def test_closure_request_keeps_note_and_evidence(rect):
    measure = _requested(rect)
    assert measure.state == S.CLOSURE_REQUESTED
    assert measure.closure_requested_by == rect.head
    update = measure.updates.get(kind=ProgressUpdate.Kind.CLOSURE_REQUEST)
    assert update.note == "已建立台账并印发制度"
    assert [e.original_name for e in update.evidence.all()] == ["整改报告.pdf"]


def test_closure_request_without_evidence_is_refused(rect):
    with pytest.raises(RectificationError, match="佐证材料"):
        services.measure_request_closure(measure=rect.measure, by=rect.head, note="完成", files=[])
    rect.measure.refresh_from_db()
    assert rect.measure.state == S.OPEN
    assert not rect.measure.updates.exists()


def test_closure_request_without_note_is_refused(rect):
    with pytest.raises(RectificationError, match="进展情况"):
        services.measure_request_closure(
            measure=rect.measure, by=rect.head, note="  ", files=[pdf()]
        )
    rect.measure.refresh_from_db()
    assert rect.measure.state == S.OPEN
    assert not rect.measure.evidence.exists()


def test_inspector_accepts_closure_and_follow_up_falls_due(rect, settings):
    settings.RECTIFICATION_FOLLOWUP_DAYS = 90
    _requested(rect)
    measure = services.measure_accept_closure(measure=rect.measure, by=rect.inspector)
    assert measure.state == S.CLOSED
    assert measure.closed_by == rect.inspector
    assert (measure.followup_due_on - measure.closed_at.date()).days in (89, 90, 91)


def test_office_may_not_accept_closure(rect):
    _requested(rect)
    with pytest.raises(PermissionDenied, match="纪检"):
        services.measure_accept_closure(measure=rect.measure, by=rect.office)
    rect.measure.refresh_from_db()
    assert rect.measure.state == S.CLOSURE_REQUESTED


def test_inspector_may_not_close_own_measure(rect):
    rect.measure.responsible_person = rect.inspector
    rect.measure.save()
    services.measure_request_closure(measure=rect.measure, by=rect.head, note="完成", files=[pdf()])
    with pytest.raises(RectificationError, match="不能审核自己"):
        services.measure_accept_closure(measure=rect.measure, by=rect.inspector)
    rect.measure.refresh_from_db()
    assert rect.measure.state == S.CLOSURE_REQUESTED


def test_requester_may_not_close_what_they_requested(rect):
    rect.head.role_assignments.create(organisation=rect.org, role="inspector")
    _requested(rect)
    with pytest.raises(RectificationError, match="不能审核自己"):
        services.measure_accept_closure(measure=rect.measure, by=rect.head)


def test_return_without_reason_is_refused(rect):
    _requested(rect)
    with pytest.raises(RectificationError, match="退回原因"):
        services.measure_return_closure(measure=rect.measure, by=rect.inspector, reason=" ")
    rect.measure.refresh_from_db()
    assert rect.measure.state == S.CLOSURE_REQUESTED


def test_return_with_reason_goes_back_to_in_progress(rect):
    _requested(rect)
    measure = services.measure_return_closure(
        measure=rect.measure, by=rect.inspector, reason="佐证材料不全"
    )
    assert measure.state == S.IN_PROGRESS
    assert measure.return_reason == "佐证材料不全"
    assert measure.updates.filter(kind="returned", note="佐证材料不全").exists()


def test_accept_without_request_is_refused(rect):
    with pytest.raises(RectificationError, match="不在待销号状态"):
        services.measure_accept_closure(measure=rect.measure, by=rect.inspector)


def test_follow_up_holds_clears_due_date(rect):
    _requested(rect)
    services.measure_accept_closure(measure=rect.measure, by=rect.inspector)
    measure = services.measure_record_followup(
        measure=rect.measure, by=rect.inspector, note="台账齐全，未反弹"
    )
    assert measure.state == S.CLOSED
    assert measure.followup_due_on is None
    assert measure.followup_checked_on is not None


def test_reopen_needs_reason_and_returns_to_in_progress(rect):
    _requested(rect)
    services.measure_accept_closure(measure=rect.measure, by=rect.inspector)
    with pytest.raises(RectificationError):
        services.measure_reopen(measure=rect.measure, by=rect.inspector, reason="")
    measure = services.measure_reopen(measure=rect.measure, by=rect.inspector, reason="问题反弹")
    assert measure.state == S.IN_PROGRESS
    assert measure.closed_at is None


def test_closed_measure_cannot_be_deleted(rect):
    _requested(rect)
    services.measure_accept_closure(measure=rect.measure, by=rect.inspector)
    with pytest.raises(RectificationError):
        rect.measure.delete()
    assert Measure.objects.filter(pk=rect.measure.pk).exists()


def test_history_records_who_and_why(rect):
    _requested(rect)
    services.measure_return_closure(measure=rect.measure, by=rect.inspector, reason="材料不全")
    latest = rect.measure.history.first()
    assert latest.history_user == rect.inspector
    assert latest.history_change_reason == "退回：材料不全"
