"""The admin site offers the warning thresholds and nothing that could rewrite a record."""

from django.contrib import admin

from rectification.models import Finding, Inspection, Measure, ProgressUpdate, WarningPolicy


def test_records_and_their_history_are_not_in_the_admin():
    registered = set(admin.site._registry)
    for model in (Inspection, Finding, Measure, ProgressUpdate):
        assert model not in registered
        assert model.history.model not in registered


def test_organisation_admin_edits_own_warning_policy(login, world):
    WarningPolicy.objects.create(organisation=world.org, green_days=30, yellow_days=10)
    other = WarningPolicy.objects.create(organisation=world.other_org, green_days=20, yellow_days=5)
    client = login(world.admin)
    response = client.get("/admin/rectification/warningpolicy/")
    assert response.status_code == 200
    assert "测试水利局" in response.text
    assert client.get(f"/admin/rectification/warningpolicy/{other.pk}/change/").status_code in (
        302,
        404,
    )
