"""Group-robot webhooks: only the allow-listed hosts, over https, at public addresses, no
redirect followed, and Markdown that a title cannot turn into a link or an image (issue #13)."""

import socket
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.urls import reverse

from deadlines import services as sweeps
from notices import channels
from notices import services as deliveries
from notices.models import Delivery, Level, ReminderPolicy
from tests.notices.test_views import policy_data

from .conftest import item

DAY = date(2026, 11, 24)
PUBLIC_IP = "106.11.23.1"


@pytest.fixture
def strict(settings):
    """Production rules: no fake robot on 127.0.0.1."""
    settings.REMINDER_WEBHOOK_TEST_ROBOTS = False
    settings.REMINDER_WEBHOOK_HOSTS = ["oapi.dingtalk.com", "qyapi.weixin.qq.com"]


@pytest.fixture
def dns(monkeypatch):
    """Every name resolves to what the test says (no network needed)."""
    answers = {}

    def getaddrinfo(host, port, *args, **kwargs):
        address = answers.get(host, PUBLIC_IP)
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


def _post_policy(login, world, url):
    return login(world.admin).post(
        reverse("reminders:policy-update", args=[world.org.pk]),
        policy_data(webhook_enabled="on", webhook_url=url),
    )


@pytest.mark.parametrize(
    ("url", "resolves_to", "message"),
    [
        ("http://127.0.0.1:8080/robot/send", None, "https://"),
        ("https://127.0.0.1/robot/send", None, "只能使用钉钉或企业微信"),
        ("https://intranet.example.org/send", None, "只能使用钉钉或企业微信"),
        ("http://oapi.dingtalk.com/robot/send?access_token=x", None, "https://"),
        ("https://oapi.dingtalk.com:8443/robot/send", None, "其他端口"),
        ("https://u:p@oapi.dingtalk.com/robot/send", None, "用户名或密码"),
        ("https://oapi.dingtalk.com/robot/send", "10.1.2.3", "内网"),
        ("https://oapi.dingtalk.com/robot/send", "127.0.0.1", "内网"),
        ("https://oapi.dingtalk.com/robot/send", "169.254.169.254", "内网"),
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send", "::1", "内网"),
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send", "fd00::1", "内网"),
    ],
)
def test_the_policy_form_refuses_a_robot_address_outside_the_rules(
    login, world, strict, dns, url, resolves_to, message
):
    if resolves_to:
        dns[url.split("/")[2].split(":")[0]] = resolves_to
    response = _post_policy(login, world, url)
    assert response.status_code == 200
    assert message in response.text
    assert not ReminderPolicy.objects.exists()


def test_the_policy_form_takes_a_dingtalk_robot(login, world, strict, dns):
    url = "https://oapi.dingtalk.com/robot/send?access_token=abc"
    response = _post_policy(login, world, url)
    assert response.status_code == 302
    assert ReminderPolicy.objects.get().webhook_url == url


def _sweep_with_robot(world, fake_items, monkeypatch, url):
    monkeypatch.setattr(deliveries, "enqueue_deliveries", lambda ids: None)
    ReminderPolicy.objects.update_or_create(
        organisation=world.org, defaults={"webhook_enabled": True, "webhook_url": url}
    )
    fake_items.append(item(world.org, 1, Level.RED, [world.head]))
    sweeps.reminders_sweep(day=DAY)
    deliveries.deliveries_deliver_pending(inline=True)


def test_a_stored_loopback_address_is_refused_again_at_send_time(
    world, fake_items, robot, monkeypatch, strict
):
    """An address saved before the rules (or by another path) is still never posted to."""
    _sweep_with_robot(world, fake_items, monkeypatch, robot.url)
    assert robot.received == []
    delivery = Delivery.objects.get(channel="webhook")
    assert delivery.state != Delivery.State.SENT


class _Redirecting:
    """A robot that answers 302 to another local server, which records what reaches it."""

    def __init__(self):
        self.reached = []
        seen = self.reached

        class Target(BaseHTTPRequestHandler):
            def do_GET(self):
                seen.append(self.path)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b'{"errcode": 0}')

            do_POST = do_GET

            def log_message(self, *args):
                pass

        self.target = HTTPServer(("127.0.0.1", 0), Target)
        location = f"http://127.0.0.1:{self.target.server_port}/internal"

        class Redirect(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.redirect = HTTPServer(("127.0.0.1", 0), Redirect)
        self.url = f"http://127.0.0.1:{self.redirect.server_port}/robot/send"
        for server in (self.target, self.redirect):
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def close(self):
        for server in (self.target, self.redirect):
            server.shutdown()
            server.server_close()


def test_a_redirect_is_never_followed(world, fake_items, monkeypatch):
    robot = _Redirecting()
    try:
        _sweep_with_robot(world, fake_items, monkeypatch, robot.url)
    finally:
        robot.close()
    assert robot.reached == []
    delivery = Delivery.objects.get(channel="webhook")
    assert delivery.state != Delivery.State.SENT
    assert "302" in delivery.last_error


@pytest.mark.parametrize(
    "title",
    [
        "[点此领取](http://evil.example/login)",
        "![](http://evil.example/track.png)",
        '<img src="http://evil.example/t.png">',
        "<font color=red>假通知</font>",
    ],
)
@pytest.mark.parametrize("kind", list(ReminderPolicy.WebhookKind))
def test_a_title_cannot_inject_a_link_or_an_image_into_the_robot_message(title, kind):
    payload = channels.webhook_payload(kind, "【主体责任提醒】", f"- {title}（逾期 3 天）")
    text = payload["markdown"].get("text") or payload["markdown"]["content"]
    for dangerous in ("](", "![", "<img", "<font", "[点此"):
        assert dangerous not in text
    assert channels.markdown_escape(title) in text  # shown as typed, only inert
