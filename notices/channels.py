"""Sending one stored digest on one channel. Each sender raises on failure; the caller records it.

The in-app inbox needs no sending: the digest row is the in-app copy, so a broken mail server or
group robot never keeps a reminder from a person's bell.
"""

import json
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from .digests import render_text
from .models import Channel, Level, ReminderPolicy


class DeliveryError(Exception):
    pass


def subject(digest):
    counts = digest.counts
    parts = [
        f"{lvl.label}{counts[lvl]}"
        for lvl in (Level.RED, Level.YELLOW, Level.GREEN)
        if counts.get(lvl)
    ]
    return _("【主体责任提醒】%(day)s：%(parts)s") % {
        "day": f"{digest.day.month}月{digest.day.day}日",
        "parts": "、".join(parts),
    }


def digest_text(digest):
    recipient = digest.recipient
    return render_text(
        name=recipient.get_full_name() if recipient else "",
        day=digest.day,
        counts=digest.counts,
        items=digest.items,
        people=digest.items.get("people", []) if recipient is None else (),
    )


def send_email(delivery):
    send_mail(
        subject(delivery.digest),
        digest_text(delivery.digest),
        settings.DEFAULT_FROM_EMAIL,
        [delivery.address],
        fail_silently=False,
    )


def webhook_payload(kind, title, text):
    """DingTalk and WeCom group robots both take a markdown message, shaped differently."""
    if kind == ReminderPolicy.WebhookKind.WECOM:
        return {"msgtype": "markdown", "markdown": {"content": f"**{title}**\n\n{text}"}}
    return {"msgtype": "markdown", "markdown": {"title": title, "text": f"### {title}\n\n{text}"}}


def send_webhook(delivery):
    policy = ReminderPolicy.for_organisation(delivery.digest.organisation_id)
    body = json.dumps(
        webhook_payload(
            policy.webhook_kind, subject(delivery.digest), digest_text(delivery.digest)
        ),
        ensure_ascii=False,
    ).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - the administrator sets an http(s) URL
        delivery.address,
        data=body,
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=settings.REMINDER_WEBHOOK_TIMEOUT
        ) as response:
            answer = response.read(65536)
    except urllib.error.HTTPError as error:
        raise DeliveryError(f"HTTP {error.code}") from error
    except (urllib.error.URLError, OSError) as error:
        raise DeliveryError(str(getattr(error, "reason", error))) from error
    # Both robots answer 200 with {"errcode": 0, ...}; anything else is a refusal.
    try:
        errcode = json.loads(answer or b"{}").get("errcode", 0)
    except ValueError:
        errcode = 0
    if errcode:
        raise DeliveryError(answer.decode("utf-8", "replace")[:500])


SENDERS = {Channel.EMAIL: send_email, Channel.WEBHOOK: send_webhook}


def send(delivery):
    SENDERS[delivery.channel](delivery)


def post_json(url, payload):
    """POST one JSON message to a group robot; raises ``DeliveryError`` on any refusal.

    Used for the event notices' group messages (``notices.batches``).
    """
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - the administrator sets an http(s) URL
        url,
        data=body,
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=settings.REMINDER_WEBHOOK_TIMEOUT
        ) as response:
            answer = response.read(65536)
    except urllib.error.HTTPError as error:
        raise DeliveryError(f"HTTP {error.code}") from error
    except (urllib.error.URLError, OSError) as error:
        raise DeliveryError(str(getattr(error, "reason", error))) from error
    try:
        errcode = json.loads(answer or b"{}").get("errcode", 0)
    except ValueError:
        errcode = 0
    if errcode:
        raise DeliveryError(answer.decode("utf-8", "replace")[:500])
