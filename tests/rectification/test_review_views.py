"""The inspector's actions through the web: plain POST and htmx, refusals leave state as is."""

from django.urls import reverse

from rectification import services
from rectification.models import Measure

from .factories import pdf

S = Measure.State


def _url(name, pk):
    return reverse(f"rectification:{name}", args=[pk])


def _request(rect):
    services.measure_request_closure(
        measure=rect.measure, by=rect.head, note="已完成整改", files=[pdf()]
    )


def _state(rect):
    rect.measure.refresh_from_db()
    return rect.measure.state


def test_queue_lists_request_with_its_evidence(login, rect):
    _request(rect)
    response = login(rect.inspector).get(reverse("rectification:review-queue"))
    assert rect.measure.description in response.text
    assert "整改报告.pdf" in response.text
    assert "已完成整改" in response.text


def test_queue_leaves_out_other_organisations(login, rect):
    services.measure_request_closure(
        measure=rect.other_measure, by=rect.stranger, note="完成", files=[pdf()]
    )
    response = login(rect.inspector).get(reverse("rectification:review-queue"))
    assert rect.other_measure.description not in response.text


def test_accept_by_plain_post_redirects_back(login, rect):
    _request(rect)
    queue = reverse("rectification:review-queue")
    response = login(rect.inspector).post(_url("measure-accept", rect.measure.pk), {"next": queue})
    assert response.status_code == 302
    assert response["Location"] == queue
    assert _state(rect) == S.CLOSED


def test_accept_by_htmx_answers_with_the_card(login, rect):
    _request(rect)
    response = login(rect.inspector).post(
        _url("measure-accept", rect.measure.pk), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "已同意销号" in response.text
    assert _state(rect) == S.CLOSED


def test_return_without_reason_is_refused_with_message(login, rect):
    _request(rect)
    response = login(rect.inspector).post(
        _url("measure-return", rect.measure.pk), {"reason": ""}, follow=True
    )
    assert "退回销号申请必须填写退回原因" in response.text
    assert _state(rect) == S.CLOSURE_REQUESTED


def test_return_without_reason_by_htmx_shows_message(login, rect):
    _request(rect)
    response = login(rect.inspector).post(
        _url("measure-return", rect.measure.pk), {"reason": "  "}, HTTP_HX_REQUEST="true"
    )
    assert "退回销号申请必须填写退回原因" in response.text
    assert _state(rect) == S.CLOSURE_REQUESTED


def test_return_with_reason_shows_reason_on_measure_page(login, rect):
    _request(rect)
    client = login(rect.inspector)
    client.post(_url("measure-return", rect.measure.pk), {"reason": "缺少制度文件"})
    response = login(rect.head).get(_url("measure-detail", rect.measure.pk))
    assert "缺少制度文件" in response.text
    assert _state(rect) == S.IN_PROGRESS


def test_second_accept_is_told_it_was_already_reviewed(login, rect):
    _request(rect)
    client = login(rect.inspector)
    client.post(_url("measure-accept", rect.measure.pk))
    response = client.post(_url("measure-accept", rect.measure.pk), follow=True)
    assert "已不在待销号状态" in response.text


def test_closure_request_without_files_is_refused(login, rect):
    response = login(rect.head).post(
        _url("measure-request-closure", rect.measure.pk), {"note": "完成"}, follow=True
    )
    assert "请至少上传一份佐证材料" in response.text
    assert _state(rect) == S.OPEN


def test_closure_request_with_fake_pdf_is_refused(login, rect):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = login(rect.head).post(
        _url("measure-request-closure", rect.measure.pk),
        {"note": "完成", "files": [fake]},
        follow=True,
    )
    assert "文件类型不受支持" in response.text
    assert _state(rect) == S.OPEN
    assert not rect.measure.evidence.exists()


def test_closure_request_through_the_page(login, rect):
    response = login(rect.head).post(
        _url("measure-request-closure", rect.measure.pk),
        {"note": "制度已印发", "files": [pdf()]},
    )
    assert response.status_code == 302
    assert _state(rect) == S.CLOSURE_REQUESTED


def test_followup_holds_through_the_page(login, rect):
    _request(rect)
    client = login(rect.inspector)
    client.post(_url("measure-accept", rect.measure.pk))
    response = client.get(reverse("rectification:followup-list"))
    assert rect.measure.description in response.text
    client.post(_url("measure-followup", rect.measure.pk), {"note": "未反弹"})
    rect.measure.refresh_from_db()
    assert rect.measure.followup_due_on is None


def test_reopen_without_reason_is_refused(login, rect):
    _request(rect)
    client = login(rect.inspector)
    client.post(_url("measure-accept", rect.measure.pk))
    response = client.post(_url("measure-reopen", rect.measure.pk), {"reason": ""}, follow=True)
    assert "必须填写原因" in response.text
    assert _state(rect) == S.CLOSED


def test_measure_page_shows_history_with_who(login, rect):
    _request(rect)
    login(rect.inspector).post(_url("measure-return", rect.measure.pk), {"reason": "材料不全"})
    response = login(rect.inspector).get(_url("measure-detail", rect.measure.pk))
    assert "退回：材料不全" in response.text
    assert "张处长" in response.text
    assert "陈纪检" in response.text


def test_closed_measure_delete_is_refused(login, rect):
    _request(rect)
    login(rect.inspector).post(_url("measure-accept", rect.measure.pk))
    response = login(rect.office).post(_url("measure-delete", rect.measure.pk), follow=True)
    assert "已销号的整改措施不能删除" in response.text
    assert Measure.objects.filter(pk=rect.measure.pk).exists()


def test_office_deletes_mistaken_measure_without_records(login, rect):
    response = login(rect.office).post(_url("measure-delete", rect.measure.pk))
    assert response.status_code == 302
    assert not Measure.objects.filter(pk=rect.measure.pk).exists()
