"""The OpenAPI document, and the interactive documentation: Swagger UI from
drf-spectacular-sidecar's files, served by the portal itself (no CDN), for a logged-in person.

(Not in api/schema.py: DRF imports that module for its schema class while these views' module
is still being read.)"""

from django.contrib.auth.views import redirect_to_login
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response


class SwaggerView(SpectacularSwaggerSplitView):
    # The page and its init script are separate responses, so the portal's CSP
    # (script-src 'self', no inline script) holds on this page too.
    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().get(request, *args, **kwargs)


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, built once per process for each language and API version.

    drf-spectacular walks every view and serializer on each request (about 0.3 s of CPU): the
    document is served publicly (``SERVE_PUBLIC``), so it depends only on the code, the
    settings, the language and the version, none of which change while the process runs.
    """

    _built = {}

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (translation.get_language(), version)
        if key not in self._built:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            self._built[key] = generator.get_schema(request=request, public=self.serve_public)
        filename = self._get_filename(request, version)
        return Response(
            data=self._built[key],
            headers={"Content-Disposition": f'inline; filename="{filename}"'},
        )
