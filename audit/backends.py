from django.core.exceptions import PermissionDenied

from . import throttle
from .services import client_address


class LoginThrottleBackend:
    """First in AUTHENTICATION_BACKENDS: refuses an attempt that must wait, before any password
    is checked. Django then reports the failure (``user_login_failed``) and stops.

    It has no ``get_user``, so that ``force_login`` and sessions never pick it as the backend
    that logged someone in."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None:
            return None
        until = throttle.held_until(username, client_address(request))
        if until is not None:
            request.login_held_until = until
            raise PermissionDenied
        return None
