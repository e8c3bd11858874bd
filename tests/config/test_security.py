"""Sessions and response headers that every page gets."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse


@pytest.mark.django_db
class TestSessions:
    def test_deactivating_a_user_ends_their_session(self, login, world):
        client = login(world.head)
        assert client.get(reverse("home")).status_code == 200
        world.head.is_active = False
        world.head.save()
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_session_expires_when_idle(self, login, world, settings):
        from accountability.person_cache import SEEN_KEY, SESSION_REFRESH_SECONDS

        client = login(world.office)
        # The login saved the session marked as seen: within the minute no page writes it
        # again, the first one after the login included, and the expiry stands.
        for _page in range(2):
            response = client.get(reverse("home"))
            assert settings.SESSION_COOKIE_NAME not in response.cookies
        # A minute later the next request pushes the expiry forward again.
        session = client.session
        session[SEEN_KEY] -= SESSION_REFRESH_SECONDS
        session.save()
        stored = Session.objects.get(session_key=session.session_key)
        Session.objects.filter(pk=stored.pk).update(
            expire_date=stored.expire_date - timedelta(seconds=SESSION_REFRESH_SECONDS)
        )
        response = client.get(reverse("home"))
        cookie = response.cookies[settings.SESSION_COOKIE_NAME]
        assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE
        assert Session.objects.get(pk=stored.pk).expire_date > stored.expire_date

    def test_post_without_csrf_token_is_refused(self, world):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        response = client.post(reverse("login"), {"username": "office", "password": world.password})
        assert response.status_code == 403
        assert "页面已过期" in response.content.decode()
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
class TestHeaders:
    def test_pages_carry_security_headers(self, login, world):
        response = login(world.office).get(reverse("home"))
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"

    def test_login_page_has_headers_too(self, client, world):
        response = client.get(reverse("login"))
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.django_db
class TestNoStore:
    """Issue 13 near-miss: nothing a signed-in person sees may stay in a cache."""

    def test_authenticated_pages_are_not_stored(self, login, world):
        response = login(world.office).get(reverse("home"))
        assert response["Cache-Control"] == "private, no-store"

    def test_excel_ledgers_are_not_stored(self, login, world):
        response = login(world.office).get(
            reverse("accountability:workrecord-list"), {"export": "xlsx"}
        )
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert response["Cache-Control"] == "private, no-store"

    def test_measure_ledger_export_is_not_stored(self, login, world):
        response = login(world.office).get(
            reverse("rectification:measure-list"), {"export": "xlsx"}
        )
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
class TestErrorPagesUnderDebug:
    """Issue 13 near-miss: `make run` (DEBUG) showed Django's technical 404 with every URL."""

    def test_unknown_url_gives_the_chinese_404_under_debug(self, login, world, settings):
        settings.DEBUG = True
        response = login(world.office).get("/no-such-page/")
        body = response.content.decode()
        assert response.status_code == 404
        assert "页面不存在" in body
        assert "Using the URLconf" not in body and "Page not found" not in body

    def test_http404_in_a_view_gives_the_chinese_404_under_debug(self, login, world, settings):
        settings.DEBUG = True
        response = login(world.office).get(
            reverse("accountability:workrecord-detail", kwargs={"pk": 987654})
        )
        assert response.status_code == 404
        assert "页面不存在" in response.content.decode()
        assert "Page not found" not in response.content.decode()

    def test_a_crash_gives_the_chinese_500_under_debug(self, world, settings):
        from django.test import Client

        settings.DEBUG = True
        settings.ROOT_URLCONF = "tests.config.crash_urls"
        client = Client(raise_request_exception=False)
        response = client.get("/crash/")
        body = response.content.decode()
        assert response.status_code == 500
        assert "Traceback" not in body and "boom" not in body
        assert "系统暂时无法处理您的请求" in body
