"""The interactive documentation: Swagger UI from drf-spectacular-sidecar's files, served by the
portal itself (no CDN), for a logged-in person."""

from django.contrib.auth.views import redirect_to_login
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny


class SwaggerView(SpectacularSwaggerSplitView):
    # The page and its init script are separate responses, so the portal's CSP
    # (script-src 'self', no inline script) holds on this page too.
    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().get(request, *args, **kwargs)
