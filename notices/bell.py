"""The navbar bell's counts, kept per person in the shared cache (``PERSON_CACHE``).

Every signed-in page shows the bell, and its two counting queries are the same until the
person's digests or notices change. The counts are kept under the person's key and forgotten
when that happens: rows stored or marked read in bulk (``notices.services``, ``notices.batches``)
forget their recipients when the transaction commits; a row saved or deleted one by one forgets
its recipient through the signals connected in ``apps.py``. An entry lives a minute at most, so
that anything that slips past (a count read while a change was committing, a database console)
reaches the bell within a minute, as the bell's own polling would.
"""

from django.db import transaction

from common import shared_cache

TIMEOUT = 60


def _key(user_id):
    return f"bell:{user_id}"


enabled = shared_cache.enabled


def state(user, compute):
    """``compute(user)``, or what it answered last for this person while nothing changed."""
    if not enabled():
        return compute(user)
    key = _key(user.pk)
    found = shared_cache.call("get", key)
    if found is None:
        found = compute(user)
        shared_cache.call("set", key, found, TIMEOUT)
    return found


def forget(user_ids):
    """Forget these people's counts, now and when the transaction commits."""
    if not enabled():
        return
    keys = [_key(pk) for pk in set(user_ids) if pk]
    if not keys:
        return
    shared_cache.call("delete_many", keys)
    transaction.on_commit(lambda: shared_cache.call("delete_many", keys))


def forget_recipient(sender, instance=None, **kwargs):
    if instance is not None and instance.recipient_id:
        forget([instance.recipient_id])
