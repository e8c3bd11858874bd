"""Requests per person (per address before anyone is known), counted in the shared cache."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class PortalApiThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self):
        # Read at each request, not at import: settings can change (tests, reloads).
        return None  # replaced per request in allow_request

    def allow_request(self, request, view):
        authenticated = bool(request.user and request.user.is_authenticated)
        self.rate = settings.API_THROTTLE_RATE if authenticated else settings.API_ANON_THROTTLE_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"addr-{self.get_ident(request)}"
        return f"api-throttle:{ident}"


class FailedTokenThrottle(SimpleRateThrottle):
    """Refused tokens, counted per address: authentication fails before DRF's throttles run, so
    guessing tokens is counted here (at the anonymous rate)."""

    scope = "api-refused-token"

    def get_rate(self):
        return None

    def allow_request(self, request, view):
        self.rate = settings.API_ANON_THROTTLE_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return f"api-throttle:refused-{self.get_ident(request)}"
