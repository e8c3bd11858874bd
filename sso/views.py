"""CAS sign-on: send the person to the 统一身份认证 platform, and take them back with a ticket."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, authenticate, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db.models import F, Max
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import ListView

from accountability.models import Role
from audit.services import Action, record

from .backends import CAS_TICKET_REFUSED, cas_client
from .models import CasSession, DirectoryAccount
from .services import CannotDeactivate, DirectoryUnavailable, directory_check
from .services import directory_account_deactivate as deactivate
from .slo import BadLogoutRequest, cas_single_logout

NEXT_KEY = "sso_cas_next"
CAS_BACKEND = "sso.backends.PortalCASBackend"
# Session engines that keep every session in the database table (the cached one writes through).
DATABASE_SESSIONS = (
    "common.sessions",
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
)


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
    if settings.SESSION_ENGINE in DATABASE_SESSIONS:
        # Forget the tickets of sessions that ended by themselves (expired, logged out).
        CasSession.objects.exclude(session_key__in=Session.objects.values("session_key")).delete()
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


# -- 目录账号: the accounts that came from the directory ------------------------------------------
def _org_ids(scope, *roles):
    """Organisations where the user holds one of ``roles``; None for a superuser (all)."""
    if scope.is_superuser:
        return None
    return sorted(org for org, held in scope.roles.items() if held & set(roles))


def _accounts(scope, *roles):
    accounts = DirectoryAccount.objects.select_related("user", "user__unit")
    org_ids = _org_ids(scope, *roles)
    return accounts if org_ids is None else accounts.filter(user__organisation_id__in=org_ids)


def _may_manage(scope):
    return scope.is_superuser or scope.has_role(Role.SECURITY_ADMIN)


class DirectoryAccountListView(LoginRequiredMixin, ListView):
    """目录账号: who came from LDAP / CAS, when they last signed in, what the mapping gave them,
    and whether the directory still knows them. The security administrator checks and
    deactivates; the security auditor reads."""

    template_name = "sso/directoryaccount_list.html"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (
            _may_manage(request.scope) or request.scope.has_role(Role.AUDITOR)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        accounts = _accounts(self.request.scope, Role.SECURITY_ADMIN, Role.AUDITOR)
        if self.request.GET.get("missing") == "1":
            accounts = accounts.filter(missing_since__isnull=False)
        return accounts.order_by(
            F("missing_since").asc(nulls_last=True), "-user__is_active", "user__username"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        accounts = _accounts(self.request.scope, Role.SECURITY_ADMIN, Role.AUDITOR)
        context.update(
            can_manage=_may_manage(self.request.scope),
            ldap_enabled=bool(settings.LDAP_SERVER_URI),
            missing_only=self.request.GET.get("missing") == "1",
            missing_count=accounts.filter(
                missing_since__isnull=False, user__is_active=True
            ).count(),
            last_checked=accounts.aggregate(last=Max("checked_at"))["last"],
        )
        return context


def _manager_only(request):
    if not _may_manage(request.scope):
        raise PermissionDenied


@login_required
@require_POST
def directory_account_check(request):
    _manager_only(request)
    if not settings.LDAP_SERVER_URI:
        messages.warning(request, _("未配置 LDAP 目录（LDAP_SERVER_URI），无法核对。"))
        return redirect("directory:account-list")
    try:
        result = directory_check(accounts=_accounts(request.scope, Role.SECURITY_ADMIN))
    except DirectoryUnavailable:
        messages.error(request, _("目录暂时无法连接，未作任何更改，请稍后再试。"))
        return redirect("directory:account-list")
    record(
        Action.DIRECTORY_CHECKED,
        request=request,
        detail=f"checked {result.checked}, missing {result.missing}, back {result.back}",
    )
    messages.success(
        request,
        _("已核对 %(checked)d 个 LDAP 账号，其中 %(missing)d 个在目录中已查无此人。")
        % {"checked": result.checked, "missing": result.missing},
    )
    return redirect("directory:account-list")


@login_required
@require_POST
def directory_account_deactivate(request, pk):
    _manager_only(request)
    account = get_object_or_404(_accounts(request.scope, Role.SECURITY_ADMIN), pk=pk)
    name = account.user.full_name or account.user.username
    try:
        deactivate(account=account, by=request.user, request=request)
    except CannotDeactivate as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, _("已停用“%(name)s”的账号，并撤销了目录映射授予的角色。") % {"name": name}
        )
    return redirect("directory:account-list")
