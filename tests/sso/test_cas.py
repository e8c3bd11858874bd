"""CAS sign-on against a small CAS server speaking the real protocol (tests/sso/cas_server.py)."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accountability.models import Role, RoleAssignment, User
from audit.models import AuditEvent
from sso.models import CasSession, DirectoryRoleMapping, DirectoryUnitMapping

from .cas_server import CASServer
from .slapd import free_port

SERVICE = "http://testserver" + reverse("sso:cas-callback")


@pytest.fixture(scope="session")
def cas_server():
    server = CASServer().start()
    yield server
    server.stop()


def configure_cas(settings, url, version="3"):
    settings.CAS_SERVER_URL = url
    settings.CAS_VERSION = version
    settings.CAS_SERVER_TIMEOUT = 1.0
    settings.SSO_ORGANISATION = "test"
    settings.AUTHENTICATION_BACKENDS = [
        "audit.backends.LoginThrottleBackend",
        "sso.backends.PortalCASBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]


@pytest.fixture(params=["3", "2"])
def cas(request, world, cas_server, settings):
    configure_cas(settings, cas_server.url, request.param)
    DirectoryRoleMapping.objects.create(
        organisation=world.org, group="chuzhang", role=Role.UNIT_HEAD
    )
    DirectoryRoleMapping.objects.create(organisation=world.org, group="dangban", role=Role.OFFICE)
    DirectoryRoleMapping.objects.create(organisation=world.org, group="xitong", role=Role.ADMIN)
    DirectoryRoleMapping.objects.create(
        organisation=world.org, group="anquan", role=Role.SECURITY_ADMIN
    )
    DirectoryUnitMapping.objects.create(
        organisation=world.org, attribute="ou", value="党办", unit=world.root
    )
    cas_server.user = "zhangsan"
    cas_server.version = request.param
    return cas_server


def through_cas(client, server, next_url="/a/records/"):
    """Click the button, let the CAS server sign the person in, come back with the ticket."""
    response = client.get(reverse("sso:cas-login"), {"next": next_url})
    assert response.status_code == 302
    assert response["Location"].startswith(server.url + "login?service=")
    back = requests.get(response["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302
    callback = urlsplit(back.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}"), callback


def roles(user):
    return set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))


def test_a_person_signs_in_through_cas_with_unit_and_roles(client, world, cas):
    response, _ = through_cas(client, cas)
    assert response.status_code == 302
    assert response["Location"] == "/a/records/"
    user = User.objects.get(username="zhangsan")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert user.full_name == "张三"
    assert user.unit == world.works
    assert user.organisation == world.org
    assert roles(user) == {Role.UNIT_HEAD}
    assert client.get("/a/records/").status_code == 200
    expected = "/cas/p3/serviceValidate" if cas.version == "3" else "/cas/serviceValidate"
    assert cas.validated_at[-1] == expected


def test_cas_roles_keep_the_administrators_separate(client, world, cas):
    cas.user = "wangwu"
    through_cas(client, cas)
    user = User.objects.get(username="wangwu")
    assert user.unit == world.root
    assert roles(user) == {Role.OFFICE, Role.ADMIN}


def test_a_replayed_ticket_signs_nobody_in(client, world, cas):
    response, callback = through_cas(client, cas)
    assert response.status_code == 302
    replay = Client()
    response = replay.get(f"{callback.path}?{callback.query}", follow=True)
    assert "_auth_user_id" not in replay.session
    assert "统一身份认证未通过" in response.content.decode()


def test_a_ticket_for_another_service_signs_nobody_in(client, world, cas):
    ticket = cas.issue("zhangsan", "http://other-system.example/cas/callback")
    response = client.get(reverse("sso:cas-callback"), {"ticket": ticket}, follow=True)
    assert "_auth_user_id" not in client.session
    assert "统一身份认证未通过" in response.content.decode()
    assert not User.objects.filter(username="zhangsan").exists()


@pytest.mark.parametrize("ticket", ["", "ST-forged", "<script>", "x" * 5000, "' OR 1=1 --"])
def test_bad_tickets_sign_nobody_in(client, world, cas, ticket):
    response = client.get(reverse("sso:cas-callback"), {"ticket": ticket}, follow=True)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "统一身份认证未通过" in response.content.decode()


def test_an_unreachable_cas_server_says_so_quickly(client, world, settings):
    configure_cas(settings, f"http://127.0.0.1:{free_port()}/cas/")
    started = time.monotonic()
    response = client.get(reverse("sso:cas-callback"), {"ticket": "ST-1"}, follow=True)
    assert time.monotonic() - started < 3
    assert "统一身份认证平台暂时无法连接" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_next_page_must_be_on_this_site(client, world, cas):
    response, _ = through_cas(client, cas, next_url="https://evil.example/steal")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_the_login_page_offers_the_cas_button_only_when_configured(client, settings, db):
    settings.CAS_SERVER_URL = ""
    assert "统一身份认证登录" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("sso:cas-login")).status_code == 404
    settings.CAS_SERVER_URL = "http://127.0.0.1:1/cas/"
    assert "统一身份认证登录" in client.get(reverse("login")).content.decode()


# -- single logout (#14) ----------------------------------------------------------------------
def _ticket(callback):
    return dict(pair.split("=", 1) for pair in callback.query.split("&"))["ticket"]


def test_the_cas_servers_logout_request_ends_the_session(client, world, cas):
    response, callback = through_cas(client, cas)
    assert client.get("/a/records/").status_code == 200
    session_key = client.session.session_key
    answer = cas.single_logout(Client(), callback.path, _ticket(callback))
    assert answer.status_code == 200
    assert not Session.objects.filter(session_key=session_key).exists()
    assert not CasSession.objects.exists()
    response = client.get("/a/records/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    event = AuditEvent.objects.filter(action="logout").get()
    assert (event.username, event.detail) == ("zhangsan", "CAS single logout")


@pytest.mark.parametrize("ticket", ["ST-forged", "", "ST-" + "9" * 24])
def test_an_unknown_ticket_in_a_logout_request_changes_nothing(client, world, cas, ticket):
    response, callback = through_cas(client, cas)
    answer = cas.single_logout(Client(), callback.path, ticket)
    assert answer.status_code == 200
    assert client.get("/a/records/").status_code == 200
    assert CasSession.objects.count() == 1
    assert not AuditEvent.objects.filter(action="logout").exists()


@pytest.mark.parametrize(
    "body",
    [
        "not xml",
        '<!DOCTYPE x [<!ENTITY a "ST-1">]><x>&a;</x>',
        "<x>" + "y" * 20_000 + "</x>",
    ],
)
def test_a_malformed_logout_request_is_refused_and_changes_nothing(client, world, cas, body):
    response, callback = through_cas(client, cas)
    answer = Client().post(callback.path, {"logoutRequest": body})
    assert answer.status_code == 400
    assert client.get("/a/records/").status_code == 200
    assert CasSession.objects.count() == 1


def test_the_logout_request_ends_only_the_named_session(world, cas):
    first, second = Client(), Client()
    _, callback = through_cas(first, cas)
    through_cas(second, cas)
    cas.single_logout(Client(), callback.path, _ticket(callback))
    assert first.get("/a/records/").status_code == 302
    assert second.get("/a/records/").status_code == 200


def test_the_portals_logout_signs_a_cas_person_out_of_cas_too(client, world, cas):
    through_cas(client, cas)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    logout = urlsplit(response["Location"])
    assert f"{logout.scheme}://{logout.netloc}{logout.path}" == cas.url + "logout"
    parameter = "service" if cas.version == "3" else "url"
    assert parse_qs(logout.query)[parameter] == ["http://testserver" + reverse("login")]
    assert "_auth_user_id" not in client.session
    assert not CasSession.objects.exists()
    requests.get(response["Location"], timeout=5)
    assert cas.logouts[-1][parameter] == "http://testserver" + reverse("login")


def test_a_local_persons_logout_stays_on_the_portal(client, world, cas):
    client.post(reverse("login"), {"username": world.office.username, "password": world.password})
    assert client.get("/a/records/").status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


def test_the_tickets_of_ended_sessions_are_forgotten_at_the_next_cas_login(world, cas):
    first = Client()
    through_cas(first, cas)
    Session.objects.all().delete()  # expired, say
    through_cas(Client(), cas)
    assert CasSession.objects.count() == 1
