"""Browser tests: Debian's chromium, driven by Playwright, against pytest-django's live server."""

import contextlib
import os
import threading
import time
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started

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


class RequestsInFlight:
    """The requests the live server is answering right now, by the server thread answering each (Django's
    request signals, sent in that thread). On SQLite the server shares the test's in-memory database
    connection, so a request still being answered when a test ends would write into the next test's setup
    (or into the flush between them) on that same connection: a session saved after the flush broke the
    next test's atomic block once in CI (TransactionManagementError in test_print.py). The test client's
    requests (SERVER_NAME "testserver", answered in the test's own thread) are not the live server's."""

    def __init__(self) -> None:
        self.paths: dict[int, str] = {}
        self.changed = threading.Condition()

    @property
    def count(self) -> int:
        return len(self.paths)

    def started(self, environ=None, **kwargs) -> None:
        if environ is None or environ.get("SERVER_NAME") == "testserver":
            return
        with self.changed:
            self.paths[threading.get_ident()] = environ.get("PATH_INFO", "")

    def finished(self, **kwargs) -> None:
        with self.changed:
            if self.paths.pop(threading.get_ident(), None) is not None:
                self.changed.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: not self.paths, timeout)


IN_FLIGHT = RequestsInFlight()
request_started.connect(IN_FLIGHT.started, dispatch_uid="tests.browser.in_flight.started")
request_finished.connect(IN_FLIGHT.finished, dispatch_uid="tests.browser.in_flight.finished")
SETTLE_SECONDS = 30


class HeldRequests:
    """Every request of one page goes through a route answered in the test's thread. Playwright's sync API
    answers routes only while the test is inside a Playwright call, so between calls the page's requests
    wait in the browser. `quiet()` lets the requests already sent finish and returns once none is left at
    the live server: from then until the test's next Playwright call, the test thread has the database to
    itself. On SQLite that thread shares the server's in-memory connection, and a poll answered while the
    test wrote (a session saved inside the test's transaction) is the race this avoids."""

    def __init__(self, page) -> None:
        self.page = page
        self.open: set = set()
        page.on("requestfinished", self._done)
        page.on("requestfailed", self._done)
        page.route("**/*", self._route)

    def _route(self, route) -> None:
        self.open.add(route.request)
        route.continue_()

    def _done(self, request) -> None:
        self.open.discard(request)

    def quiet(self, timeout: float = SETTLE_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        while self.open:
            assert time.monotonic() < deadline, f"the page still waits for {sorted(r.url for r in self.open)}"
            self.page.wait_for_timeout(50)  # a Playwright call: the events of the requests come in
        assert IN_FLIGHT.wait_idle(timeout), f"the live server still answers {sorted(IN_FLIGHT.paths.values())}"

    def release(self) -> None:
        self.page.unroute("**/*", self._route)


@pytest.fixture
def held_requests(page) -> HeldRequests:
    return HeldRequests(page)


@pytest.fixture(autouse=True)
def live_server_settles(request):
    """Each browser test starts and ends with the live server idle. At the end every page the test's
    browser still shows goes to about:blank (no more polling: the bell, a job's progress), and the
    fixture waits for the requests already sent to be answered, before pytest-django flushes the
    database. It is set up after the database fixtures, so it is torn down before them."""
    if "live_server" not in request.fixturenames:
        yield
        return
    assert IN_FLIGHT.wait_idle(SETTLE_SECONDS), f"the live server still answers {sorted(IN_FLIGHT.paths.values())}"
    browser = request.getfixturevalue("browser") if "browser" in request.fixturenames else None
    yield
    for context in browser.contexts if browser else ():
        for page in context.pages:
            try:
                page.goto("about:blank", timeout=5_000)
            except Exception:  # a page that refuses to leave (a dialog): closing stops it too
                with contextlib.suppress(Exception):
                    page.close()
    assert IN_FLIGHT.wait_idle(SETTLE_SECONDS), f"the live server still answers {sorted(IN_FLIGHT.paths.values())}"


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
