from django.conf import settings

from accountability.models import Role


def single_sign_on(request):
    """The login page offers the 统一身份认证 button only when CAS is configured; the security
    administrator and auditor see 目录账号 in the navigation when a directory is."""
    context = {"cas_enabled": bool(settings.CAS_SERVER_URL)}
    scope = getattr(request, "scope", None)
    user = getattr(request, "user", None)
    if scope is not None and user is not None and user.is_authenticated:
        context["directory_accounts_nav"] = bool(
            settings.CAS_SERVER_URL or settings.LDAP_SERVER_URI
        ) and (scope.is_superuser or scope.has_role(Role.SECURITY_ADMIN, Role.AUDITOR))
    return context
