from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

# Everything the portal loads is served by itself: intranets are offline and the data sensitive.
DEFAULT_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and the few headers Django's SecurityMiddleware does not set."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_CSP)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Nothing a signed-in person sees (pages, ledgers, downloads, PDFs) may be kept by
            # a browser's or a proxy's cache, where the next user of the machine would find it.
            response.headers["Cache-Control"] = "private, no-store"
        return response


class ErrorPagesMiddleware:
    """The portal's Chinese 404 and 500 pages under DEBUG too (``make run``).

    Without DEBUG Django already renders ``handler404`` / ``handler500``; with it, it shows its
    technical pages, which list every URL pattern or a traceback with settings. The traceback
    is still logged to the console (django.request) before this replaces the page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not settings.DEBUG or response.status_code not in (404, 500):
            return response
        if getattr(response, "portal_error_page", False) or response.streaming:
            return response
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        from .views import not_found, server_error

        page = not_found(request) if response.status_code == 404 else server_error(request)
        page.portal_error_page = True
        return page


class PortalLocaleMiddleware(LocaleMiddleware):
    """The portal speaks its default language (zh-hans) unless the person chose another (the
    language cookie the language menu sets). A browser's Accept-Language does not switch it: an
    office's English-configured browser still gets the Chinese portal it was told about."""

    def process_request(self, request):
        if request.path.startswith("/api/"):
            # Another system asks the API in the language it names (Accept-Language), as the
            # API's documentation says; only people's pages keep to the portal's default.
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else None
        except LookupError:
            language = None
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if request.path.startswith("/api/"):
            return response
        # The answer no longer depends on Accept-Language; caches need not vary on it.
        vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
        if "Accept-Language" in vary:
            vary.remove("Accept-Language")
            if vary:
                response["Vary"] = ", ".join(vary)
            else:
                del response["Vary"]
        return response
