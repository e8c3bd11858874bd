"""Login, logout and failure events: Django's own authentication signals are the only hook
that sees the portal's login and the admin site's login alike."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import throttle
from .models import Action
from .services import client_address, record


@receiver(user_logged_in, dispatch_uid="audit-login")
def on_login(sender, request, user, **kwargs):
    throttle.register_success(user.get_username())
    if request is not None:
        record(Action.LOGIN, request=request, actor=user)


@receiver(user_logged_out, dispatch_uid="audit-logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None and request is not None:
        record(Action.LOGOUT, request=request, actor=user)


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    username = str(credentials.get("username") or "")
    account = (
        get_user_model()
        ._default_manager.filter(username__iexact=throttle.normalise(username))
        .values_list("pk", "organisation_id")
        .first()
    )
    org_id = account[1] if account else None
    if getattr(request, "login_held_until", None) is not None:
        record(Action.LOGIN_REFUSED, request=request, username=username, organisation_id=org_id)
        return
    address = client_address(request)
    record(Action.LOGIN_FAILED, request=request, username=username, organisation_id=org_id)
    if throttle.register_failure(username, address):
        until = throttle.held_until(username, address)
        record(
            Action.LOGIN_LOCKED,
            request=request,
            username=username,
            organisation_id=org_id,
            detail=f"until {until:%Y-%m-%d %H:%M:%S %Z}" if until else "",
        )
