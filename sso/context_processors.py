from django.conf import settings


def single_sign_on(request):
    """The login page offers the 统一身份认证 button only when CAS is configured."""
    return {"cas_enabled": bool(settings.CAS_SERVER_URL)}
