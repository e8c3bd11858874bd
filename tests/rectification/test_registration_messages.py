"""The party office's registration pages say what they saved, as every other form does: an
inspection, a finding and a measure, added or changed."""

import pytest
from django.urls import reverse

from rectification.models import Finding


def _said(response):
    return [str(message) for message in response.context["messages"]]


@pytest.mark.django_db
def test_each_registration_says_what_it_saved(login, rect):
    client = login(rect.office)
    inspection = reverse("rectification:inspection-detail", args=[rect.inspection.pk])

    response = client.post(
        reverse("rectification:finding-create", args=[rect.inspection.pk]),
        {"aspect": "落实主体责任方面", "aspect_order": 1, "number": 9, "description": "问题"},
        follow=True,
    )
    finding = Finding.objects.get(inspection=rect.inspection, number=9)
    assert response.redirect_chain[-1][0] == inspection
    assert _said(response) == ["已登记反馈问题。"]

    response = client.post(
        reverse("rectification:finding-update", args=[finding.pk]),
        {"aspect": "落实主体责任方面", "aspect_order": 1, "number": 9, "description": "改后"},
        follow=True,
    )
    finding.refresh_from_db()
    assert finding.description == "改后"
    assert _said(response) == ["已保存反馈问题的修改。"]

    form = client.get(reverse("rectification:inspection-update", args=[rect.inspection.pk]))
    data = {**form.context["form"].initial, "title": "改后的名称"}
    data = {key: value for key, value in data.items() if value is not None}
    response = client.post(
        reverse("rectification:inspection-update", args=[rect.inspection.pk]), data, follow=True
    )
    assert response.redirect_chain, response.context["form"].errors
    assert _said(response) == ["已保存巡视巡察的修改。"]

    form = client.get(reverse("rectification:measure-update", args=[rect.measure.pk]))
    data = {
        key: value.pk if hasattr(value, "pk") else value
        for key, value in form.context["form"].initial.items()
        if value is not None
    }
    response = client.post(
        reverse("rectification:measure-update", args=[rect.measure.pk]), data, follow=True
    )
    assert response.redirect_chain, response.context["form"].errors
    assert _said(response) == ["已保存整改措施的修改。"]
