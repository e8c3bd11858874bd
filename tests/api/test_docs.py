"""The OpenAPI schema and the interactive documentation, served by the portal (no CDN)."""

import json

from django.urls import reverse

from api.schema import ERRORS


def test_the_schema_documents_every_operation_in_chinese_and_english(world, client):
    client.force_login(world.head)
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]
    assert len(operations) >= 30
    for path, method, operation in operations:
        summary = operation["summary"]
        assert " · " in summary, (path, method)
        assert not summary.isascii(), (path, method)
        assert set(ERRORS) <= set(operation["responses"]), (path, method)
    assert "/api/v1/work-records/" in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/measures/{id}/closure-request/"]


def test_the_schema_is_built_once_per_process_and_language(world, client, monkeypatch):
    from drf_spectacular.generators import SchemaGenerator

    from api.docs import BuiltOnceSchemaGenerator

    monkeypatch.setattr(BuiltOnceSchemaGenerator, "built", {})
    built = []
    original = SchemaGenerator.get_schema

    def counted(self, *args, **kwargs):
        built.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counted)
    client.force_login(world.head)
    accept = {"HTTP_ACCEPT": "application/vnd.oai.openapi+json"}
    first = client.get(reverse("api:schema"), **accept)
    again = client.get(reverse("api:schema"), **accept)
    assert first.status_code == again.status_code == 200
    assert first.content == again.content and len(built) == 1
    client.cookies["django_language"] = "en"
    english = client.get(reverse("api:schema"), **accept)
    assert english.status_code == 200 and len(built) == 2
    assert client.get(reverse("api:schema"), **accept).content == english.content
    assert len(built) == 2


def test_the_schema_is_written_out_once_per_media_type_and_errors_as_usual(
    world, client, monkeypatch
):
    from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer

    from api.docs import BuiltOnceSchemaGenerator, _RenderedOnce

    monkeypatch.setattr(BuiltOnceSchemaGenerator, "built", {})
    monkeypatch.setattr(_RenderedOnce, "rendered", {})
    written = []
    for renderer in (OpenApiJsonRenderer, OpenApiYamlRenderer):
        original = renderer.render

        def counted(self, data, *args, _original=original, **kwargs):
            written.append(type(self).__name__)
            return _original(self, data, *args, **kwargs)

        monkeypatch.setattr(renderer, "render", counted)
    url = reverse("api:schema")
    json_type = {"HTTP_ACCEPT": "application/vnd.oai.openapi+json"}
    refused = client.get(url, **json_type)
    assert refused.status_code == 401 and b"paths" not in refused.content
    client.force_login(world.head)
    first, again = client.get(url, **json_type), client.get(url, **json_type)
    assert first.status_code == again.status_code == 200
    assert first.content == again.content and json.loads(first.content)["paths"]
    yaml_first, yaml_again = client.get(url), client.get(url)
    assert yaml_first.content == yaml_again.content and b"paths:" in yaml_first.content
    assert written == ["OpenApiJsonRenderer", "OpenApiJsonRenderer", "OpenApiYamlRenderer"]


def test_the_schema_and_docs_need_a_login(db, client):
    assert client.get(reverse("api:schema")).status_code == 401
    response = client.get(reverse("api:docs"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_docs_page_loads_only_the_portals_own_files(world, client):
    client.force_login(world.head)
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html and "//cdn" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<script>" not in html  # no inline script: the CSP allows 'self' only
    script = client.get(reverse("api:docs") + "?script=")
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content
