"""Browser tests: Debian's chromium, driven by Playwright, against pytest-django's live server."""

import os
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

# Playwright's sync API keeps an event loop running in the test thread, so Django would refuse
# the ORM calls the tests make there (creating users) as "async unsafe". Nothing here is async.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # containers and CI runners often forbid the user namespaces the sandbox needs
    "--disable-gpu",
    "--disable-dev-shm-usage",  # a small /dev/shm in containers crashes tabs
    # No calls home: the machines that run these tests may have no internet.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A conftest's `pytestmark` does not reach the test modules, so mark them here.
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's launch options, pointed at the system chromium (no `playwright install`)."""
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        skip_or_fail(f"No chromium executable at {CHROMIUM}: apt-get install chromium or set PORTAL_CHROMIUM")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    # A Vietnamese browser, as the portal's users have: LocaleMiddleware follows Accept-Language.
    return {**browser_context_args, "locale": "vi-VN"}


@pytest.fixture(autouse=True)
def no_content_security_policy_violations(request):
    """Every browser test fails if the page broke the Content Security Policy (an inline script or
    handler refused, a resource from elsewhere): chromium reports each refusal on the console."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    yield
    assert not refused, refused
