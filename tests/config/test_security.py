"""Sessions and response headers that every page gets."""

import pytest
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
        client = login(world.office)
        response = client.get(reverse("home"))
        cookie = response.cookies[settings.SESSION_COOKIE_NAME]
        assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE

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
