"""Personal API tokens: made and revoked by their owner, shown once, kept only as a digest."""

import hashlib
import json
import re

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.urls import reverse

from api.models import ApiToken
from api.throttling import FailedTokenThrottle, PortalApiThrottle

TOKENS = "/accounts/tokens/"


def created_token(response):
    match = re.search(r'id="new-token">(zt_[^<]+)</code>', response.content.decode())
    assert match, "the new token is shown on the page"
    return match.group(1)


def test_a_person_creates_a_token_that_is_shown_once_and_stored_hashed(world, client):
    client.force_login(world.head)
    response = client.post(TOKENS, {"name": "OA 同步", "expires_in": "30"})
    assert response.status_code == 200
    raw = created_token(response)
    token = ApiToken.objects.get(user=world.head)
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(token.display_prefix) and raw not in json.dumps(
        list(ApiToken.objects.values()), default=str
    )
    assert token.expires_at is not None
    again = client.get(TOKENS).content.decode()
    assert raw not in again and token.display_prefix in again and "OA 同步" in again
    api = client.__class__(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/work-records/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert "从未使用" not in client.get(TOKENS).content.decode()


def test_a_token_needs_a_name(world, client):
    client.force_login(world.head)
    response = client.post(TOKENS, {"name": "  ", "expires_in": ""})
    assert "请填写令牌的用途" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_owner_revokes_a_token_and_it_stops_working(world, client):
    client.force_login(world.head)
    raw = created_token(client.post(TOKENS, {"name": "脚本", "expires_in": ""}))
    token = ApiToken.objects.get(user=world.head)
    response = client.post(reverse("tokens:apitoken-revoke", args=[token.pk]))
    assert response.status_code == 302
    api = client.__class__(HTTP_AUTHORIZATION=f"Bearer {raw}")
    refused = api.get("/api/v1/work-records/")
    assert refused.status_code == 401 and "已撤销" in json.loads(refused.content)["detail"]


def test_nobody_else_can_revoke_or_see_a_persons_token(world, client):
    client.force_login(world.head)
    client.post(TOKENS, {"name": "张处长的令牌", "expires_in": ""})
    token = ApiToken.objects.get(user=world.head)
    client.force_login(world.office)
    assert "张处长的令牌" not in client.get(TOKENS).content.decode()
    response = client.post(reverse("tokens:apitoken-revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_token_page_needs_a_login(db, client):
    response = client.get(TOKENS)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_guessing_tokens_is_throttled_per_address(world, client, settings, monkeypatch):
    monkeypatch.setattr(FailedTokenThrottle, "cache", LocMemCache("refused-test", {}))
    settings.API_ANON_THROTTLE_RATE = "2/min"
    guess = client.__class__(HTTP_AUTHORIZATION="Bearer zt_00000000_guess")
    answers = [guess.get("/api/v1/units/").status_code for _n in range(3)]
    assert answers == [401, 401, 429]
    assert "请求过于频繁" in json.loads(guess.get("/api/v1/units/").content)["detail"]


def test_the_api_is_throttled_per_person_with_a_chinese_429(world, client, settings, monkeypatch):
    # A private cache, so that no other test's requests count against this one.
    monkeypatch.setattr(PortalApiThrottle, "cache", LocMemCache("throttle-test", {}))
    settings.API_THROTTLE_RATE = "3/min"
    client.force_login(world.head)
    answers = [client.get("/api/v1/units/").status_code for _n in range(4)]
    assert answers == [200, 200, 200, 429]
    response = client.get("/api/v1/units/")
    assert "请求过于频繁" in json.loads(response.content)["detail"]
    assert int(response["Retry-After"]) > 0
    client.force_login(world.office)  # another person has their own allowance
    assert client.get("/api/v1/units/").status_code == 200
    assert caches["default"]  # the real throttle uses the shared cache (Redis in tests)
