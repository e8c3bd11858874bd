"""The signed-in person and their scope, kept in the shared cache between requests.

Every signed-in page needs the person (one query) and their scope (``access.scope_for``: two or
three queries, and the units it reaches on pages that filter by unit). They change when an
account, a role, a unit or an organisation changes, which is rare beside the page views, so
both are kept in the default cache, tagged with the *access generation*: a token that any change
to those four models replaces (``bump``: on save and delete, and again when the change commits).
An entry tagged with an older generation is never used, so a change is seen on the very next
request, on every web machine, and an entry written by a request that read the database while
the change was being committed carries the old token.

Only with a cache every process shares (Redis: production and the PostgreSQL tests;
``PERSON_CACHE``); with a per-process cache (``make run``'s locmem) a change made in one process
would not reach the others, so there the person and the scope are read from the database on
every request, as before.

The session's sign-in check stays whole: the cached person's session hash is compared with the
session's, and anything unusual (no hash, a fallback secret, a person no longer active) goes
through Django's own ``get_user``, which flushes the session when it must.
"""

import time
import uuid

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.core.cache import cache
from django.db import transaction
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

GENERATION_KEY = "access:generation"
TIMEOUT = 60 * 60  # an entry unused for an hour goes; a change retires entries at once anyway
# The session's expiry is pushed forward (saved) at most this often: the idle timeout
# (SESSION_COOKIE_AGE) then counts from the last request to within this many seconds.
SESSION_REFRESH_SECONDS = 60
SEEN_KEY = "_seen"


def enabled() -> bool:
    return getattr(settings, "PERSON_CACHE", False)


def _user_key(user_id):
    return f"access:user:{user_id}"


def _scope_key(user_id):
    return f"access:scope:{user_id}"


def bump(**kwargs):
    """Retire every cached person and scope, now and again when the transaction commits."""
    if not enabled():
        return

    def replace():
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)

    replace()
    transaction.on_commit(replace)


def bump_on_save(sender, instance=None, update_fields=None, **kwargs):
    # Signing in writes last_login only: nothing anybody's scope or session check reads.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    bump()


def _entries(request, user_id):
    """The generation and this person's cached entries, in one round trip per request."""
    found = getattr(request, "_person_cache", None)
    if found is None or found[0] != user_id:
        values = cache.get_many([GENERATION_KEY, _user_key(user_id), _scope_key(user_id)])
        generation = values.get(GENERATION_KEY)
        if generation is None:
            generation = uuid.uuid4().hex
            # Another process may have set one meanwhile: theirs wins, ours is then stale.
            if not cache.add(GENERATION_KEY, generation, None):
                generation = cache.get(GENERATION_KEY, generation)
        found = (user_id, generation, values)
        request._person_cache = found
    _, generation, values = found

    def current(key):
        entry = values.get(key)
        if entry is not None and entry[0] == generation:
            return entry[1]
        return None

    return generation, current(_user_key(user_id)), current(_scope_key(user_id))


def get_user(request):
    """``django.contrib.auth.get_user``, with the person read from the cache when it is there."""
    session = request.session
    user_id = session.get(auth.SESSION_KEY)
    backend_path = session.get(auth.BACKEND_SESSION_KEY)
    if not enabled() or user_id is None or backend_path not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    generation, user, _ = _entries(request, user_id)
    session_hash = session.get(auth.HASH_SESSION_KEY)
    if (
        user is not None
        and user.is_active
        and session_hash
        and constant_time_compare(session_hash, user.get_session_auth_hash())
    ):
        return user
    user = auth.get_user(request)
    if user.is_authenticated and str(user.pk) == str(user_id):
        cache.set(_user_key(user_id), (generation, user), TIMEOUT)
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
            cache.set(_scope_key(user_id), (generation, scope), TIMEOUT)


def refresh_session(request):
    """Push a signed-in session's expiry forward at most once a minute (the idle timeout)."""
    session = request.session
    if session.is_empty():
        return
    now = int(time.time())
    seen = session.get(SEEN_KEY)
    if not isinstance(seen, int) or now - seen >= SESSION_REFRESH_SECONDS or seen > now:
        session[SEEN_KEY] = now


class CachedAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, reading the person through the cache above."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))
        refresh_session(request)
