"""OpenAPI details drf-spectacular cannot guess: the token scheme and the error answers."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

ERROR_COMPONENT = "Error"
ERRORS = {
    "400": "请求数据有误（字段错误在 errors 中）· invalid input (field errors under errors)",
    "401": "未认证：缺少 API 令牌，或令牌无效、已撤销、已过期 · not authenticated",
    "403": "无权执行该操作（如只读角色提交修改）· not allowed (e.g. a read-only role writing)",
    "404": "对象不存在或不在您的查看范围内 · not found, or outside your scope",
    "405": "该地址不支持此请求方法 · method not allowed",
    "415": "不支持的请求格式 · unsupported media type",
    "429": "请求过于频繁 · too many requests",
}


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.PersonalTokenAuthentication"
    name = "PersonalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "zt_<prefix>_<secret>",
            "description": "个人 API 令牌（在“个人设置 → API 令牌”中创建）· personal API token",
        }


class PortalAutoSchema(AutoSchema):
    pass


def add_error_responses(result, generator, request, public):
    """Every operation may answer with the JSON error body, for each status it can give."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components[ERROR_COMPONENT] = {
        "type": "object",
        "properties": {
            "detail": {"type": "string", "description": "错误说明（中文）· the message"},
            "errors": {
                "type": "object",
                "additionalProperties": True,
                "description": "字段错误 · field errors",
            },
        },
        "required": ["detail"],
    }
    body = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                responses.setdefault(status, {"description": description, "content": body})
    return result
