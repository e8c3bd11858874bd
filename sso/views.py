"""CAS sign-on: send the person to the 统一身份认证 platform, and take them back with a ticket."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, authenticate, login
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from .backends import CAS_TICKET_REFUSED, cas_client
from .models import CasSession
from .slo import BadLogoutRequest, cas_single_logout

NEXT_KEY = "sso_cas_next"
CAS_BACKEND = "sso.backends.PortalCASBackend"


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


# The CAS server posts its single-logout request here, server to server, without a CSRF token:
# the service ticket it names is the proof (sso.slo).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def cas_callback(request):
    if not settings.CAS_SERVER_URL:
        raise Http404
    if request.method == "POST":
        try:
            cas_single_logout(logout_request=request.POST.get("logoutRequest", ""), request=request)
        except BadLogoutRequest:
            return HttpResponseBadRequest("bad logoutRequest\n", content_type="text/plain")
        return HttpResponse("ok\n", content_type="text/plain")
    ticket = request.GET.get("ticket", "")[:512]
    user = None
    if ticket:
        user = authenticate(request, ticket=ticket, service=_service(request))
    if user is None:
        messages.error(request, getattr(request, "login_failure_message", CAS_TICKET_REFUSED))
        return redirect("login")
    target = request.session.pop(NEXT_KEY, None)
    login(request, user, backend=CAS_BACKEND)
    # After login(), which gives the session a new key: the one single logout must end.
    CasSession.objects.update_or_create(
        ticket=ticket, defaults={"session_key": request.session.session_key, "user": user}
    )
    return redirect(_safe_next(request, target))


class LogoutView(auth_views.LogoutView):
    """The portal's logout; a person signed in through CAS is signed out of CAS too, so that
    the platform does not sign them straight back in (and its other services learn of it)."""

    def post(self, request, *args, **kwargs):
        through_cas = bool(settings.CAS_SERVER_URL) and (
            request.session.get(BACKEND_SESSION_KEY) == CAS_BACKEND
        )
        session_key = request.session.session_key
        response = super().post(request, *args, **kwargs)
        if not through_cas:
            return response
        CasSession.objects.filter(session_key=session_key).delete()
        back = request.build_absolute_uri(reverse("login"))
        return redirect(cas_client(_service(request)).get_logout_url(back))
