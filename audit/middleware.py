import math

from django.shortcuts import render
from django.utils import timezone


class LoginThrottleMiddleware:
    """An attempt refused because it must wait gets the Chinese "locked" page (429)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        until = getattr(request, "login_held_until", None)
        if until is None:
            return response
        seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
        minutes, rest = divmod(seconds, 60)
        return render(
            request,
            "registration/locked_out.html",
            {"minutes": minutes, "seconds": rest, "until": until},
            status=429,
        )
