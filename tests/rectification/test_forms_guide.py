"""Registration forms that guide: dates in order, a 回头看 says what was checked, 牵头领导 is a
leader, 责任人 belongs to the chosen 责任处室; refused input changes nothing."""

import datetime

import pytest
from django.urls import reverse

from accountability.models import Role
from rectification import services
from rectification.models import Inspection, Measure
from tests.factories import UserFactory

from .factories import pdf

pytestmark = pytest.mark.django_db


def _measure_data(rect, **overrides):
    data = {
        "description": "建立健全工程项目廉政风险台账",
        "lead_leader": rect.leader.pk,
        "unit": rect.works.pk,
        "responsible_person": rect.head.pk,
        "deadline": "2026-12-31",
        "rules_issued": "0",
    }
    data.update(overrides)
    return data


def _create(client, rect, **overrides):
    url = reverse("rectification:measure-create", args=[rect.finding.pk])
    return client.post(url, _measure_data(rect, **overrides))


def test_a_deadline_before_the_feedback_date_is_refused(login, rect):
    # The inspection was fed back on 2026-05-10: a deadline years before it was "逾期2525天".
    before = Measure.objects.count()
    response = _create(login(rect.office), rect, deadline="2019-06-30")
    assert response.status_code == 200
    assert "整改时限不能早于巡视巡察反馈日期（2026-05-10）" in response.text
    assert Measure.objects.count() == before


def test_a_deadline_on_the_feedback_date_is_accepted(login, rect):
    response = _create(login(rect.office), rect, deadline="2026-05-10")
    assert response.status_code == 302, response.context["form"].errors


def test_a_feedback_date_before_the_start_is_refused(login, rect):
    url = reverse("rectification:inspection-create")
    data = {
        "kind": "inspection",
        "source": "市委第三巡察组",
        "title": "反馈早于进驻的巡察",
        "started_on": "2026-03-01",
        "feedback_on": "2026-02-01",
    }
    response = login(rect.office).post(url, data)
    assert "反馈日期不能早于进驻日期" in response.text
    assert not Inspection.objects.filter(title="反馈早于进驻的巡察").exists()


def test_lead_leader_offers_only_leaders(login, rect):
    url = reverse("rectification:measure-create", args=[rect.finding.pk])
    form = login(rect.office).get(url).context["form"]
    assert set(form.fields["lead_leader"].queryset) == {rect.leader, rect.principal}


def test_a_lead_leader_who_is_no_leader_is_refused(login, rect):
    before = Measure.objects.count()
    response = _create(login(rect.office), rect, lead_leader=rect.head.pk)
    assert "牵头领导须是本单位的领导班子成员" in response.text
    assert Measure.objects.count() == before


def test_responsible_person_is_narrowed_by_the_unit(login, rect):
    url = reverse("rectification:measure-create", args=[rect.finding.pk])
    client = login(rect.office)
    response = client.get(f"{url}?unit={rect.finance.pk}", HTTP_HX_REQUEST="true")
    people = set(response.context["form"].fields["responsible_person"].queryset)
    assert rect.outsider in people and rect.head not in people
    assert 'hx-target="#div_id_responsible_person"' in client.get(url).text


def test_read_only_leaders_are_not_offered_as_responsible(login, rect):
    url = reverse("rectification:measure-create", args=[rect.finding.pk])
    people = set(login(rect.office).get(url).context["form"].fields["responsible_person"].queryset)
    assert rect.leader not in people and rect.principal not in people
    assert rect.head in people


def test_a_responsible_person_outside_the_unit_is_refused(login, rect):
    before = Measure.objects.count()
    response = _create(login(rect.office), rect, responsible_person=rect.outsider.pk)
    assert "责任人须是所选责任处室的人员" in response.text
    assert Measure.objects.count() == before


def test_a_person_of_a_unit_below_the_chosen_one_may_be_responsible(login, rect):
    engineer = UserFactory(
        username="engineer", full_name="周工程", unit=rect.works_section, roles=[Role.UNIT_HEAD]
    )
    response = _create(login(rect.office), rect, responsible_person=engineer.pk)
    assert response.status_code == 302


def _closed(rect):
    services.measure_request_closure(
        measure=rect.measure, by=rect.head, note="已完成整改", files=[pdf()]
    )
    services.measure_accept_closure(measure=rect.measure, by=rect.inspector)


def test_a_followup_without_description_is_refused(login, rect):
    _closed(rect)
    url = reverse("rectification:measure-followup", args=[rect.measure.pk])
    response = login(rect.inspector).post(url, {"note": "  "}, follow=True)
    assert "请填写回头看情况" in response.text
    rect.measure.refresh_from_db()
    assert rect.measure.followup_due_on is not None


def test_the_followup_service_refuses_an_empty_description(rect):
    _closed(rect)
    with pytest.raises(services.RectificationError, match="请填写回头看情况"):
        services.measure_record_followup(measure=rect.measure, by=rect.inspector, note="")
    rect.measure.refresh_from_db()
    assert rect.measure.followup_due_on is not None
    assert rect.measure.followup_due_on > datetime.date(2000, 1, 1)


def test_accepting_a_closure_asks_for_confirmation_first(login, rect):
    services.measure_request_closure(
        measure=rect.measure, by=rect.head, note="已完成整改", files=[pdf()]
    )
    client = login(rect.inspector)
    detail = client.get(reverse("rectification:measure-detail", args=[rect.measure.pk])).text
    queue = client.get(reverse("rectification:review-queue")).text
    for body in (detail, queue):
        assert "确定同意销号吗？" in body
    assert "hx-confirm=" in queue


def test_stopping_a_record_kind_asks_for_confirmation_first(login, rect):
    from accountability.models import WorkRecordKind

    WorkRecordKind.ensure_presets(rect.org)
    body = login(rect.office).get(reverse("accountability:workrecordkind-list")).text
    assert "确定停用吗？" in body
