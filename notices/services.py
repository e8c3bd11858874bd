"""Delivery flows: storing digests, sending one delivery, the pending pass and the retry button.

Digests are claimed with unique keys (one digest per person per day, one delivery per digest and
channel) through ``INSERT … ON CONFLICT DO NOTHING``; a delivery is claimed with a conditional
UPDATE before sending and marked sent in the same row. The broker only carries "look at delivery
n": if Redis is down the rows wait as pending and the next pass sends them.

The deadline sweep (``deadlines``) decides what is due; this module only stores and sends.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from . import batches, bell, channels
from .models import Channel, Delivery, Digest, Level, NoticeDelivery, ReminderPolicy

log = logging.getLogger(__name__)


def people_channels(ids):
    """Name, address and channel choices of active recipients, in one query."""
    rows = (
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .values_list(
            "pk",
            "full_name",
            "username",
            "email",
            "reminder_preference__email",
            "reminder_preference__webhook",
        )
    )
    return {
        pk: {
            "name": full_name or username,
            "email": email,
            "wants_email": wants_email is not False,
            "wants_webhook": wants_webhook is not False,
        }
        for pk, full_name, username, email, wants_email, wants_webhook in rows
    }


def policies_for(organisation_ids):
    """Each organisation's saved reminder policy, or an unsaved one with the defaults."""
    found = {
        p.organisation_id: p
        for p in ReminderPolicy.objects.filter(organisation_id__in=list(organisation_ids))
    }
    return {
        org_id: found.get(org_id) or ReminderPolicy(organisation_id=org_id)
        for org_id in organisation_ids
    }


def digests_store(*, day, persons, groups, policies, people, enqueue=True):
    """Store one day's digests (``digests.Draft`` by person and by organisation) and their
    deliveries; returns the ids of the deliveries to send now. Idempotent: what exists for the
    day is kept and nothing is sent twice. Deliveries are enqueued after the commit."""
    now = timezone.now()
    with transaction.atomic():
        # The claims: one INSERT … ON CONFLICT DO NOTHING each, whatever the number of people.
        Digest.objects.bulk_create(
            _digest_rows(day, now, policies, persons, groups), ignore_conflicts=True
        )
        stored = Digest.objects.filter(
            Q(recipient_id__in=list(persons))
            | Q(recipient__isnull=True, organisation_id__in=groups),
            day=day,
        ).values_list("pk", "recipient_id", "organisation_id")
        bell.forget(recipient for _, recipient, _ in stored)
        rows = _delivery_rows(stored, now, policies, people)
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        pending = list(
            Delivery.objects.filter(
                digest__day=day,
                state=Delivery.State.PENDING,
                next_attempt_at__lte=now,
                digest_id__in=[row.digest_id for row in rows],
            ).values_list("pk", flat=True)
        )
        if enqueue:
            transaction.on_commit(lambda: enqueue_deliveries(pending))
    return pending


def _digest_rows(day, now, policies, persons, groups):
    rows = [
        Digest(
            organisation_id=draft.organisation_id,
            recipient_id=pk,
            day=day,
            level=draft.level,
            counts=draft.counts,
            items=draft.items,
            created_at=now,
        )
        for pk, draft in persons.items()
    ]
    rows += [
        Digest(
            organisation_id=org_id,
            recipient=None,
            day=day,
            level=draft.level,
            counts=draft.counts,
            items={**draft.items, "people": draft.people},
            created_at=now,
        )
        for org_id, draft in groups.items()
        if policies[org_id].webhook_enabled
    ]
    return rows


def _delivery_rows(stored, now, policies, people):
    """In-app (delivered by being stored), e-mail and group-robot deliveries of the digests."""
    rows = []
    for digest_id, recipient_id, org_id in stored:
        policy = policies.get(org_id)
        if recipient_id is None:
            if policy and policy.webhook_enabled and policy.webhook_url:
                rows.append(
                    Delivery(
                        digest_id=digest_id,
                        channel=Channel.WEBHOOK,
                        address=policy.webhook_url,
                        created_at=now,
                        next_attempt_at=now,
                    )
                )
            continue
        rows.append(
            Delivery(
                digest_id=digest_id,
                channel=Channel.INAPP,
                state=Delivery.State.SENT,
                sent_at=now,
                created_at=now,
                next_attempt_at=now,
            )
        )
        person = people.get(recipient_id)
        email_on = policy is None or policy.email_enabled
        if person and person["email"] and person["wants_email"] and email_on:
            rows.append(
                Delivery(
                    digest_id=digest_id,
                    channel=Channel.EMAIL,
                    address=person["email"],
                    created_at=now,
                    next_attempt_at=now,
                )
            )
    return rows


def enqueue_deliveries(ids):
    """Hand delivery ids to the workers; if the broker is down, they stay pending in the DB."""
    from .tasks import deliver_many

    chunk = settings.REMINDER_ENQUEUE_CHUNK
    for start in range(0, len(ids), chunk):
        try:
            deliver_many.apply_async(args=[ids[start : start + chunk]])
        except Exception as error:  # noqa: BLE001 - kombu/redis raise several kinds
            if settings.CELERY_TASK_ALWAYS_EAGER:
                raise
            log.warning(
                "broker unavailable, %d deliveries left pending for the next pass: %s",
                len(ids) - start,
                error,
            )
            return False
    return True


def delivery_send(*, delivery_id):
    """Claim, send and mark one delivery. Returns "sent", "skipped", "retry" or "failed"."""
    now = timezone.now()
    claimed = (
        Delivery.objects.filter(pk=delivery_id)
        .filter(
            Q(state=Delivery.State.PENDING, next_attempt_at__lte=now)
            | Q(state=Delivery.State.SENDING, lease_until__lt=now)
        )
        .update(
            state=Delivery.State.SENDING,
            lease_until=now + timedelta(seconds=settings.REMINDER_LEASE_SECONDS),
            attempts=F("attempts") + 1,
        )
    )
    if not claimed:
        return "skipped"
    delivery = Delivery.objects.select_related("digest__recipient").get(pk=delivery_id)
    try:
        channels.send(delivery)
    except Exception as error:  # noqa: BLE001 - any failure of the channel is recorded
        log.warning("delivery %s failed (attempt %s): %s", delivery_id, delivery.attempts, error)
        final = delivery.attempts >= settings.REMINDER_MAX_ATTEMPTS
        Delivery.objects.filter(pk=delivery_id, state=Delivery.State.SENDING).update(
            state=Delivery.State.FAILED if final else Delivery.State.PENDING,
            next_attempt_at=timezone.now() + delivery.backoff(),
            lease_until=None,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        return "failed" if final else "retry"
    Delivery.objects.filter(pk=delivery_id, state=Delivery.State.SENDING).update(
        state=Delivery.State.SENT, sent_at=timezone.now(), lease_until=None
    )
    return "sent"


def deliveries_due(limit=None):
    """Pending deliveries whose time has come, and those claimed by a worker that died."""
    now = timezone.now()
    qs = Delivery.objects.filter(
        Q(state=Delivery.State.PENDING, next_attempt_at__lte=now)
        | Q(state=Delivery.State.SENDING, lease_until__lt=now)
    ).order_by("next_attempt_at")
    return list(qs.values_list("pk", flat=True)[: limit or settings.REMINDER_PENDING_BATCH])


def deliveries_deliver_pending(*, inline=False):
    """The recovery pass: send what waits (after a broker outage, a retry delay, a dead worker)."""
    ids = deliveries_due()
    notice_ids = batches.notice_deliveries_due()
    if inline:
        return [delivery_send(delivery_id=pk) for pk in ids] + [
            batches.notice_delivery_send(delivery_id=pk) for pk in notice_ids
        ]
    enqueue_deliveries(ids)
    if notice_ids:
        batches.enqueue(notice_ids)
    return ids


def delivery_retry(*, delivery):
    """The administrator's retry button: a failed (or waiting) delivery goes out again now. A
    reminder digest's delivery (``Delivery``) or a batch of event notices (``NoticeDelivery``)."""
    model = type(delivery)
    hand_over = batches.enqueue if model is NoticeDelivery else enqueue_deliveries
    with transaction.atomic():
        updated = model.objects.filter(
            pk=delivery.pk, state__in=[Delivery.State.FAILED, Delivery.State.PENDING]
        ).update(state=Delivery.State.PENDING, next_attempt_at=timezone.now(), attempts=0)
        if updated:
            transaction.on_commit(lambda: hand_over([delivery.pk]))
    return bool(updated)


def digest_mark_all_read(*, user):
    bell.forget([user.pk])
    return Digest.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


__all__ = [
    "Level",
    "delivery_retry",
    "delivery_send",
    "deliveries_deliver_pending",
    "digest_mark_all_read",
    "enqueue_deliveries",
    "digests_store",
    "people_channels",
    "policies_for",
]
