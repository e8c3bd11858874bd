"""Failed-login throttling (issue 13, hole 1 and two near-misses).

No successful login resets another account's failures; the name is normalised as the login
normalises it; the client address comes through a configured number of trusted proxies; the
delays grow per account and per address, and a stranger cannot lock a leader out for long.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import LoginThrottle

LOGIN = reverse("login")
LOCKED = "登录已暂时锁定"


def attempt(client, username, password, addr="10.1.1.1", **extra):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=addr, **extra
    )


def logged_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def limits(settings):
    settings.LOGIN_ACCOUNT_FREE_FAILURES = 5
    settings.LOGIN_ADDRESS_FREE_FAILURES = 20
    return settings


@pytest.mark.django_db
class TestNoResetByAnotherAccount:
    def test_a_colleagues_success_does_not_reset_the_leaders_failures(self, world, limits):
        # Four wrong passwords for the leader, then a success as oneself, ten times over.
        guesses = 0
        for _round in range(3):
            for _ in range(4):
                attempt(Client(), "leader", "wrong")
                guesses += 1
            own = Client()
            attempt(own, "head", world.password)
            assert logged_in(own)
        # 12 wrong passwords were counted against the leader: the account is held back now.
        client = Client()
        response = attempt(client, "leader", world.password)
        assert LOCKED in response.content.decode()
        assert not logged_in(client)

    def test_own_success_resets_only_own_account(self, world, limits):
        for _ in range(3):
            attempt(Client(), "head", "wrong")
        attempt(Client(), "leader", "wrong")
        attempt(Client(), "head", world.password)
        assert not LoginThrottle.objects.filter(kind="account", key="head").exists()
        assert LoginThrottle.objects.get(kind="account", key="leader").failures == 1
        # The address keeps every failure it made.
        assert LoginThrottle.objects.get(kind="address", key="10.1.1.1").failures == 4


@pytest.mark.django_db
class TestNormalisedName:
    @pytest.mark.parametrize("typed", ["LEADER", " leader", "Leader  "])
    def test_a_locked_account_is_locked_whatever_the_case_or_spaces(self, world, limits, typed):
        for _ in range(6):
            attempt(Client(), "leader", "wrong", addr="10.2.2.2")
        client = Client()
        response = attempt(client, typed, world.password, addr="10.3.3.3")
        assert LOCKED in response.content.decode()
        assert not logged_in(client)

    def test_failures_in_any_spelling_count_for_one_account(self, world, limits):
        for typed in ("leader", "LEADER", " Leader "):
            attempt(Client(), typed, "wrong")
        assert LoginThrottle.objects.get(kind="account", key="leader").failures == 3


@pytest.mark.django_db
class TestGrowingDelays:
    def test_failures_below_the_threshold_cost_nothing(self, world, limits):
        for _ in range(4):
            attempt(Client(), "leader", "wrong")
        client = Client()
        attempt(client, "leader", world.password)
        assert logged_in(client)

    def test_the_wait_doubles_with_each_failure_past_the_threshold(self, world, limits):
        for _ in range(5):
            attempt(Client(), "leader", "wrong")
        row = LoginThrottle.objects.get(kind="account", key="leader")
        first = row.locked_until - row.last_failure_at
        # Wait out the delay, fail once more: the next wait is twice as long.
        LoginThrottle.objects.filter(pk=row.pk).update(locked_until=timezone.now())
        attempt(Client(), "leader", "wrong")
        row.refresh_from_db()
        second = row.locked_until - row.last_failure_at
        assert second == 2 * first

    def test_attempts_while_held_back_are_refused_without_checking_the_password(
        self, world, limits
    ):
        for _ in range(5):
            attempt(Client(), "leader", "wrong")
        before = LoginThrottle.objects.get(kind="account", key="leader")
        for password in ("wrong", world.password):
            response = attempt(Client(), "leader", password)
            assert response.status_code == 429
            assert LOCKED in response.content.decode()
            assert "请在" in response.content.decode()  # says how long, in Chinese
        after = LoginThrottle.objects.get(kind="account", key="leader")
        assert (after.failures, after.locked_until) == (before.failures, before.locked_until)

    def test_a_stranger_cannot_hold_a_leader_out_for_long(self, world, limits, settings):
        # However many failures, the account's wait never passes the cap (15 minutes).
        for _ in range(5):
            attempt(Client(), "leader", "wrong", addr="10.9.9.9")
        for _ in range(20):
            LoginThrottle.objects.filter(kind="account").update(locked_until=timezone.now())
            attempt(Client(), "leader", "wrong", addr="10.9.9.9")
        row = LoginThrottle.objects.get(kind="account", key="leader")
        assert row.locked_until - timezone.now() <= datetime.timedelta(
            seconds=settings.LOGIN_ACCOUNT_MAX_DELAY
        )
        assert settings.LOGIN_ACCOUNT_MAX_DELAY <= 15 * 60
        # And when the wait is over, the right password logs the leader in.
        LoginThrottle.objects.filter(kind="account").update(locked_until=timezone.now())
        client = Client()
        attempt(client, "leader", world.password, addr="10.8.8.8")
        assert logged_in(client)

    def test_one_address_guessing_many_accounts_is_held_back(self, world, limits):
        names = [f"nobody{n}" for n in range(20)]
        for name in names:
            attempt(Client(), name, "wrong", addr="10.5.5.5")
        client = Client()
        response = attempt(client, "office", world.password, addr="10.5.5.5")
        assert LOCKED in response.content.decode()
        assert not logged_in(client)
        # Another address is not affected.
        client = Client()
        attempt(client, "office", world.password, addr="10.6.6.6")
        assert logged_in(client)


@pytest.mark.django_db
class TestTrustedProxies:
    def test_without_trusted_proxies_a_forwarded_header_is_ignored(self, world, limits, settings):
        settings.TRUSTED_PROXY_COUNT = 0
        for n in range(20):
            attempt(Client(), f"x{n}", "wrong", addr="10.7.7.7", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}")
        assert LoginThrottle.objects.get(kind="address", key="10.7.7.7").failures == 20

    def test_behind_one_proxy_the_forwarded_client_address_counts(self, world, limits, settings):
        settings.TRUSTED_PROXY_COUNT = 1
        for n in range(3):
            # What the client sent itself (spoofed) comes first; the proxy appends the real one.
            attempt(
                Client(),
                f"x{n}",
                "wrong",
                addr="172.18.0.5",
                HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 203.0.113.7",
            )
        assert LoginThrottle.objects.get(kind="address", key="203.0.113.7").failures == 3
        assert not LoginThrottle.objects.filter(key="172.18.0.5").exists()
        assert not LoginThrottle.objects.filter(key__startswith="6.6.6.").exists()


@pytest.mark.django_db
def test_the_admin_login_is_throttled_too(world, limits):
    url = reverse("admin:login")
    for _ in range(5):
        Client().post(url, {"username": "admin", "password": "wrong"}, REMOTE_ADDR="10.4.4.4")
    client = Client()
    response = client.post(url, {"username": "admin", "password": world.password})
    assert LOCKED in response.content.decode()
    assert not logged_in(client)
