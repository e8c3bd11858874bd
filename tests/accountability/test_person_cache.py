"""The signed-in person, their scope and their bell kept between requests (PERSON_CACHE).

Every change to an account, a role, a unit or an organisation, and every notice, must be seen
on the very next request; what did not change is not read from the database again.
"""

import pickle
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.models import Role, RoleAssignment
from notices import batches
from notices.models import Notice
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

# What every signed-in page did before: save the session, read the person, their roles and
# units, the bell. (The session itself is read from PostgreSQL on every request.)
PER_REQUEST_READS = (
    'UPDATE "django_session"',
    'FROM "accountability_user" WHERE "accountability_user"."id" =',
    'FROM "accountability_roleassignment"',
    'FROM "reminders_digest"',
    'FROM "reminders_notice"',
)


def tables_read(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    sql = " ".join(query["sql"] for query in captured)
    return {read for read in PER_REQUEST_READS if read in sql}


def test_a_second_page_reads_no_person_scope_session_or_bell(login, world, settings):
    assert settings.PERSON_CACHE
    client = login(world.head)
    client.get(reverse("home"))
    assert tables_read(client, reverse("home")) == set()


def test_no_password_hash_is_put_in_the_cache(login, world):
    from django.core.cache import cache

    from accountability.person_cache import _user_key

    client = login(world.head)
    client.get(reverse("home"))
    _generation, (user, session_hash) = cache.get(_user_key(world.head.pk))
    assert user.pk == world.head.pk and session_hash
    assert "password" not in vars(user)
    assert world.head.password.encode() not in pickle.dumps(cache.get(_user_key(world.head.pk)))
    # The cached person still changes a password as Django does (the field loads on demand).
    user.set_password("Another@2026")
    user.save()
    world.head.refresh_from_db()
    assert world.head.check_password("Another@2026")


def test_without_a_shared_cache_every_page_reads_them(login, world, settings):
    settings.PERSON_CACHE = False
    client = login(world.head)
    client.get(reverse("home"))
    assert tables_read(client, reverse("home")) == set(PER_REQUEST_READS) - {
        'UPDATE "django_session"'  # saved at most once a minute, cache or not
    }


class Unreachable:
    """A cache client whose server does not answer."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        return fail


@pytest.fixture
def breaker():
    from common import shared_cache

    shared_cache.reset()
    yield shared_cache
    shared_cache.reset()


def test_pages_work_from_the_database_while_the_cache_is_down(login, world, monkeypatch, breaker):
    client = login(world.office)
    assert Role.OFFICE in scope_of(client).role_set  # kept in the cache
    with monkeypatch.context() as down:
        down.setattr(breaker, "cache", Unreachable())
        # The role goes while nothing can retire the cached scope: the page reads the database.
        RoleAssignment.objects.filter(user=world.office, role=Role.OFFICE).delete()
        assert Role.OFFICE not in scope_of(client).role_set
        assert unread(client) == 0
    # Back: the first answer re-issues the generation, so the scope kept before is not used.
    breaker._down_until = 0.0
    assert Role.OFFICE not in scope_of(client).role_set
    assert Role.OFFICE not in scope_of(client).role_set


def scope_of(client):
    return client.get(reverse("home")).context["scope"]


def test_a_role_taken_away_is_gone_on_the_next_request(login, world):
    client = login(world.office)
    assert Role.OFFICE in scope_of(client).role_set
    RoleAssignment.objects.filter(user=world.office, role=Role.OFFICE).delete()
    assert Role.OFFICE not in scope_of(client).role_set


def test_a_unit_given_to_a_head_is_theirs_on_the_next_request(login, world):
    client = login(world.head)
    assert scope_of(client).can_write_unit(world.works)
    new = UnitFactory(organisation=world.org, parent=world.root, name="新设处室")
    assert not scope_of(client).can_write_unit(new)
    new.head = world.head
    new.save()
    assert scope_of(client).can_write_unit(new)


def test_a_password_changed_elsewhere_ends_the_session(login, world):
    client = login(world.head)
    assert client.get(reverse("home")).status_code == 200
    world.head.set_password("Another@2026")
    world.head.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.fixture
def no_broker(monkeypatch):
    """Deliveries are recorded, not handed to a broker."""
    monkeypatch.setattr(batches, "enqueue", lambda ids, eta=None: None)


def unread(client):
    """The count the bell shows (0: no count on it)."""
    html = client.get(reverse("reminders:bell")).content.decode()
    found = re.search(r'data-testid="reminder-bell-count">(\d+)<', html)
    return int(found.group(1)) if found else 0


def test_the_bell_counts_a_new_notice_and_a_read_one_at_once(login, world, no_broker):
    client = login(world.head)
    assert unread(client) == 0
    batches.notify(
        recipients=[world.head.pk],
        kind=Notice.Kind.LETTER_ISSUED,
        key="letter-issued:1",
        text="责任书已下发",
        organisation_id=world.org.pk,
    )
    assert unread(client) == 1
    notice = Notice.objects.get(recipient=world.head)
    client.post(reverse("reminders:notice-read", args=[notice.pk]))
    assert unread(client) == 0
