"""Reminder flows: the sweep, sending one delivery, the pending pass and the retry button.

The sweep claims with unique keys (one digest per person per day, one delivery per digest and
channel) through ``INSERT … ON CONFLICT DO NOTHING``; a delivery is claimed with a conditional
UPDATE before sending and marked sent in the same row. The broker only carries "look at delivery
n": if Redis is down the rows wait as pending and the next pass sends them.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accountability.models import User

from . import channels, digests
from .ladder import build_context
from .models import Channel, Delivery, Digest, Level
from .watchers import watch

log = logging.getLogger(__name__)


@dataclass
class SweepResult:
    day: object
    items: int = 0
    drafts: dict = field(default_factory=dict)  # recipient id -> Draft
    groups: dict = field(default_factory=dict)  # organisation id -> Draft
    names: dict = field(default_factory=dict)  # recipient id -> name
    enqueued: list = field(default_factory=list)

    def texts(self):
        """(name, text) per person, for the command's output."""
        for person, draft in sorted(self.drafts.items(), key=lambda kv: self.names.get(kv[0], "")):
            name = self.names.get(person, str(person))
            yield (
                name,
                digests.render_text(
                    name=name, day=self.day, counts=draft.counts, items=draft.items
                ),
            )


def _people(ids):
    """Name, address and channel choices of the recipients, in one query."""
    rows = User.objects.filter(pk__in=ids, is_active=True).values_list(
        "pk",
        "full_name",
        "username",
        "email",
        "reminder_preference__email",
        "reminder_preference__webhook",
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


def _urgency(counts):
    return tuple(counts.get(lvl, 0) for lvl in digests.LEVELS)


def _name_people(group, persons, people):
    """The group message names the most urgent people who agreed to be named, at most N."""
    named = sorted(
        (pk for pk in group.people if pk in people and people[pk]["wants_webhook"]),
        key=lambda pk: _urgency(persons[pk].counts),
        reverse=True,
    )[: settings.REMINDER_DIGEST_ITEMS_PER_LEVEL]
    return [
        {
            "name": people[pk]["name"],
            "levels": [
                (lvl, str(lvl.label), persons[pk].counts[lvl])
                for lvl in digests.LEVELS
                if persons[pk].counts.get(lvl)
            ],
        }
        for pk in named
    ]


def reminders_sweep(*, day=None, organisation_ids=None, dry_run=False, enqueue=True):
    """Find everything due on ``day`` and record (or, dry, only build) today's digests.

    Safe to run any number of times, late, or concurrently: what exists for the day is kept and
    nothing is sent twice. Deliveries are enqueued after the transaction commits.
    """
    day = day or timezone.localdate()
    ctx = build_context(day, organisation_ids)
    items = list(watch(ctx))
    persons, groups = digests.build(items)
    people = _people(persons)
    persons = {pk: draft for pk, draft in persons.items() if pk in people}
    for group in groups.values():
        group.people = _name_people(group, persons, people)
    result = SweepResult(
        day=day,
        items=len(items),
        drafts=persons,
        groups=groups,
        names={pk: person["name"] for pk, person in people.items()},
    )
    if dry_run:
        return result

    now = timezone.now()
    with transaction.atomic():
        # The claims: one INSERT … ON CONFLICT DO NOTHING each, whatever the number of people.
        Digest.objects.bulk_create(
            _digest_rows(day, now, ctx, persons, groups), ignore_conflicts=True
        )
        stored = Digest.objects.filter(
            Q(recipient_id__in=list(persons))
            | Q(recipient__isnull=True, organisation_id__in=groups),
            day=day,
        ).values_list("pk", "recipient_id", "organisation_id")
        rows = _delivery_rows(stored, now, ctx, people)
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        pending = list(
            Delivery.objects.filter(
                digest__day=day,
                state=Delivery.State.PENDING,
                next_attempt_at__lte=now,
                digest_id__in=[row.digest_id for row in rows],
            ).values_list("pk", flat=True)
        )
        result.enqueued = pending
        if enqueue:
            transaction.on_commit(lambda: enqueue_deliveries(pending))
    return result


def _digest_rows(day, now, ctx, persons, groups):
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
        if ctx.organisations[org_id].policy.webhook_enabled
    ]
    return rows


def _delivery_rows(stored, now, ctx, people):
    """In-app (delivered by being stored), e-mail and group-robot deliveries of the digests."""
    rows = []
    for digest_id, recipient_id, org_id in stored:
        org = ctx.organisations.get(org_id)
        policy = org.policy if org else None
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
    if inline:
        return [delivery_send(delivery_id=pk) for pk in ids]
    enqueue_deliveries(ids)
    return ids


def delivery_retry(*, delivery):
    """The administrator's retry button: a failed (or waiting) delivery goes out again now."""
    with transaction.atomic():
        updated = Delivery.objects.filter(
            pk=delivery.pk, state__in=[Delivery.State.FAILED, Delivery.State.PENDING]
        ).update(state=Delivery.State.PENDING, next_attempt_at=timezone.now(), attempts=0)
        if updated:
            transaction.on_commit(lambda: enqueue_deliveries([delivery.pk]))
    return bool(updated)


def digest_mark_all_read(*, user):
    return Digest.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


__all__ = [
    "Level",
    "SweepResult",
    "delivery_retry",
    "delivery_send",
    "deliveries_deliver_pending",
    "digest_mark_all_read",
    "enqueue_deliveries",
    "reminders_sweep",
]
