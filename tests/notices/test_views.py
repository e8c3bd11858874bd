"""Inbox, bell, preferences, policy page and delivery log: who may do what."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notices.models import (
    Channel,
    Delivery,
    Digest,
    Level,
    NoticeDelivery,
    ReminderPolicy,
    ReminderPreference,
)
from rectification.models import WarningPolicy

DAY = date(2026, 11, 24)


def make_digest(user, org, day=DAY, level=Level.RED, read=False):
    digest = Digest.objects.create(
        organisation=org,
        recipient=user,
        day=day,
        level=level,
        counts={level: 1},
        items={
            level: [{"key": "measure:1", "text": "整改措施「建立台账」已逾期3天", "link": "/r/"}]
        },
    )
    if read:
        digest.mark_read()
    return digest


@pytest.fixture
def head_digest(world):
    return make_digest(world.head, world.org)


@pytest.fixture
def failed_delivery(world, head_digest):
    return Delivery.objects.create(
        digest=head_digest,
        channel=Channel.EMAIL,
        address="head@example.org",
        state=Delivery.State.FAILED,
        attempts=6,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )


# -- inbox and bell -----------------------------------------------------------------------------
def test_anonymous_is_sent_to_login_from_the_inbox(client, db):
    response = client.get(reverse("reminders:digest-list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_inbox_lists_my_digests_grouped_by_colour(login, world, head_digest):
    response = login(world.head).get(reverse("reminders:digest-list"))
    assert response.status_code == 200
    assert "整改措施「建立台账」已逾期3天" in response.text
    assert "红灯（1）" in response.text


def test_the_inbox_does_not_show_other_peoples_digests(login, world, head_digest):
    response = login(world.outsider).get(reverse("reminders:digest-list"))
    assert "建立台账" not in response.text


def test_the_bell_shows_the_unread_count(login, world, head_digest):
    make_digest(world.head, world.org, day=date(2026, 11, 23))
    make_digest(world.head, world.org, day=date(2026, 11, 22), read=True)
    response = login(world.head).get(reverse("reminders:digest-list"))
    assert 'data-testid="reminder-bell-count">2<' in response.text


def test_the_bell_has_no_count_when_everything_is_read(login, world):
    make_digest(world.head, world.org, read=True)
    response = login(world.head).get(reverse("reminders:digest-list"))
    assert "reminder-bell-count" not in response.text


def test_marking_a_digest_read_with_htmx_updates_it_and_the_bell(login, world, head_digest):
    response = login(world.head).post(
        reverse("reminders:digest-read", args=[head_digest.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    head_digest.refresh_from_db()
    assert head_digest.read_at is not None
    assert 'hx-swap-oob="true"' in response.text
    assert "reminder-bell-count" not in response.text


def test_someone_elses_digest_cannot_be_marked_read(login, world, head_digest):
    response = login(world.outsider).post(reverse("reminders:digest-read", args=[head_digest.pk]))
    assert response.status_code == 404
    head_digest.refresh_from_db()
    assert head_digest.read_at is None


def test_marking_read_needs_post(login, world, head_digest):
    response = login(world.head).get(reverse("reminders:digest-read", args=[head_digest.pk]))
    assert response.status_code == 405


def test_mark_all_read_marks_only_my_digests(login, world, head_digest):
    other = make_digest(world.outsider, world.org)
    make_digest(world.head, world.org, day=date(2026, 11, 23))
    login(world.head).post(reverse("reminders:digest-read-all"))
    assert not Digest.objects.filter(recipient=world.head, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_the_inbox_query_count_does_not_grow_with_digests(login, world):
    client = login(world.head)
    make_digest(world.head, world.org, day=date(2026, 11, 1))

    def queries():
        client.get(reverse("reminders:digest-list"))  # warm: new digests retire the bell's counts
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reminders:digest-list")).status_code == 200
        return len(captured)

    few = queries()
    for n in range(2, 10):
        make_digest(world.head, world.org, day=date(2026, 11, n))
    assert queries() == few


# -- preferences --------------------------------------------------------------------------------
def test_a_person_can_turn_email_off(login, world):
    response = login(world.head).post(reverse("reminders:preference-update"), {"webhook": "on"})
    assert response.status_code == 302
    preference = ReminderPreference.objects.get(user=world.head)
    assert preference.email is False
    assert preference.webhook is True


def test_the_preferences_page_says_when_there_is_no_address(login, world):
    response = login(world.head).get(reverse("reminders:preference-update"))
    assert response.status_code == 200
    assert "没有电子邮箱" in response.text


# -- policy (administrator) ---------------------------------------------------------------------
def policy_data(**overrides):
    data = {
        "green_days": 30,
        "yellow_days": 7,
        "monthly_cutoff_day": 8,
        "closure_wait_days": 3,
        "email_enabled": "on",
        "webhook_kind": "dingtalk",
        "webhook_url": "",
    }
    data.update(overrides)
    return data


def test_anonymous_is_sent_to_login_from_the_policy_page(client, world):
    response = client.get(reverse("reminders:policy-update", args=[world.org.pk]))
    assert response.status_code == 302


def test_a_non_administrator_may_not_change_the_policy(login, world):
    response = login(world.office).post(
        reverse("reminders:policy-update", args=[world.org.pk]), policy_data()
    )
    assert response.status_code == 403
    assert not ReminderPolicy.objects.exists()


def test_a_leader_may_not_see_the_policy_page(login, world):
    assert login(world.leader).get(reverse("reminders:policy-update")).status_code == 403


def test_an_administrator_of_another_organisation_gets_404(login, world):
    from accountability.models import Role, RoleAssignment

    RoleAssignment.objects.create(
        user=world.stranger, organisation=world.other_org, role=Role.ADMIN
    )
    response = login(world.stranger).get(reverse("reminders:policy-update", args=[world.org.pk]))
    assert response.status_code == 404


def test_the_administrator_sets_thresholds_and_rules(login, world):
    response = login(world.admin).post(
        reverse("reminders:policy-update", args=[world.org.pk]), policy_data()
    )
    assert response.status_code == 302
    policy = ReminderPolicy.objects.get(organisation=world.org)
    assert (policy.monthly_cutoff_day, policy.closure_wait_days) == (8, 3)
    warning = WarningPolicy.objects.get(organisation=world.org)
    assert (warning.green_days, warning.yellow_days) == (30, 7)


def test_the_policy_page_opens_on_the_administrators_organisation(login, world):
    response = login(world.admin).get(reverse("reminders:policy-update"))
    assert response.status_code == 200
    assert "测试水利局 · 提醒规则" in response.text


def test_yellow_not_before_green_is_refused_in_chinese(login, world):
    response = login(world.admin).post(
        reverse("reminders:policy-update", args=[world.org.pk]),
        policy_data(green_days=5, yellow_days=10),
    )
    assert response.status_code == 200
    assert "黄灯天数应小于绿灯天数" in response.text
    assert not ReminderPolicy.objects.exists()
    assert not WarningPolicy.objects.exists()


def test_the_robot_needs_an_address_when_enabled(login, world):
    response = login(world.admin).post(
        reverse("reminders:policy-update", args=[world.org.pk]),
        policy_data(webhook_enabled="on"),
    )
    assert response.status_code == 200
    assert "启用群机器人时必须填写地址" in response.text


def test_a_non_http_robot_address_is_refused(login, world):
    response = login(world.admin).post(
        reverse("reminders:policy-update", args=[world.org.pk]),
        policy_data(webhook_enabled="on", webhook_url="ftp://robot.example.org/send"),
    )
    assert response.status_code == 200
    assert not ReminderPolicy.objects.exists()


# -- delivery log (administrator) ---------------------------------------------------------------
def test_anonymous_is_sent_to_login_from_the_delivery_log(client, db):
    assert client.get(reverse("reminders:delivery-list")).status_code == 302


def test_the_delivery_log_is_for_administrators_only(login, world, failed_delivery):
    assert login(world.inspector).get(reverse("reminders:delivery-list")).status_code == 403


def test_the_delivery_log_shows_failures_with_their_error(login, world, failed_delivery):
    response = login(world.admin).get(reverse("reminders:delivery-list"), {"state": "failed"})
    assert response.status_code == 200
    assert "SMTPServerDisconnected" in response.text
    assert "张处长" in response.text


def test_the_delivery_log_filters_by_state(login, world, failed_delivery):
    response = login(world.admin).get(reverse("reminders:delivery-list"), {"state": "sent"})
    assert "SMTPServerDisconnected" not in response.text


def test_the_delivery_log_hides_other_organisations(login, world, failed_delivery):
    from accountability.models import Role, RoleAssignment

    RoleAssignment.objects.create(
        user=world.stranger, organisation=world.other_org, role=Role.ADMIN
    )
    response = login(world.stranger).get(reverse("reminders:delivery-list"))
    assert response.status_code == 200
    assert "SMTPServerDisconnected" not in response.text


def test_the_administrator_can_retry_a_failed_delivery(login, world, failed_delivery):
    response = login(world.admin).post(
        reverse("reminders:delivery-retry", args=[failed_delivery.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "已重新加入发送队列" in response.text
    failed_delivery.refresh_from_db()
    assert failed_delivery.state == Delivery.State.PENDING


def test_a_non_administrator_cannot_retry(login, world, failed_delivery):
    response = login(world.office).post(
        reverse("reminders:delivery-retry", args=[failed_delivery.pk])
    )
    assert response.status_code == 403
    failed_delivery.refresh_from_db()
    assert failed_delivery.state == Delivery.State.FAILED


def test_an_administrator_of_another_organisation_cannot_retry(login, world, failed_delivery):
    from accountability.models import Role, RoleAssignment

    RoleAssignment.objects.create(
        user=world.stranger, organisation=world.other_org, role=Role.ADMIN
    )
    response = login(world.stranger).post(
        reverse("reminders:delivery-retry", args=[failed_delivery.pk])
    )
    assert response.status_code == 404


def test_run_now_is_for_administrators_only(login, world):
    response = login(world.office).post(reverse("reminders:sweep-run", args=[world.org.pk]))
    assert response.status_code == 403


# -- the event notices' batches in the delivery log ---------------------------------------------
NOTICES_LOG = {"log": "notices"}


@pytest.fixture
def notice_batches(world):
    """A failed e-mail batch for a person of the organisation, a robot batch sent to its
    group, and a failed batch of the other organisation's person."""
    from django.utils import timezone

    now = timezone.now()
    return {
        "person": NoticeDelivery.objects.create(
            recipient=world.head,
            channel=Channel.EMAIL,
            window_start=now,
            address="head@example.org",
            state=NoticeDelivery.State.FAILED,
            attempts=6,
            last_error="SMTPRecipientsRefused: head@example.org",
        ),
        "group": NoticeDelivery.objects.create(
            organisation=world.org,
            channel=Channel.WEBHOOK,
            window_start=now,
            address="https://robot.example.org/hook",
            state=NoticeDelivery.State.SENT,
            sent_at=now,
        ),
        "other": NoticeDelivery.objects.create(
            recipient=world.stranger,
            channel=Channel.EMAIL,
            window_start=now,
            address="stranger@example.org",
            state=NoticeDelivery.State.FAILED,
            last_error="SMTPRecipientsRefused: stranger@example.org",
        ),
    }


def test_the_delivery_log_lists_the_event_notices_batches_on_their_own_tab(
    login, world, failed_delivery, notice_batches
):
    client = login(world.admin)
    notices_page = client.get(reverse("reminders:delivery-list"), NOTICES_LOG).text
    assert "SMTPRecipientsRefused: head@example.org" in notices_page
    assert "https://robot.example.org/hook" in notices_page and "测试水利局（群）" in notices_page
    assert "stranger@example.org" not in notices_page  # another organisation's person
    assert "SMTPServerDisconnected" not in notices_page  # the digests' deliveries
    # The filter keeps the tab, and filters the batches.
    assert '<input type="hidden" name="log" value="notices">' in notices_page
    failed = client.get(reverse("reminders:delivery-list"), {**NOTICES_LOG, "state": "failed"})
    assert "head@example.org" in failed.text and "robot.example.org" not in failed.text
    digests_page = client.get(reverse("reminders:delivery-list")).text
    assert "SMTPServerDisconnected" in digests_page and "SMTPRecipientsRefused" not in digests_page


def test_the_administrator_retries_a_failed_notice_batch(
    login, world, notice_batches, monkeypatch, django_capture_on_commit_callbacks
):
    from notices import batches

    handed = []
    monkeypatch.setattr(batches, "enqueue", lambda ids, **kwargs: handed.append(list(ids)))
    batch = notice_batches["person"]
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.admin).post(
            reverse("reminders:notice-delivery-retry", args=[batch.pk]), HTTP_HX_REQUEST="true"
        )
    assert "已重新加入发送队列" in response.text
    batch.refresh_from_db()
    assert (batch.state, batch.attempts) == (NoticeDelivery.State.PENDING, 0)
    assert handed == [[batch.pk]]
    # A sent batch needs no retry; another organisation's is not found.
    sent = notice_batches["group"]
    again = login(world.admin).post(reverse("reminders:notice-delivery-retry", args=[sent.pk]))
    assert again.status_code == 302 and "log=notices" in again["Location"]
    other = notice_batches["other"]
    url = reverse("reminders:notice-delivery-retry", args=[other.pk])
    assert login(world.admin).post(url).status_code == 404
    assert login(world.office).post(url).status_code == 403
    other.refresh_from_db()
    assert other.state == NoticeDelivery.State.FAILED
