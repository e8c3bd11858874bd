"""Browser tests: the real Debian Chromium, headless, driven by Playwright.

Playwright's own browser download is not used (the machine cannot fetch it); we launch
/usr/bin/chromium through ``executable_path``. Tests here are marked ``browser``.
"""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
# Without these, Chromium tries to reach Google's services and this closed network refuses them.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# Screenshots are for a person to look at, so they are taken only when asked for
# (`make test E2E_SCREENSHOTS=var/screenshots`): a full-page PNG costs Chromium 0.2-2 s, about
# 24 s of each run of the journeys, and under load Chromium now and then refuses one
# ("Unable to capture screenshot"), which failed a journey that had passed.
SCREENSHOTS = os.environ.get("E2E_SCREENSHOTS") and Path(os.environ["E2E_SCREENSHOTS"])


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` as root to install it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# A report export renders its PDF while the browser waits: seconds on a quiet machine, more than
# the default 15 s when the SQLite run shares a slow machine's cores with the fault tests (at
# nice 19): a PDF export click of the annual-report journey once timed out so (1 Dec 2026).
EXPORT_TIMEOUT = 90_000


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 1366, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def login_as(page, world):
    """Log in through the real login form, as a person would."""

    def _login(user):
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(world.password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    return _login


@pytest.fixture
def screenshot(page, request):
    """Save a full-page screenshot under $E2E_SCREENSHOTS for a person to look at (nothing when
    it is not set)."""

    def _shot(name=None):
        if not SCREENSHOTS:
            return None
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name or request.node.name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot
