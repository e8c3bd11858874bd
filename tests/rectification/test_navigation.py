"""The navigation and the home cards show each role its way into rectification."""

from django.urls import reverse

from rectification import services

from .factories import pdf


def test_inspector_sees_the_review_queue_in_the_menu(login, rect):
    response = login(rect.inspector).get(reverse("home"))
    assert reverse("rectification:review-queue") in response.text


def test_unit_head_does_not_see_the_review_queue_in_the_menu(login, rect):
    response = login(rect.head).get(reverse("home"))
    assert reverse("rectification:review-queue") not in response.text
    assert reverse("rectification:measure-list") in response.text


def test_office_sees_registration_in_the_menu(login, rect):
    response = login(rect.office).get(reverse("home"))
    assert reverse("rectification:inspection-create") in response.text


def test_inspector_card_counts_waiting_requests(login, rect):
    services.measure_request_closure(measure=rect.measure, by=rect.head, note="x", files=[pdf()])
    response = login(rect.inspector).get(reverse("home"))
    cards = {
        card.title: dict((str(label), value) for label, value, _ in card.figures)
        for card in response.context["cards"]
    }
    assert cards["纪检监督"]["待审核销号申请"] == 1
    assert cards["纪检监督"]["未销号整改措施"] == 2


def test_unit_head_card_counts_only_own_measures(login, rect):
    response = login(rect.head).get(reverse("home"))
    card = next(c for c in response.context["cards"] if c.title == "本单位事项")
    figures = {str(label): value for label, value, _ in card.figures}
    assert figures["未销号整改措施"] == 1


def test_index_sends_inspector_to_queue_and_others_to_ledger(login, rect):
    assert login(rect.inspector).get(reverse("rectification:index"))["Location"] == reverse(
        "rectification:review-queue"
    )
    assert login(rect.head).get(reverse("rectification:index"))["Location"] == reverse(
        "rectification:measure-list"
    )


def test_the_unit_heads_menu_leads_to_all_his_open_measures(login, rect):
    """ "本单位整改中的措施" filtered on 整改中 and hid the measures not yet started."""
    import re

    client = login(rect.head)
    menu = client.get(reverse("home")).text
    link = re.search(r'href="([^"]*)"[^>]*>本单位未销号的措施<', menu).group(1)
    body = client.get(link.replace("&amp;", "&")).text
    assert rect.measure.state == "open"
    assert rect.measure.description in body


def test_the_principal_leader_has_the_annual_reports_in_his_menu(login, rect):
    response = login(rect.principal).get(reverse("home"))
    assert reverse("reports:report-list") in response.text
    assert login(rect.principal).get(reverse("reports:report-list")).status_code == 200


def test_a_unit_head_has_no_annual_reports_in_his_menu(login, rect):
    assert reverse("reports:report-list") not in login(rect.head).get(reverse("home")).text
