"""CAS sign-on: send the person to the 统一身份认证 platform, and take them back with a ticket."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from .backends import CAS_TICKET_REFUSED, cas_client

NEXT_KEY = "sso_cas_next"


def _service(request):
    return request.build_absolute_uri(reverse("sso:cas-callback"))


def _safe_next(request, target):
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


@require_GET
def cas_login(request):
    if not settings.CAS_SERVER_URL:
        raise Http404
    request.session[NEXT_KEY] = _safe_next(request, request.GET.get("next"))
    return redirect(cas_client(_service(request)).get_login_url())


@require_GET
def cas_callback(request):
    if not settings.CAS_SERVER_URL:
        raise Http404
    ticket = request.GET.get("ticket", "")[:512]
    user = None
    if ticket:
        user = authenticate(request, ticket=ticket, service=_service(request))
    if user is None:
        messages.error(request, getattr(request, "login_failure_message", CAS_TICKET_REFUSED))
        return redirect("login")
    target = request.session.pop(NEXT_KEY, None)
    login(request, user, backend="sso.backends.PortalCASBackend")
    return redirect(_safe_next(request, target))
