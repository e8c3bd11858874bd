"""Event notices: people hear at once what happened to their items, once each, in batches."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accountability import services as accountability
from accountability.models import DutyLetter
from notices import batches, services
from notices.models import Channel, Notice, NoticeDelivery, ReminderPolicy, ReminderPreference
from rectification import services as rectification
from tests.rectification.factories import pdf

NOON = timezone.make_aware(timezone.datetime(2026, 11, 30, 12, 1))


@pytest.fixture
def no_broker(monkeypatch):
    """The deliveries are handed to a broker that records instead of sending."""
    handed = []
    monkeypatch.setattr(batches, "enqueue", lambda ids, eta=None: handed.extend(ids))
    return handed


@pytest.fixture
def requested(rect, no_broker):
    rect.head.email = "head@example.org"
    rect.head.save()
    rectification.measure_request_closure(
        measure=rect.measure, by=rect.head, note="已完成整改", files=[pdf()]
    )
    return rect


def _return(login, rect, reason="缺少制度印发文件"):
    url = reverse("rectification:measure-return", args=[rect.measure.pk])
    return login(rect.inspector).post(url, {"reason": reason})


def test_a_returned_closure_reaches_the_responsible_persons_bell_with_the_reason(login, requested):
    assert _return(login, requested).status_code == 302
    client = login(requested.head)
    inbox = client.get(reverse("reminders:digest-list"))
    assert "缺少制度印发文件" in inbox.text
    assert "退回" in inbox.text
    home = client.get("/")
    assert 'data-testid="reminder-bell-count">1<' in home.text


def test_accepting_a_closure_tells_the_responsible_person(login, requested):
    url = reverse("rectification:measure-accept", args=[requested.measure.pk])
    assert login(requested.inspector).post(url).status_code == 302
    notice = Notice.objects.get(recipient=requested.head)
    assert notice.kind == Notice.Kind.CLOSURE_ACCEPTED
    assert notice.link == reverse("rectification:measure-detail", args=[requested.measure.pk])


def test_a_closure_request_tells_the_inspectors_and_not_the_requester(requested):
    told = Notice.objects.filter(kind=Notice.Kind.CLOSURE_REQUESTED)
    assert list(told.values_list("recipient", flat=True)) == [requested.inspector.pk]


def test_reopening_tells_the_responsible_person(requested):
    rectification.measure_accept_closure(measure=requested.measure, by=requested.inspector)
    rectification.measure_reopen(measure=requested.measure, by=requested.inspector, reason="反弹")
    notice = Notice.objects.get(recipient=requested.head, kind=Notice.Kind.MEASURE_REOPENED)
    assert "反弹" in notice.text


def test_the_same_event_reaches_each_person_once(world, no_broker):
    for _ in range(3):
        batches.notify(
            recipients=[world.head.pk, world.head.pk],
            kind=Notice.Kind.LETTER_ISSUED,
            key="letter-issued:1",
            text="责任书已下发",
            organisation_id=world.org.pk,
        )
    assert Notice.objects.filter(recipient=world.head).count() == 1


def test_a_burst_of_events_is_one_email_after_the_window(world, no_broker):
    world.head.email = "head@example.org"
    world.head.save()
    with time_machine.travel(NOON, tick=False):
        for n in range(4):
            batches.notify(
                recipients=[world.head.pk],
                kind=Notice.Kind.CLOSURE_RETURNED,
                key=f"measure-returned:{n}",
                text=f"第{n}条退回",
                organisation_id=world.org.pk,
            )
        assert NoticeDelivery.objects.count() == 1
        # Not yet: the window is still open, more events may come.
        assert services.deliveries_deliver_pending(inline=True) == []
    with time_machine.travel(NOON + timedelta(minutes=5), tick=False):
        assert services.deliveries_deliver_pending(inline=True) == ["sent"]
        assert services.deliveries_deliver_pending(inline=True) == []
    assert len(mail.outbox) == 1
    assert all(f"第{n}条退回" in mail.outbox[0].body for n in range(4))
    assert mail.outbox[0].to == ["head@example.org"]


def test_a_person_without_email_gets_the_bell_only(world, no_broker):
    world.head.email = ""
    world.head.save()
    batches.notify(
        recipients=[world.head.pk],
        kind=Notice.Kind.MEASURE_ASSIGNED,
        key="x",
        text="交办",
        organisation_id=world.org.pk,
    )
    assert Notice.objects.filter(recipient=world.head).exists()
    assert not NoticeDelivery.objects.exists()


def test_a_person_who_turned_email_off_gets_the_bell_only(world, no_broker):
    world.head.email = "head@example.org"
    world.head.save()
    ReminderPreference.objects.create(user=world.head, email=False)
    batches.notify(recipients=[world.head.pk], kind="measure_assigned", key="x", text="交办")
    assert Notice.objects.filter(recipient=world.head).exists()
    assert not NoticeDelivery.objects.exists()


def test_the_group_robot_gets_one_message_per_window(world, no_broker):
    ReminderPolicy.objects.create(
        organisation=world.org, webhook_enabled=True, webhook_url="https://robot.example/x"
    )
    for person in (world.head, world.outsider):
        batches.notify(
            recipients=[person.pk],
            kind="closure_returned",
            key=f"k{person.pk}",
            text="退回",
            organisation_id=world.org.pk,
        )
    robots = NoticeDelivery.objects.filter(channel=Channel.WEBHOOK)
    assert robots.count() == 1 and robots.get().recipient is None


def test_a_broken_broker_never_blocks_the_action(login, rect, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr("notices.tasks.deliver_notices.apply_async", down)
    rect.head.email = "head@example.org"
    rect.head.save()
    rectification.measure_request_closure(
        measure=rect.measure, by=rect.head, note="已完成整改", files=[pdf()]
    )
    assert _return(login, rect).status_code == 302
    rect.measure.refresh_from_db()
    assert rect.measure.state == rect.measure.State.IN_PROGRESS
    assert Notice.objects.filter(recipient=rect.head, kind="closure_returned").exists()
    assert NoticeDelivery.objects.filter(recipient=rect.head, state="pending").exists()


def test_issuing_letters_tells_each_units_head(world, no_broker):
    accountability.dutyletters_issue(
        by=world.office,
        organisation=world.org,
        units=[world.works, world.finance],
        year=2026,
        kind=DutyLetter._meta.get_field("kind").choices[0][0],
        level=DutyLetter._meta.get_field("level").choices[0][0],
        title="{year}年{unit}党风廉政建设责任书",
        body="",
        issued_on=date(2026, 3, 1),
        due_on=date(2026, 3, 31),
    )
    told = Notice.objects.filter(kind=Notice.Kind.LETTER_ISSUED)
    assert sorted(told.values_list("recipient", flat=True)) == sorted(
        [world.head.pk, world.outsider.pk]
    )
    assert "2026年基建处党风廉政建设责任书" in told.get(recipient=world.head).text


def test_registering_or_reassigning_a_measure_tells_the_new_responsible_person(
    login, rect, no_broker
):
    url = reverse("rectification:measure-update", args=[rect.measure.pk])
    page = login(rect.office).get(url)
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "responsible_person": rect.outsider.pk,
            "unit": rect.finance.pk,
            "lead_leader": rect.measure.lead_leader_id,
        }
    )
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    response = login(rect.office).post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert Notice.objects.filter(recipient=rect.outsider, kind="measure_assigned").count() == 1
    assert not Notice.objects.filter(recipient=rect.head).exists()


def test_reading_a_notice_goes_to_its_item(login, requested):
    _return(login, requested)
    notice = Notice.objects.get(recipient=requested.head)
    response = login(requested.head).post(reverse("reminders:notice-read", args=[notice.pk]))
    assert response["Location"] == notice.link
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_nobody_reads_another_persons_notice(login, requested):
    _return(login, requested)
    notice = Notice.objects.get(recipient=requested.head)
    response = login(requested.outsider).post(reverse("reminders:notice-read", args=[notice.pk]))
    assert response.status_code == 404


def test_a_returned_report_tells_its_drafters_once_per_return(world, no_broker):
    from reports import notices as report_notices

    for event in (1, 1, 2):
        report_notices.report_returned(
            report_id=9,
            event=event,
            organisation_id=world.org.pk,
            title="2026年度报告",
            reason="第三部分数据需核实",
            by=world.principal,
            recipients=[world.office.pk, world.principal.pk],
            link="/reports/9/",
        )
    told = Notice.objects.filter(kind=Notice.Kind.REPORT_RETURNED)
    assert set(told.values_list("recipient", flat=True)) == {world.office.pk}
    assert told.count() == 2
    assert "第三部分数据需核实" in told.first().text


def test_the_notice_is_written_in_the_portals_language_whatever_the_actors(requested):
    from django.utils import translation

    with translation.override("en"):
        rectification.measure_return_closure(
            measure=requested.measure, by=requested.inspector, reason="材料不全"
        )
        assert translation.get_language() == "en"
    notice = Notice.objects.get(recipient=requested.head)
    assert "的销号申请被陈纪检退回" in notice.text


@pytest.mark.parametrize(
    ("kind", "red"),
    [
        (Notice.Kind.CLOSURE_RETURNED, True),
        (Notice.Kind.REPORT_RETURNED, True),
        (Notice.Kind.REPORT_SENT_BACK, True),
        (Notice.Kind.NOTICE_ISSUED, True),
        (Notice.Kind.NOTICE_RETURNED, True),
        (Notice.Kind.CLOSURE_ACCEPTED, False),
        (Notice.Kind.REPORT_RECEIVED, False),
        (Notice.Kind.NOTICE_CLOSED, False),
    ],
)
def test_what_sends_something_back_counts_in_the_bells_red(world, kind, red):
    from notices.views import bell_state

    Notice.objects.create(
        recipient=world.head, organisation=world.org, kind=kind, key="k", text="正文"
    )
    state = bell_state(world.head)
    assert state["unread"] == 1
    assert bool(state["unread_red"]) is red
    assert Notice.objects.get().is_bad_news is red
