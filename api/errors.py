"""Every API error is JSON with a Chinese (or English) message: ``{"detail": "…"}``.

Field errors keep DRF's shape under ``errors``; the ``detail`` always says in a sentence what
went wrong, so that a client can show it as is. Nothing reaches Django's HTML error pages.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def _messages(error):
    if hasattr(error, "message_dict"):
        return {
            ("non_field_errors" if key == "__all__" else key): value
            for key, value in error.message_dict.items()
        }
    return {"non_field_errors": error.messages}


def _first_message(errors):
    """The first message in a nested DRF error structure."""
    if isinstance(errors, dict):
        for value in errors.values():
            found = _first_message(value)
            if found:
                return found
    elif isinstance(errors, list):
        for value in errors:
            found = _first_message(value)
            if found:
                return found
    elif errors:
        return str(errors)
    return ""


def _is_default(exc):
    return str(exc.detail) == str(exc.default_detail)


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        message = str(exc.args[0]) if exc.args else None
        exc = exceptions.PermissionDenied(message)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_messages(exc))

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data
        first = _first_message(errors)
        detail = (
            _("提交的数据有误：%(first)s") % {"first": first} if first else _("提交的数据有误。")
        )
        response.data = {"detail": detail, "errors": errors}
        return response
    if isinstance(exc, exceptions.NotAuthenticated):
        detail = _("未提供身份凭据：请在请求头中携带 API 令牌（Authorization: Bearer <令牌>）。")
    elif isinstance(exc, exceptions.AuthenticationFailed):
        detail = str(exc.detail)
    elif isinstance(exc, exceptions.PermissionDenied):
        detail = str(exc.detail) if not _is_default(exc) else _("您没有执行该操作的权限。")
    elif isinstance(exc, exceptions.NotFound):
        detail = (
            str(exc.detail) if not _is_default(exc) else _("未找到该对象，或它不在您的查看范围内。")
        )
    elif isinstance(exc, exceptions.MethodNotAllowed):
        detail = _("该地址不支持 %(method)s 请求。") % {"method": context["request"].method}
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        detail = _(
            "不支持的请求格式：请使用 application/json，上传文件时使用 multipart/form-data。"
        )
    elif isinstance(exc, exceptions.NotAcceptable):
        detail = _("无法按所要求的格式返回：本接口只返回 JSON。")
    elif isinstance(exc, exceptions.ParseError):
        detail = _("请求内容无法解析：请检查 JSON 格式是否正确。")
    elif isinstance(exc, exceptions.Throttled):
        detail = _("请求过于频繁，请在 %(wait)d 秒后重试。") % {"wait": int(exc.wait or 1)}
    else:
        detail = str(getattr(exc, "detail", "")) or _("请求无法处理。")
    response.data = {"detail": detail}
    return response


@csrf_exempt  # a write to a wrong address is told so in JSON, not asked for a CSRF cookie
def not_found(request, *args, **kwargs):
    """Any address under /api/ that names no endpoint."""
    return JsonResponse(
        {"detail": _("没有这个接口地址，请查看接口文档 /api/v1/docs/。")},
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )
