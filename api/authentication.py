"""How the API knows who is calling: a personal token, or the portal's session (for the docs).

``Authorization: Bearer zt_…`` (``Token zt_…`` is accepted too). A token that is unknown,
revoked or expired, or whose owner is no longer active, is refused with a Chinese message;
nothing falls back to the session then, so a script never acts as whoever is logged in.
"""

from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication

from .models import ApiToken, split_token
from .throttling import FailedTokenThrottle

SCHEMES = (b"bearer", b"token")
# Writing last_used_at on every call would make each read a write; once a minute is enough.
LAST_USED_RESOLUTION = 60


class PersonalTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "").encode("latin-1", "replace").split()
        if not header or header[0].lower() not in SCHEMES:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Authorization 头格式不正确，应为“Bearer <API 令牌>”。")
            )
        raw = header[1].decode("latin-1")
        prefix = split_token(raw)
        token = None
        if prefix is not None:
            token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
        if token is None or not token.matches(raw):
            self.refuse(request, _("API 令牌无效，请检查后重试。"))
        now = timezone.now()
        if token.revoked_at is not None:
            self.refuse(request, _("该 API 令牌已撤销，请在“个人设置 → API 令牌”中重新创建。"))
        if token.is_expired(now):
            self.refuse(request, _("该 API 令牌已过期，请在“个人设置 → API 令牌”中重新创建。"))
        if not token.user.is_active:
            self.refuse(request, _("该账号已停用，请联系系统管理员。"))
        if (
            token.last_used_at is None
            or (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION
        ):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    @staticmethod
    def refuse(request, message):
        throttle = FailedTokenThrottle()
        if not throttle.allow_request(request, None):
            raise exceptions.Throttled(throttle.wait())
        raise exceptions.AuthenticationFailed(message)

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return reason


class PortalSessionAuthentication(SessionAuthentication):
    """The logged-in session (the interactive docs); writes need the CSRF token as pages do."""

    def enforce_csrf(self, request):
        check = _CsrfCheck(lambda req: None)
        check.process_request(request)
        reason = check.process_view(request, None, (), {})
        if reason:
            raise exceptions.PermissionDenied(
                _("页面已过期或缺少 CSRF 令牌，请刷新页面后重试；脚本请使用 API 令牌。")
            )
