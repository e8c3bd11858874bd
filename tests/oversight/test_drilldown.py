"""Drilling down: an organisation's page, then its own lists and records, read-only."""

import pytest
from django.urls import reverse

from accountability.models import DutyLetter, WorkRecord, WorkRecordEvidence
from tests.access.conftest import marked_pdf

from .conftest import YEAR

SUPERVISORS = ["body_office", "body_leader", "body_inspector"]


def main(response):
    """The page's own content, without the person's navigation bar (their own menu)."""
    return response.content.decode().split('<main id="main"', 1)[1]


def org_url(code="test"):
    return reverse("oversight:organisation", args=[code])


def test_the_organisation_page_links_each_figure_to_its_list(login, city):
    html = login(city.body_office).get(org_url(), {"year": YEAR}).content.decode()
    records = reverse("oversight:workrecord-list", args=["test"])
    measures = reverse("oversight:measure-list", args=["test"])
    letters = reverse("oversight:dutyletter-list", args=["test"])
    assert f"{records}?year={YEAR}&month=3&kind=" in html
    assert f"{measures}?year={YEAR}&overdue=yes" in html
    assert f"{measures}?year={YEAR}&colour=yellow" in html
    assert f"{letters}?year={YEAR}&status=signed" in html
    assert "财务处" in html  # the unit still to sign its letter
    assert reverse("oversight:measure-detail", args=[city.overdue.pk]) in html


@pytest.mark.parametrize("who", SUPERVISORS)
def test_the_records_list_shows_that_organisation_only_and_no_write_button(login, city, who):
    response = login(getattr(city, who)).get(
        reverse("oversight:workrecord-list", args=["test"]), {"year": YEAR, "month": 3}
    )
    assert response.status_code == 200
    records = list(response.context["object_list"])
    assert {r.organisation_id for r in records} == {city.org.pk} and len(records) == 1
    html = main(response)
    assert reverse("oversight:workrecord-detail", args=[records[0].pk]) in html
    assert reverse("accountability:workrecord-create") not in html
    assert "按月录入" not in html and "上级党组织查阅" in html


def test_the_lists_filter_by_the_organisations_own_units_and_kinds(login, city):
    client = login(city.body_office)
    response = client.get(
        reverse("oversight:workrecord-list", args=["test"]),
        {"year": YEAR, "unit": city.finance.pk, "kind": city.kinds["party_lecture"].pk},
    )
    assert [r.title for r in response.context["object_list"]] == ["学习"]
    assert response.context["filter"].form.is_valid()


def test_the_measure_ledger_is_filtered_as_the_figures_say(login, city):
    client = login(city.body_office)
    url = reverse("oversight:measure-list", args=["test"])
    overdue = client.get(url, {"year": YEAR, "overdue": "yes"}).context["object_list"]
    assert [m.pk for m in overdue] == [city.overdue.pk]
    yellow = client.get(url, {"year": YEAR, "colour": "yellow"}).context["object_list"]
    assert [m.pk for m in yellow] == [city.yellow.pk]


def test_the_letters_list_has_no_issue_button(login, city):
    response = login(city.body_office).get(
        reverse("oversight:dutyletter-list", args=["test"]), {"year": YEAR}
    )
    assert response.context["total"] == 2 and response.context["signed"] == 1
    assert reverse("accountability:dutyletter-issue") not in main(response)


@pytest.mark.parametrize("code", ["szjg", "nosuch"])
def test_an_organisation_not_below_is_not_found(login, city, code):
    client = login(city.body_office)
    assert client.get(org_url(code)).status_code == 404
    assert client.get(reverse("oversight:workrecord-list", args=[code])).status_code == 404


def test_a_sibling_organisations_office_finds_nothing(login, city):
    client = login(city.stranger)  # the office of 另一局, below the same body
    assert client.get(org_url("test")).status_code == 403
    record = WorkRecord.objects.filter(organisation=city.org).first()
    assert client.get(reverse("oversight:workrecord-detail", args=[record.pk])).status_code == 403
    assert (
        client.get(reverse("accountability:workrecord-detail", args=[record.pk])).status_code == 404
    )


def test_a_record_page_shows_its_history_read_only(login, city):
    record = WorkRecord.objects.filter(organisation=city.org).first()
    record.title = "理论学习（更正）"
    record.save()
    response = login(city.body_inspector).get(
        reverse("oversight:workrecord-detail", args=[record.pk])
    )
    assert response.status_code == 200
    html = main(response)
    assert "理论学习（更正）" in html and "变更记录" in html
    assert reverse("accountability:workrecord-update", args=[record.pk]) not in html
    assert reverse("oversight:rollup") in html  # the breadcrumb leads back up


def test_a_measure_page_offers_no_review_even_to_the_body_inspector(login, city):
    url = reverse("oversight:measure-detail", args=[city.overdue.pk])
    html = main(login(city.body_inspector).get(url))
    assert "整改措施" in html
    for action in ("accept", "return", "progress", "request-closure", "update", "delete"):
        assert reverse(f"rectification:measure-{action}", args=[city.overdue.pk]) not in html


def test_evidence_is_readable_from_the_drill_down(login, city):
    record = WorkRecord.objects.filter(organisation=city.org).first()
    evidence = WorkRecordEvidence.from_upload(marked_pdf("mxEVq7"), by=city.head, record=record)
    evidence.save()
    client = login(city.body_office)
    page = client.get(reverse("oversight:workrecord-detail", args=[record.pk])).content.decode()
    url = reverse("oversight:workrecord-evidence", args=[evidence.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"mxEVq7" in b"".join(response.streaming_content)


def test_a_deleted_record_is_not_found(login, city):
    record = WorkRecord.objects.filter(organisation=city.org).first()
    record.soft_delete()
    url = reverse("oversight:workrecord-detail", args=[record.pk])
    assert login(city.body_office).get(url).status_code == 404


@pytest.mark.parametrize(
    "name, attr",
    [("workrecord-detail", "record"), ("dutyletter-detail", "letter"), ("measure-detail", "m")],
)
def test_any_write_to_a_drill_down_page_is_refused(login, city, name, attr):
    target = {
        "record": WorkRecord.objects.filter(organisation=city.org).first(),
        "letter": DutyLetter.objects.filter(organisation=city.org).first(),
        "m": city.overdue,
    }[attr]
    response = login(city.body_office).post(reverse(f"oversight:{name}", args=[target.pk]))
    assert response.status_code == 403


def test_the_organisations_own_write_pages_stay_closed_to_the_body(login, city):
    client = login(city.body_office)
    record = WorkRecord.objects.filter(organisation=city.org).first()
    assert (
        client.post(reverse("accountability:workrecord-delete", args=[record.pk])).status_code
        == 404
    )
    accept = reverse("rectification:measure-accept", args=[city.overdue.pk])
    assert client.post(accept, {"followup_days": 30}).status_code == 404
    assert WorkRecord.objects.filter(pk=record.pk).exists()


def test_the_export_is_named_after_the_organisation(login, city):
    response = login(city.body_office).get(
        reverse("oversight:workrecord-list", args=["test"]), {"year": YEAR, "export": "xlsx"}
    )
    assert response.status_code == 200
    name = response["Content-Disposition"]
    assert "%E6%B5%8B%E8%AF%95%E6%B0%B4%E5%88%A9%E5%B1%80" in name  # 测试水利局, RFC 5987


def test_the_navigation_stays_the_persons_own_on_drill_down_pages(login, city):
    html = login(city.body_office).get(org_url(), {"year": YEAR}).content.decode()
    assert "领导驾驶舱" in html  # the body's office keeps its own menu
