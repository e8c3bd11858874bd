"""The API's interactive documentation and the tokens page, in the real Chromium: every request
the docs page makes goes to the portal itself (no CDN), and a token made on the page reads the
API."""

import json
from urllib.parse import urlsplit

from django.test import Client


def test_the_api_docs_load_from_the_portal_only(page, live_server, login_as, world, screenshot):
    login_as(world.head)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/v1/docs/")
    page.get_by_text("work-records").first.wait_for()
    page.get_by_text("工作记实台账").first.wait_for()
    screenshot("api-docs")
    portal = urlsplit(live_server.url).netloc
    outside = [url for url in requested if urlsplit(url).netloc not in (portal, "")]
    assert not outside, f"the docs page reached outside the portal: {outside}"
    assert any("/api/v1/schema/" in url for url in requested)
    assert any("swagger-ui-bundle.js" in url for url in requested)


def test_a_token_created_on_the_page_reads_the_api(page, login_as, world, screenshot):
    login_as(world.head)
    page.goto("/")
    page.get_by_role("button", name=world.head.full_name).click()
    page.get_by_role("link", name="API 令牌").click()
    page.get_by_label("用途").fill("OA 系统同步")
    page.get_by_role("button", name="创建令牌").click()
    raw = page.locator("#new-token").inner_text().strip()
    screenshot("api-token-created")
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/work-records/")
    assert response.status_code == 200 and "results" in json.loads(response.content)
    page.reload()
    assert raw not in page.content()
