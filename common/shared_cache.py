"""The shared cache (Redis) as a speed-up that pages never wait for.

What the portal keeps in the cache between requests (accountability/person_cache.py, the bell's
counts in notices/bell.py) can always be worked out from the database again. So when the cache
does not answer (Redis stopped, frozen, unreachable) a page must not fail and must not wait for
it on every call: the first error (after the client's own short timeouts, production.py) opens
a breaker for ``PAUSE_SECONDS`` in this process, during which every call answers its fallback at
once; then the cache is tried again.

``on_recovery`` callbacks run when the cache answers again after an error in this process: a
change made while it was away could not retire what the cache held (person_cache re-issues its
generation then).
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

PAUSE_SECONDS = 30

_state = threading.local()
_lock = threading.Lock()
_down_until = 0.0
_failed = False
_recovery = []


def enabled() -> bool:
    """Whether what pages work out is kept between requests: only with a cache every process
    shares (``PERSON_CACHE``: Redis in production and the PostgreSQL tests)."""
    return getattr(settings, "PERSON_CACHE", False)


def on_recovery(callback):
    _recovery.append(callback)
    return callback


def call(method, *args, fallback=None, **kwargs):
    """``cache.<method>(*args, **kwargs)``, or ``fallback`` while the cache is unavailable."""
    global _down_until, _failed
    if time.monotonic() < _down_until:
        return fallback
    try:
        result = getattr(cache, method)(*args, **kwargs)
    except Exception as error:  # whatever the cache client raises: the page goes on without it
        with _lock:
            _down_until = time.monotonic() + PAUSE_SECONDS
            _failed = True
        logger.warning(
            "Shared cache unavailable, pages read the database for %ss: %r", PAUSE_SECONDS, error
        )
        return fallback
    if _failed and not getattr(_state, "recovering", False):
        with _lock:
            recovered, _failed = _failed, False
        if recovered:
            _state.recovering = True
            try:
                for callback in _recovery:
                    callback()
            finally:
                _state.recovering = False
            # What this call read may be older than a change made meanwhile: not used.
            return fallback
    return result


def reset():
    """Forget an earlier failure (tests)."""
    global _down_until, _failed
    with _lock:
        _down_until, _failed = 0.0, False
