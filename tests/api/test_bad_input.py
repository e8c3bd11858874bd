"""Bad input to the API: a clear JSON message in Chinese, and nothing changed."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from api.models import ApiToken
from api.services import apitoken_revoke
from tests.access.test_state_changing import changed, fingerprint

from .conftest import pdf

# A PNG signature and header that libmagic recognises, then nothing a decoder can use.
BROKEN_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00"
    + b"\x00" * 64
)


def body(response):
    return json.loads(response.content)


def record_data(a, **extra):
    return {
        "date": timezone.localdate().isoformat(),
        "unit": a.unit["own"].pk,
        "kind": a.kind["own"].pk,
        "title": "坏输入",
        **extra,
    }


@pytest.fixture
def warm(api_client):
    """A client whose token was used a moment ago: its last-use time is not rewritten now."""

    def make(user):
        client = api_client(user)
        assert client.get("/api/v1/units/").status_code == 200
        return client

    return make


def assert_refused(response, status, words):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    detail = body(response)["detail"]
    assert words in detail, detail
    assert not detail.isascii()


def test_a_revoked_token_is_refused_and_changes_nothing(api_world, token_for, api_client):
    w = api_world.world
    raw = token_for(w.head)
    apitoken_revoke(token=ApiToken.objects.get(user=w.head), by=w.head)
    before = fingerprint()
    response = api_client(raw=raw).post(
        "/api/v1/work-records/", record_data(api_world), content_type="application/json"
    )
    assert_refused(response, 401, "已撤销")
    assert not changed(before, fingerprint())


def test_an_expired_token_is_refused(api_world, api_client, token_for):
    raw = token_for(api_world.world.head, expires_in_days=1)
    ApiToken.objects.filter(user=api_world.world.head).update(
        expires_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    assert_refused(api_client(raw=raw).get("/api/v1/work-records/"), 401, "已过期")


def test_a_made_up_or_malformed_token_is_refused(api_world, api_client, token_for):
    real = token_for(api_world.world.head)
    for raw in ("zt_deadbeef_" + "x" * 43, real[:-2] + "zz", "garbage", "zt_" + "é" * 20):
        assert_refused(api_client(raw=raw).get("/api/v1/work-records/"), 401, "无效")
    client = api_client()
    client.defaults["HTTP_AUTHORIZATION"] = "Bearer two parts"
    assert_refused(client.get("/api/v1/work-records/"), 401, "格式不正确")


def test_a_deactivated_persons_token_stops_working(api_world, api_client, token_for):
    raw = token_for(api_world.world.head)
    api_world.world.head.is_active = False
    api_world.world.head.save()
    assert_refused(api_client(raw=raw).get("/api/v1/work-records/"), 401, "停用")


def test_a_token_of_another_organisation_cannot_read_or_write_here(api_world, warm):
    client = warm(api_world.world.stranger)
    before = fingerprint()
    record = api_world.record["own"]
    assert_refused(client.get(f"/api/v1/work-records/{record.pk}/"), 404, "范围")
    assert_refused(
        client.patch(
            f"/api/v1/work-records/{record.pk}/", {"title": "x"}, content_type="application/json"
        ),
        404,
        "范围",
    )
    assert_refused(
        client.post(
            "/api/v1/work-records/", record_data(api_world), content_type="application/json"
        ),
        400,
        "填报范围",
    )
    measure = api_world.measure["own"]
    assert_refused(
        client.post(
            f"/api/v1/measures/{measure.pk}/progress/",
            {"note": "x"},
            content_type="application/json",
        ),
        404,
        "范围",
    )
    assert not changed(before, fingerprint())


def test_malformed_json_is_refused_and_changes_nothing(api_world, warm):
    client = warm(api_world.world.head)
    before = fingerprint()
    for payload in ('{"title": "x",', "[1, 2]", "null", '"text"', "{'a': 1}"):
        response = client.post("/api/v1/work-records/", payload, content_type="application/json")
        assert response.status_code == 400, (payload, response.content)
        assert not body(response)["detail"].isascii()
    assert_refused(
        client.post("/api/v1/work-records/", "{", content_type="application/json"), 400, "JSON"
    )
    assert_refused(
        client.post("/api/v1/work-records/", "<x/>", content_type="application/xml"),
        415,
        "不支持的请求格式",
    )
    assert not changed(before, fingerprint())


def test_unknown_fields_are_refused_not_dropped(api_world, warm):
    client = warm(api_world.world.head)
    before = fingerprint()
    response = client.post(
        "/api/v1/work-records/",
        record_data(api_world, organisation=999, is_deleted=True),
        content_type="application/json",
    )
    assert_refused(response, 400, "不认识的字段：is_deleted、organisation")
    response = client.patch(
        f"/api/v1/work-records/{api_world.record['own'].pk}/",
        {"created_by": 1},
        content_type="application/json",
    )
    assert_refused(response, 400, "created_by")
    assert not changed(before, fingerprint())


@pytest.mark.parametrize(
    "upload, words",
    [
        (SimpleUploadedFile("病毒.exe", b"MZ\x90\x00" + b"\x00" * 200), "文件类型不受支持"),
        (SimpleUploadedFile("坏图.png", BROKEN_PNG), "不是有效的图片"),
        (SimpleUploadedFile("空.pdf", b""), "空文件"),
        (pdf("改名.docx"), "扩展名不符"),
    ],
)
def test_an_evidence_file_the_page_refuses_is_refused_and_nothing_is_stored(
    api_world, warm, evidence_storage, upload, words
):
    client = warm(api_world.world.head)
    stored = sorted(evidence_storage.rglob("*"))
    before = fingerprint()
    response = client.post("/api/v1/work-records/", record_data(api_world, evidence=[upload]))
    assert_refused(response, 400, words)
    measure = api_world.measure["own"]
    upload.seek(0)
    response = client.post(
        f"/api/v1/measures/{measure.pk}/progress/", {"note": "进展", "evidence": [upload]}
    )
    assert_refused(response, 400, words)
    assert not changed(before, fingerprint())
    assert sorted(evidence_storage.rglob("*")) == stored


def test_too_many_evidence_files_are_refused(api_world, warm, settings):
    client = warm(api_world.world.head)
    before = fingerprint()
    limit = settings.EVIDENCE_MAX_FILES
    files = [pdf(f"{n}.pdf") for n in range(limit + 1)]
    response = client.post("/api/v1/work-records/", record_data(api_world, evidence=files))
    assert_refused(response, 400, f"最多上传 {limit} 个")
    assert not changed(before, fingerprint())


def test_field_errors_name_the_field_in_chinese(api_world, warm):
    client = warm(api_world.world.head)
    response = client.post(
        "/api/v1/work-records/",
        {"date": "2026-13-45", "unit": "abc", "title": ""},
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = body(response)["errors"]
    assert {"date", "unit", "title", "kind"} <= set(errors)
    assert body(response)["detail"].startswith("提交的数据有误：")


def test_a_wrong_method_is_a_json_405(api_world, warm):
    response = warm(api_world.world.head).delete(
        f"/api/v1/work-records/{api_world.record['own'].pk}/"
    )
    assert_refused(response, 405, "DELETE")
