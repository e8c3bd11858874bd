"""common.sessions: Django's database sessions, read in plain SQL; it must answer as Django's."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from common.sessions import SessionStore

pytestmark = pytest.mark.django_db


def stored(data):
    store = DjangoStore()
    store.update(data)
    store.create()
    store.save()
    return store.session_key


def test_a_live_session_reads_as_djangos_store_reads_it(django_assert_num_queries):
    key = stored({"_auth_user_id": "7", "note": "中文 <b>"})
    with django_assert_num_queries(1):
        ours = SessionStore(key).load()
    assert ours == DjangoStore(key).load() == {"_auth_user_id": "7", "note": "中文 <b>"}
    assert SessionStore(key).session_key == key


@pytest.mark.parametrize("case", ["expired", "unknown", "tampered"])
def test_a_session_that_is_not_live_reads_empty_as_in_django(case):
    key = stored({"_auth_user_id": "7"})
    if case == "expired":
        Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    elif case == "unknown":
        key = "x" * 32
    else:
        Session.objects.filter(pk=key).update(session_data="not-signed:" + "a" * 40)
    ours, django = SessionStore(key), DjangoStore(key)
    assert ours.load() == django.load() == {}
    assert ours.session_key == django.session_key


def test_the_portal_uses_it(client, world):
    client.force_login(world.office)
    assert isinstance(client.session, SessionStore)
    assert client.get("/").status_code == 200
