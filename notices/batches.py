"""Event notices: tell people at once what happened to their items.

``notify()`` is called by the app where the event happens (accountability: a letter issued;
rectification: a closure returned, accepted or waiting, a measure assigned or reopened; reports:
a report returned or approved), inside the transaction of the action:

* one ``Notice`` row per person and event (unique key: told once, however often it is called),
  which is the bell and inbox copy, there as soon as the action commits;
* one ``NoticeDelivery`` per person and e-mail window, and per organisation and robot window
  (unique keys), due when the window closes, so that a burst of events becomes one message;
* the deliveries are handed to the workers after the commit; if the broker is down they wait
  as pending rows for the five-minute pass. A failing channel never reaches the action.
"""

import functools
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import bell, channels
from .models import Channel, Notice, NoticeDelivery, ReminderPolicy

log = logging.getLogger(__name__)


def stored_language(function):
    """Run ``function`` in the portal's default language: notice texts are stored and read
    later by people in either language, whatever the language of the person acting."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper


def window_of(moment):
    """The start and end of the batching window ``moment`` falls in."""
    minutes = max(1, settings.NOTICE_BATCH_MINUTES)
    epoch = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    offset = (moment - epoch) // timedelta(minutes=minutes)
    start = epoch + offset * timedelta(minutes=minutes)
    return start, start + timedelta(minutes=minutes)


def notify(*, recipients, kind, key, text, link="", organisation_id=None):
    """Tell ``recipients`` (user ids) about one event; returns the number newly told.

    Call it inside the action's transaction: the bell rows commit (or roll back) with the action.
    People without e-mail or who did not choose it get the bell only; inactive people nothing.
    """
    from .services import people_channels

    ids = {pk for pk in recipients if pk}
    people = people_channels(ids)
    if not people:
        return 0
    now = timezone.now()
    with transaction.atomic():
        Notice.objects.bulk_create(
            [
                Notice(
                    recipient_id=pk,
                    organisation_id=organisation_id,
                    kind=kind,
                    key=key[:200],
                    text=str(text),
                    link=link or "",
                    created_at=now,
                )
                for pk in people
            ],
            ignore_conflicts=True,
        )
        told = set(
            Notice.objects.filter(
                recipient_id__in=list(people), key=key[:200], created_at=now
            ).values_list("recipient_id", flat=True)
        )
        if told:
            bell.forget(told)
            _plan_deliveries(told, people, organisation_id, now)
    return len(told)


def _plan_deliveries(told, people, organisation_id, now):
    start, end = window_of(now)
    policy = ReminderPolicy.for_organisation(organisation_id) if organisation_id else None
    rows = []
    if policy is None or policy.email_enabled:
        rows += [
            NoticeDelivery(
                recipient_id=pk,
                channel=Channel.EMAIL,
                window_start=start,
                address=people[pk]["email"],
                next_attempt_at=end,
                created_at=now,
            )
            for pk in told
            if people[pk]["email"] and people[pk]["wants_email"]
        ]
    if (
        policy is not None
        and policy.webhook_enabled
        and policy.webhook_url
        and any(people[pk]["wants_webhook"] for pk in told)
    ):
        rows.append(
            NoticeDelivery(
                organisation_id=organisation_id,
                channel=Channel.WEBHOOK,
                window_start=start,
                address=policy.webhook_url,
                next_attempt_at=end,
                created_at=now,
            )
        )
    if not rows:
        return
    NoticeDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    # Only the deliveries this call created are handed to the workers (the others already were).
    new = list(
        NoticeDelivery.objects.filter(created_at=now, window_start=start).values_list(
            "pk", flat=True
        )
    )
    if new:
        transaction.on_commit(lambda: enqueue(new, eta=end))


def enqueue(ids, *, eta=None):
    """Hand notice deliveries to the workers; a broker that is down only delays them."""
    from .tasks import deliver_notices

    try:
        deliver_notices.apply_async(args=[list(ids)], eta=eta)
    except Exception as error:  # noqa: BLE001 - kombu and the transports raise several kinds
        log.warning("broker unavailable, %d notice deliveries left pending: %s", len(ids), error)
        return False
    return True


def claim(model, pk, now=None):
    """The conditional UPDATE that makes one worker (at most) send a delivery row."""
    now = now or timezone.now()
    return (
        model.objects.filter(pk=pk)
        .filter(
            Q(state="pending", next_attempt_at__lte=now) | Q(state="sending", lease_until__lt=now)
        )
        .update(
            state="sending",
            lease_until=now + timedelta(seconds=settings.REMINDER_LEASE_SECONDS),
            attempts=F("attempts") + 1,
        )
    )


def batch_notices(delivery):
    """The notices one delivery carries, oldest first."""
    start, end = (
        delivery.window_start,
        delivery.window_start + timedelta(minutes=max(1, settings.NOTICE_BATCH_MINUTES)),
    )
    qs = Notice.objects.filter(created_at__gte=start, created_at__lt=end).select_related(
        "recipient"
    )
    if delivery.recipient_id:
        qs = qs.filter(recipient_id=delivery.recipient_id)
    else:
        qs = qs.filter(organisation_id=delivery.organisation_id).exclude(
            recipient__reminder_preference__webhook=False
        )
    return list(qs.order_by("created_at", "pk"))


def render(delivery, notices):
    """(subject, text) of one batch, in plain Chinese."""
    subject = _("【主体责任消息】%(n)s条新消息") % {"n": len(notices)}
    text = render_to_string(
        "reminders/notice_batch.txt",
        {
            "notices": notices,
            "group": delivery.recipient_id is None,
            "name": delivery.recipient.get_full_name() if delivery.recipient_id else "",
            "base_url": settings.PORTAL_BASE_URL.rstrip("/"),
        },
    ).strip()
    return subject, text


def send(delivery):
    notices = batch_notices(delivery)
    if not notices:
        return
    subject, text = render(delivery, notices)
    if delivery.channel == Channel.EMAIL:
        from django.core.mail import send_mail

        send_mail(
            subject, text, settings.DEFAULT_FROM_EMAIL, [delivery.address], fail_silently=False
        )
    elif delivery.channel == Channel.WEBHOOK:
        policy = ReminderPolicy.for_organisation(delivery.organisation_id)
        channels.post_json(
            delivery.address, channels.webhook_payload(policy.webhook_kind, subject, text)
        )


def notice_delivery_send(*, delivery_id):
    """Claim, send and mark one notice delivery: "sent", "skipped", "retry" or "failed"."""
    if not claim(NoticeDelivery, delivery_id):
        return "skipped"
    delivery = NoticeDelivery.objects.select_related("recipient").get(pk=delivery_id)
    try:
        send(delivery)
    except Exception as error:  # noqa: BLE001 - any failure of the channel is recorded
        log.warning("notice delivery %s failed: %s", delivery_id, error)
        final = delivery.attempts >= settings.REMINDER_MAX_ATTEMPTS
        NoticeDelivery.objects.filter(pk=delivery_id, state="sending").update(
            state="failed" if final else "pending",
            next_attempt_at=timezone.now() + delivery.backoff(),
            lease_until=None,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        return "failed" if final else "retry"
    NoticeDelivery.objects.filter(pk=delivery_id, state="sending").update(
        state="sent", sent_at=timezone.now(), lease_until=None
    )
    return "sent"


def notice_deliveries_due(limit=None):
    now = timezone.now()
    qs = NoticeDelivery.objects.filter(
        Q(state="pending", next_attempt_at__lte=now) | Q(state="sending", lease_until__lt=now)
    ).order_by("next_attempt_at")
    return list(qs.values_list("pk", flat=True)[: limit or settings.REMINDER_PENDING_BATCH])


def notice_mark_read(*, user, pk=None):
    bell.forget([user.pk])
    qs = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(read_at=timezone.now())
