"""Read endpoints: what a token shows is exactly its owner's scope, paged, filtered, ordered,
with a query count that does not grow with the data."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .conftest import MARK, build_api_world

LISTS = [
    "/api/v1/units/",
    "/api/v1/people/",
    "/api/v1/responsibility-items/",
    "/api/v1/work-records/",
    "/api/v1/duty-letters/",
    "/api/v1/risk-points/",
    "/api/v1/inspections/",
    "/api/v1/findings/",
    "/api/v1/measures/",
]
# Lists whose rows carry a place marker (units and people carry it only for "other").
MARKED = LISTS[2:]


def body(response):
    return json.loads(response.content)


def seen(client, url):
    text = client.get(url).content.decode()
    return {place for place, mark in MARK.items() if mark in text}


@pytest.mark.parametrize("url", [url for url in MARKED if "responsibility" not in url])
def test_a_unit_heads_token_reads_only_their_unit(api_world, api_client, url):
    client = api_client(api_world.world.head)
    assert seen(client, url) == {"own"}


def test_the_responsibility_list_is_read_by_the_whole_organisation_as_on_the_page(
    api_world, api_client
):
    client = api_client(api_world.world.head)
    assert seen(client, "/api/v1/responsibility-items/") == {"own", "sibling"}


@pytest.mark.parametrize("url", MARKED)
def test_office_staff_read_their_whole_organisation_and_nothing_of_the_other(
    api_world, api_client, url
):
    assert seen(api_client(api_world.world.office), url) == {"own", "sibling"}


@pytest.mark.parametrize("url", LISTS)
def test_a_token_of_another_organisation_reads_only_that_organisation(api_world, api_client, url):
    client = api_client(api_world.world.stranger)
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert MARK["own"] not in text and MARK["sibling"] not in text
    assert "基建处" not in text and "财务处" not in text


def test_units_and_people_are_limited_to_the_scope(api_world, api_client):
    w = api_world.world
    units = {row["name"] for row in body(api_client(w.head).get("/api/v1/units/"))["results"]}
    assert units == {"基建处", "工程科"}
    people = {
        row["full_name"] for row in body(api_client(w.head).get("/api/v1/people/"))["results"]
    }
    assert people == {"张处长"}
    everyone = body(api_client(w.office).get("/api/v1/people/"))["results"]
    assert "赵外单位" in {row["full_name"] for row in everyone}
    assert not any(MARK["other"] in row["full_name"] for row in everyone)


@pytest.mark.parametrize(
    "prefix, attr",
    [
        ("work-records", "record"),
        ("duty-letters", "letter"),
        ("risk-points", "risk"),
        ("inspections", "inspection"),
        ("findings", "finding"),
        ("measures", "measure"),
    ],
)
def test_an_object_out_of_scope_is_not_found_in_chinese_json(api_world, api_client, prefix, attr):
    client = api_client(api_world.world.head)
    own = getattr(api_world, attr)["own"].pk
    for place in ("sibling", "other"):
        response = client.get(f"/api/v1/{prefix}/{getattr(api_world, attr)[place].pk}/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert body(response) == {"detail": "未找到该对象，或它不在您的查看范围内。"}
    assert client.get(f"/api/v1/{prefix}/{own}/").status_code == 200
    history = client.get(f"/api/v1/{prefix}/{own}/history/")
    assert history.status_code == 200 and body(history)[-1]["action"] == "创建"


def test_without_a_token_the_answer_is_401_in_chinese(api_world, api_client):
    response = api_client().get("/api/v1/work-records/")
    assert response.status_code == 401
    assert "API 令牌" in body(response)["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_api_address_answers_json_404(api_world, api_client):
    for url in ("/api/v1/nothing/", "/api/v2/work-records/", "/api/", "/api/v1/measures/%C2%84/"):
        response = api_client(api_world.world.head).get(url)
        assert response.status_code == 404
        assert "接口文档" in body(response)["detail"]
        # Found by schemathesis: a POST there was refused by the CSRF check with an HTML page.
        posted = Client(enforce_csrf_checks=True, raise_request_exception=False).post(url)
        assert posted.status_code == 404 and posted["Content-Type"] == "application/json"


def test_work_records_carry_their_relations_and_evidence(api_world, api_client):
    record = api_world.record["own"]
    row = body(api_client(api_world.world.head).get(f"/api/v1/work-records/{record.pk}/"))
    assert row["unit_name"] == "基建处"
    assert row["leader_name"] == "李分管"
    assert row["participants"] == [api_world.world.head.pk]
    assert [e["original_name"] for e in row["evidence"]] == [f"{MARK['own']}.pdf"]
    assert row["evidence"][0]["content_type"] == "application/pdf"


def test_lists_filter_by_year_unit_and_state(api_world, api_client):
    w = api_world.world
    client = api_client(w.office)
    year = api_world.record["own"].date.year
    assert body(client.get(f"/api/v1/work-records/?year={year}"))["count"] == 2
    assert body(client.get(f"/api/v1/work-records/?year={year - 1}"))["count"] == 0
    only = body(client.get(f"/api/v1/work-records/?unit={w.finance.pk}"))["results"]
    assert [row["title"] for row in only] == [f"记实{MARK['sibling']}-0"]
    assert body(client.get("/api/v1/measures/?state=in_progress"))["count"] == 2
    assert body(client.get("/api/v1/measures/?state=closed"))["count"] == 0
    assert body(client.get("/api/v1/duty-letters/?status=missing"))["count"] in (0, 2)


def test_a_bad_filter_value_is_a_chinese_400(api_world, api_client):
    response = api_client(api_world.world.office).get("/api/v1/work-records/?year=abc")
    assert response.status_code == 400
    assert body(response)["detail"].startswith("提交的数据有误")
    assert "year" in body(response)["errors"]


def test_lists_are_paged_and_ordered(world, api_client):
    api_world = build_api_world(world, records_per_place=5)
    client = api_client(world.office)
    page = body(client.get("/api/v1/work-records/?page_size=3&ordering=id"))
    assert page["count"] == 10 and len(page["results"]) == 3 and page["next"]
    ids = [row["id"] for row in page["results"]]
    assert ids == sorted(ids)
    descending = body(client.get("/api/v1/work-records/?page_size=3&ordering=-id"))["results"]
    assert descending[0]["id"] > ids[-1]
    beyond = client.get("/api/v1/work-records/?page=99")
    assert beyond.status_code == 404 and "页码" in body(beyond)["detail"]
    assert api_world.record["own"]


def test_the_measure_timeline_lists_progress_newest_first(api_world, api_client):
    measure = api_world.measure["own"]
    rows = body(api_client(api_world.world.head).get(f"/api/v1/measures/{measure.pk}/timeline/"))
    assert [(row["kind"], row["note"]) for row in rows] == [("progress", f"进展{MARK['own']}")]


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize("url", LISTS)
def test_list_query_counts_do_not_grow_with_the_data(world, api_client, url):
    build_api_world(world, records_per_place=1)
    client = api_client(world.office)
    _count(client, url)  # the first use of the token records its last use
    small = _count(client, url)
    from accountability.models import WorkRecord

    extra = []
    for record in WorkRecord.objects.filter(organisation=world.org):
        for _n in range(4):
            record.pk = None
            record.save()
            extra.append(record)
    large = _count(client, url)
    assert large == small, f"{url}: {small} queries with few rows, {large} with more"


def test_errors_are_in_english_for_an_english_client(api_world, api_client):
    client = api_client(api_world.world.head)
    response = client.get(
        f"/api/v1/work-records/{api_world.record['other'].pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert body(response) == {"detail": "Not found, or outside your scope."}


def test_evidence_files_download_with_a_token_only_within_scope(api_world, api_client):
    client = api_client(api_world.world.head)
    own = api_world.record["own"]
    evidence = own.evidence.get()
    response = client.get(f"/api/v1/work-records/{own.pk}/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    sibling = api_world.record["sibling"]
    foreign = sibling.evidence.get()
    # Neither through the other record, nor through one's own record with another's file.
    assert (
        client.get(f"/api/v1/work-records/{sibling.pk}/evidence/{foreign.pk}/").status_code == 404
    )
    assert client.get(f"/api/v1/work-records/{own.pk}/evidence/{foreign.pk}/").status_code == 404
    pdf_only = client.get(
        f"/api/v1/work-records/{own.pk}/evidence/{evidence.pk}/", HTTP_ACCEPT="application/pdf"
    )
    assert pdf_only.status_code == 200


def test_a_download_error_is_json_whatever_the_client_accepts(api_world, api_client):
    client = api_client(api_world.world.head)
    own = api_world.record["own"]
    for accept in ("application/pdf", "*/*", "image/png"):
        response = client.get(f"/api/v1/work-records/{own.pk}/evidence/999999/", HTTP_ACCEPT=accept)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
