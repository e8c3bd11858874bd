"""A person sees today's reminders in the bell, reads them, and the bell goes quiet."""

import datetime

import pytest
from django.utils import timezone

from deadlines import services
from notices import services as notices
from notices.models import Channel, Delivery, Digest

from ..rectification.factories import FindingFactory, InspectionFactory, MeasureFactory


@pytest.fixture
def reminded(world, monkeypatch):
    monkeypatch.setattr(notices, "enqueue_deliveries", lambda ids: None)
    today = timezone.localdate()
    finding = FindingFactory(inspection=InspectionFactory(organisation=world.org), number=1)
    for days, text in (
        (-5, "落实“三重一大”集体决策制度"),
        (3, "完善工程招投标台账"),
        (15, "开展警示教育"),
    ):
        MeasureFactory(
            finding=finding,
            description=text,
            lead_leader=world.leader,
            unit=world.works,
            responsible_person=world.head,
            deadline=today + datetime.timedelta(days=days),
        )
    services.reminders_sweep()
    return world


def test_the_bell_counts_unread_digests_and_mark_read_clears_it(
    reminded, login_as, page, screenshot
):
    login_as(reminded.head)
    bell = page.get_by_test_id("reminder-bell")
    assert page.get_by_test_id("reminder-bell-count").inner_text() == "1"
    bell.click()
    page.wait_for_url("**/reminders/")
    card = page.get_by_test_id("digest")
    assert card.get_by_text("红灯（1）").is_visible()
    assert card.get_by_role("link", name="落实“三重一大”集体决策制度", exact=False).is_visible()
    screenshot("reminders-inbox")
    card.get_by_role("button", name="标为已读").click()
    page.get_by_text("已读于").wait_for()
    assert page.get_by_test_id("reminder-bell-count").count() == 0
    assert Digest.objects.get(recipient=reminded.head).read_at is not None


def test_the_administrator_sees_a_failed_email_and_retries_it(reminded, login_as, page, screenshot):
    from accountability.models import Role, RoleAssignment

    RoleAssignment.objects.get_or_create(
        user=reminded.admin, organisation=reminded.org, role=Role.ADMIN
    )
    digest = Digest.objects.get(recipient=reminded.head)
    failed = Delivery.objects.create(
        digest=digest,
        channel=Channel.EMAIL,
        address="head@example.org",
        state=Delivery.State.FAILED,
        attempts=6,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )
    login_as(reminded.admin)
    page.goto("/reminders/deliveries/?state=failed")
    row = page.locator(f"#delivery-{failed.pk}")
    assert row.get_by_text("SMTPServerDisconnected").is_visible()
    screenshot("reminders-deliveries")
    row.get_by_role("button", name="重发").click()
    page.get_by_text("已重新加入发送队列").wait_for()
    failed.refresh_from_db()
    assert failed.state in (Delivery.State.PENDING, Delivery.State.SENDING, Delivery.State.SENT)


def test_the_administrator_edits_the_thresholds(reminded, login_as, page, screenshot):
    login_as(reminded.admin)
    page.goto("/reminders/policy/")
    page.get_by_label("绿灯提前天数").fill("30")
    page.get_by_label("黄灯提前天数").fill("40")
    page.get_by_role("button", name="保存").click()
    assert page.get_by_text("黄灯天数应小于绿灯天数").is_visible()
    screenshot("reminders-policy-error")
    page.get_by_label("黄灯提前天数").fill("15")
    page.get_by_role("button", name="保存").click()
    assert page.get_by_text("提醒规则已保存").is_visible()


def test_mark_all_read_quiets_the_bell(reminded, login_as, page):
    login_as(reminded.head)
    page.goto("/reminders/")
    page.get_by_role("button", name="全部标为已读").click()
    page.get_by_text("已将1条提醒标为已读").wait_for()
    assert page.get_by_test_id("reminder-bell-count").count() == 0
