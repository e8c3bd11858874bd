"""The OpenAPI document, and the interactive documentation: Swagger UI from
drf-spectacular-sidecar's files, served by the portal itself (no CDN), for a logged-in person.

(Not in api/schema.py: DRF imports that module for its schema class while these views' module
is still being read.)"""

from django.contrib.auth.views import redirect_to_login
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
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


class BuiltOnceSchemaGenerator(SchemaGenerator):
    """drf-spectacular's generator, keeping what it built for each language and API version.

    It walks every view and serializer on each request (about 0.3 s of CPU); the document is
    served publicly (``SERVE_PUBLIC``), so it depends only on the code, the settings, the
    language and the version, none of which change while the process runs.
    """

    built = {}

    def get_schema(self, request=None, public=False):
        version = self.api_version or getattr(request, "version", None)
        key = (translation.get_language(), version, public)
        if key not in self.built:
            self.built[key] = super().get_schema(request=request, public=public)
        return self.built[key]


class _RenderedOnce:
    """Mixed into a schema renderer: a document BuiltOnceSchemaGenerator keeps is written out
    (YAML or JSON, a tenth of a second or more) once per process for each media type; anything
    else (an error's body) is rendered as usual."""

    rendered = {}

    def render(self, data, accepted_media_type=None, renderer_context=None):
        kept = any(data is document for document in BuiltOnceSchemaGenerator.built.values())
        if not kept:
            return super().render(data, accepted_media_type, renderer_context)
        # Kept beside its text, the document cannot be freed and its id given to another.
        key = (id(data), type(self), accepted_media_type)
        kept_text = self.rendered.get(key)
        if kept_text is None or kept_text[0] is not data:
            kept_text = (data, super().render(data, accepted_media_type, renderer_context))
            self.rendered[key] = kept_text
        return kept_text[1]


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, built and written out once per process for each language, API
    version and media type."""

    generator_class = BuiltOnceSchemaGenerator
    renderer_classes = [
        type(renderer.__name__, (_RenderedOnce, renderer), {})
        for renderer in SpectacularAPIView.renderer_classes
    ]
