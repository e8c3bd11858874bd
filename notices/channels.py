"""Sending one stored digest on one channel. Each sender raises on failure; the caller records it.

The in-app inbox needs no sending: the digest row is the in-app copy, so a broken mail server or
group robot never keeps a reminder from a person's bell.
"""

import http.client
import ipaddress
import json
import socket
import ssl
import urllib.parse
from dataclasses import dataclass

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


# Markdown's link, image, HTML and emphasis characters, turned into their full-width look-alikes:
# a title typed as "[点此](http://…)" or "![](http://…/track.png)" then reads as typed and can
# neither link anywhere nor make every group member's client fetch a remote image (issue #13).
_MARKDOWN_SAFE = str.maketrans(
    {
        "[": "［", "]": "］", "(": "（", ")": "）", "<": "＜", ">": "＞", "!": "！",
        "*": "＊", "_": "＿", "`": "｀", "#": "＃", "|": "｜", "~": "～", "\\": "＼",
    }
)  # fmt: skip


def markdown_escape(text):
    return str(text).translate(_MARKDOWN_SAFE)


def webhook_payload(kind, title, text):
    """DingTalk and WeCom group robots both take a markdown message, shaped differently; every
    character that Markdown would act on is neutralised first."""
    title, text = markdown_escape(title), markdown_escape(text)
    if kind == ReminderPolicy.WebhookKind.WECOM:
        return {"msgtype": "markdown", "markdown": {"content": f"**{title}**\n\n{text}"}}
    return {"msgtype": "markdown", "markdown": {"title": title, "text": f"### {title}\n\n{text}"}}


def send_webhook(delivery):
    policy = ReminderPolicy.for_organisation(delivery.digest.organisation_id)
    post_json(
        delivery.address,
        webhook_payload(
            policy.webhook_kind, subject(delivery.digest), digest_text(delivery.digest)
        ),
    )


def post_json(url, payload):
    """POST one JSON message to a group robot (the digests' and the event notices'); raises
    ``DeliveryError`` on any refusal.

    The address is checked again at send time (it may have been stored before the rules, and a
    name may resolve elsewhere today), then the connection goes to the very address that was
    checked; a redirect is an error, never followed (issue #13).
    """
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    try:
        target = webhook_target(url)
    except WebhookRefused as refused:
        raise DeliveryError(str(refused)) from refused
    timeout = settings.REMINDER_WEBHOOK_TIMEOUT
    if target.scheme == "https":
        connection = _PinnedHTTPS(target.host, target.port, target.address, timeout=timeout)
    else:
        connection = _PinnedHTTP(target.host, target.port, target.address, timeout=timeout)
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        response = connection.getresponse()
        answer = response.read(65536)
    except (OSError, http.client.HTTPException) as error:
        raise DeliveryError(str(error) or type(error).__name__) from error
    finally:
        connection.close()
    if response.status != 200:
        raise DeliveryError(f"HTTP {response.status}")
    # Both robots answer 200 with {"errcode": 0, ...}; anything else is a refusal.
    try:
        errcode = json.loads(answer or b"{}").get("errcode", 0)
    except ValueError:
        errcode = 0
    if errcode:
        raise DeliveryError(answer.decode("utf-8", "replace")[:500])


# -- where a group robot may be: the allow-list, https, public addresses only --------------------
class WebhookRefused(ValueError):
    """The address is not one the portal posts to; the message is for the administrator."""


@dataclass(frozen=True)
class WebhookTarget:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the checked IP the connection goes to


def _is_test_robot(parts):
    return (
        settings.REMINDER_WEBHOOK_TEST_ROBOTS
        and parts.scheme == "http"
        and parts.hostname == "127.0.0.1"
    )


def webhook_target(url):
    """Check ``url`` against the rules and resolve it; raise WebhookRefused (Chinese)."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise WebhookRefused(_("群机器人地址格式不正确。")) from None
    host = (parts.hostname or "").rstrip(".").lower()
    test_robot = _is_test_robot(parts)
    if parts.scheme != "https" and not test_robot:
        raise WebhookRefused(_("群机器人地址必须以 https:// 开头。"))
    if parts.username or parts.password:
        raise WebhookRefused(_("群机器人地址不能包含用户名或密码。"))
    allowed = {name.lower() for name in settings.REMINDER_WEBHOOK_HOSTS}
    if host not in allowed and not test_robot:
        raise WebhookRefused(
            _("只能使用钉钉或企业微信群机器人的地址（%(hosts)s）。")
            % {"hosts": "、".join(sorted(allowed))}
        )
    port = port or (443 if parts.scheme == "https" else 80)
    if port != 443 and not test_robot:
        raise WebhookRefused(_("群机器人地址不能指定其他端口。"))
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise WebhookRefused(_("无法解析群机器人地址中的主机名，请检查网络或地址。")) from None
    addresses = sorted({info[4][0] for info in infos})
    if not addresses:
        raise WebhookRefused(_("无法解析群机器人地址中的主机名，请检查网络或地址。"))
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if getattr(ip, "ipv4_mapped", None):
            ip = ip.ipv4_mapped
        if not ip.is_global and not (test_robot and ip.is_loopback):
            raise WebhookRefused(
                _("群机器人地址指向内网、本机或保留地址（%(ip)s），出于安全原因不予使用。")
                % {"ip": address}
            )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return WebhookTarget(parts.scheme, host, port, path, addresses[0])


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the checked address, whatever the name resolves to by now."""

    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


SENDERS = {Channel.EMAIL: send_email, Channel.WEBHOOK: send_webhook}


def send(delivery):
    SENDERS[delivery.channel](delivery)
