"""Failed-login throttling: growing waits per account and per address.

Design (README, "Login throttling"):

* Two independent counters of consecutive failures, one per account (the name normalised the
  way the login normalises it: NFKC, surrounding spaces dropped, case folded) and one per client
  address (read through ``TRUSTED_PROXY_COUNT`` proxies).
* Below a threshold a failure costs nothing. From the threshold on, each failure makes the
  counter wait ``base * 2 ** (failures - threshold)`` seconds, capped: an account waits at most
  ``LOGIN_ACCOUNT_MAX_DELAY`` (15 minutes), so a stranger who knows a leader's name can delay
  the leader's next login by minutes, not lock the account for long; an address, which can
  guess across many accounts, has a higher threshold (a whole office may sit behind one NAT
  address) but waits up to an hour.
* While a counter waits, every attempt it covers is refused before any password is checked
  (no oracle, no cost for the server) and counts nothing.
* A successful login clears its own account's counter, nothing else: not the address's, and
  not another account's. Counters are forgotten ``LOGIN_FAILURE_WINDOW`` seconds after their
  last failure.
"""

import datetime
import unicodedata

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from .models import LoginThrottle

Kind = LoginThrottle.Kind


def normalise(username) -> str:
    return unicodedata.normalize("NFKC", str(username or "")).strip().casefold()[:150]


def _rules():
    return {
        Kind.ACCOUNT: (
            settings.LOGIN_ACCOUNT_FREE_FAILURES,
            settings.LOGIN_ACCOUNT_BASE_DELAY,
            settings.LOGIN_ACCOUNT_MAX_DELAY,
        ),
        Kind.ADDRESS: (
            settings.LOGIN_ADDRESS_FREE_FAILURES,
            settings.LOGIN_ADDRESS_BASE_DELAY,
            settings.LOGIN_ADDRESS_MAX_DELAY,
        ),
    }


def delay_for(failures, free, base, cap) -> int:
    """Seconds to wait after ``failures`` consecutive failures (0 below the threshold)."""
    if failures < free:
        return 0
    return min(cap, base * 2 ** min(failures - free, 32))


def _keys(username, address):
    keys = [(Kind.ACCOUNT, normalise(username))]
    if address:
        keys.append((Kind.ADDRESS, address))
    return keys


def held_until(username, address, now=None):
    """When the attempt may be made, if it must wait now; else None."""
    now = now or timezone.now()
    condition = Q()
    for kind, key in _keys(username, address):
        condition |= Q(kind=kind, key=key)
    return LoginThrottle.objects.filter(condition, locked_until__gt=now).aggregate(
        until=Max("locked_until")
    )["until"]


def register_failure(username, address, now=None) -> bool:
    """Count one failure on both counters; True if a counter starts a wait (a lock-out)."""
    now = now or timezone.now()
    window = datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
    rules = _rules()
    locked = False
    with transaction.atomic():
        for kind, key in _keys(username, address):
            row, _created = LoginThrottle.objects.select_for_update().get_or_create(
                kind=kind, key=key, defaults={"last_failure_at": now}
            )
            if now - row.last_failure_at > window:
                row.failures = 0
            row.failures += 1
            row.last_failure_at = now
            seconds = delay_for(row.failures, *rules[kind])
            if seconds:
                row.locked_until = now + datetime.timedelta(seconds=seconds)
                locked = True
            row.save()
    return locked


def register_success(username):
    LoginThrottle.objects.filter(kind=Kind.ACCOUNT, key=normalise(username)).delete()
