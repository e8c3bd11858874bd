"""The signed-in person and their scope, kept in the shared cache between requests.

Every signed-in page needs the person (one query) and their scope (``access.scope_for``: two or
three queries, and the units it reaches on pages that filter by unit). They change when an
account, a role, a unit or an organisation changes, which is rare beside the page views, so
both are kept in the default cache, tagged with the *access generation*: a token that any change
to those four models replaces (``bump``: on save and delete, and again when the change commits).
Changes to a work-record kind replace it too: the filter bars name their choice lists of units,
people and kinds by it rather than reading them (common/form_rendering.py filter_fingerprint).
An entry tagged with an older generation is never used, so a change is seen on the very next
request, on every web machine, and an entry written by a request that read the database while
the change was being committed carries the old token.

Only with a cache every process shares (Redis: production and the PostgreSQL tests;
``PERSON_CACHE``); with a per-process cache (``make run``'s locmem) a change made in one process
would not reach the others, so there the person and the scope are read from the database on
every request, as before. A cache that does not answer is skipped (common/shared_cache.py): the
page reads the database. A change made while the cache was unreachable cannot retire entries;
the generation is re-issued when the cache answers again (in the process that saw it fail), and
no entry lives longer than ``TIMEOUT`` in any case.

The session's sign-in check stays whole: the session hash made from the person's password when
they were cached (the password hash itself is never put in the cache) is compared with the
session's, and anything unusual (no hash, a fallback secret, a person no longer active) goes
through Django's own ``get_user``, which flushes the session when it must.
"""

import copy
import time
import uuid

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.db import transaction
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from common import shared_cache

GENERATION_KEY = "access:generation"
# A change retires entries at once; the timeout bounds what a change made while the cache was
# unreachable from some process could leave behind (see ``shared_cache``).
TIMEOUT = 5 * 60
# The session's expiry is pushed forward (saved) at most this often: the idle timeout
# (SESSION_COOKIE_AGE) then counts from the last request to within this many seconds.
SESSION_REFRESH_SECONDS = 60
SEEN_KEY = "_seen"


enabled = shared_cache.enabled


def _user_key(user_id):
    return f"access:user:{user_id}"


def _scope_key(user_id):
    return f"access:scope:{user_id}"


def bump(**kwargs):
    """Retire every cached person and scope, now and again when the transaction commits."""
    if not enabled():
        return
    replace_generation()
    transaction.on_commit(replace_generation)


@shared_cache.on_recovery
def replace_generation():
    """A new generation. Also when the cache answers again after failing in this process: a
    change made meanwhile could not retire the entries it held."""
    shared_cache.call("set", GENERATION_KEY, uuid.uuid4().hex, None)


def bump_on_save(sender, instance=None, update_fields=None, **kwargs):
    # Signing in writes last_login only: nothing anybody's scope or session check reads.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    bump()


def _generation(values):
    """The current generation from ``values`` (a get_many), or None when there is none to trust."""
    if values is None:  # the cache did not answer: nothing is read from it or kept in it
        return None
    if GENERATION_KEY in values:
        return values[GENERATION_KEY]
    fresh = uuid.uuid4().hex  # none yet (a new cache, an evicted key)
    if shared_cache.call("add", GENERATION_KEY, fresh, None, fallback=False):
        return fresh
    # Another process set one meanwhile: theirs.
    return shared_cache.call("get", GENERATION_KEY, fallback=None)


def _entries(request, user_id):
    """The generation and this person's cached entries, in one round trip per request."""
    found = getattr(request, "_person_cache", None)
    if found is None or found[0] != user_id:
        keys = [GENERATION_KEY, _user_key(user_id), _scope_key(user_id)]
        values = shared_cache.call("get_many", keys, fallback=None)
        found = (user_id, _generation(values), values or {})
        request._person_cache = found
        # Also what the filter bars' cached fragments are named by (common/form_rendering.py
        # filter_fingerprint): their choice lists change only with the rows that replace it.
        request.access_generation = found[1]
    _, generation, values = found

    def current(key):
        entry = values.get(key)
        if generation is not None and entry is not None and entry[0] == generation:
            return entry[1]
        return None

    return generation, current(_user_key(user_id)), current(_scope_key(user_id))


def _keep(key, generation, value):
    if generation is not None:
        shared_cache.call("set", key, (generation, value), TIMEOUT)


def get_user(request):
    """``django.contrib.auth.get_user``, with the person read from the cache when it is there."""
    session = request.session
    user_id = session.get(auth.SESSION_KEY)
    backend_path = session.get(auth.BACKEND_SESSION_KEY)
    if not enabled() or user_id is None or backend_path not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    generation, cached, _ = _entries(request, user_id)
    session_hash = session.get(auth.HASH_SESSION_KEY)
    if cached is not None:
        user, auth_hash = cached
        if user.is_active and session_hash and constant_time_compare(session_hash, auth_hash):
            return user
    user = auth.get_user(request)
    if user.is_authenticated and str(user.pk) == str(user_id):
        # The password hash stays in PostgreSQL: the cached copy leaves it out (a deferred
        # field, loaded if anything asks for it) and carries the session hash made from it.
        shell = copy.copy(user)
        shell.__dict__.pop("password", None)
        _keep(_user_key(user_id), generation, (shell, user.get_session_auth_hash()))
    return user


def get_scope(request):
    """The person's scope: cached, or built by ``access.scope_for`` and kept after the request."""
    from .access import scope_for

    user = request.user
    if not enabled() or not user.is_authenticated:
        return scope_for(user)
    generation, _, scope = _entries(request, user.pk)
    known = set()
    if scope is None:
        scope = scope_for(user)
    else:
        known = set(vars(scope))
    # Kept when the response is ready, with whatever the page worked out on the way (the units
    # it reaches, the organisations below: ``Scope``'s cached properties), so that the next page
    # finds them done; kept again when a page works out something new.
    request._scope_to_keep = (user.pk, generation, scope, known)
    return scope


def keep_scope(request):
    pending = getattr(request, "_scope_to_keep", None)
    if pending is not None:
        user_id, generation, scope, known = pending
        if not known or set(vars(scope)) - known:
            _keep(_scope_key(user_id), generation, scope)


def refresh_session(request):
    """Push a signed-in session's expiry forward at most once a minute (the idle timeout)."""
    session = request.session
    if session.is_empty():
        return
    now = int(time.time())
    seen = session.get(SEEN_KEY)
    if not isinstance(seen, int) or now - seen >= SESSION_REFRESH_SECONDS or seen > now:
        session[SEEN_KEY] = now


def seen_at_login(sender, request, user, **kwargs):
    """A new sign-in's session is saved with the login's answer: mark it seen there, so that
    the page after the login does not write it again."""
    if request is not None and hasattr(request, "session"):
        request.session[SEEN_KEY] = int(time.time())


class CachedAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, reading the person through the cache above."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))
        refresh_session(request)
