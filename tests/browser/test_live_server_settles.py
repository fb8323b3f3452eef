"""The browser tests' harness: a request the page sent just before its test ended is answered before the
next test starts. On SQLite the live server shares the test's database connection; an answer written
after pytest-django's flush (here: a session saved into a flushed table) once broke the next test's
transaction in CI (December 2026): a race, so the tests check the harness's promise, not the race's
outcome. The first two tests run in this order on one worker.

The third checks `held_requests`, with which a test does the worker's part itself while its page polls:
between the test's Playwright calls the page's requests wait in the browser."""

import time

import pytest
from django.core.signals import request_started
from django.http import HttpResponse
from django.urls import path
from playwright.sync_api import Page

from portal.urls import urlpatterns as portal_urlpatterns
from tests.browser.conftest import IN_FLIGHT
from tests.browser.portal_pages import portal_data, sign_in  # noqa: F401

pytestmark = [pytest.mark.xdist_group("live-server-settles"), pytest.mark.urls(__name__)]

ANSWER_AFTER = 1.5


def slow_session_write(request):
    time.sleep(ANSWER_AFTER)
    request.session["slow_answer"] = time.time()  # saved into django_session when the answer goes out
    return HttpResponse("ok")


def ping(request):
    return HttpResponse("ok")


urlpatterns = [
    path("_slow-session-write/", slow_session_write),
    path("_ping/", ping),
    *portal_urlpatterns,
]


def test_a_page_leaves_a_slow_request_behind(page: Page, live_server, portal_data):  # noqa: F811
    sign_in(page.context, live_server.url, portal_data.officer)
    page.goto(live_server.url + "/")
    page.evaluate("url => { fetch(url); }", live_server.url + "/_slow-session-write/")
    deadline = time.monotonic() + 5
    while IN_FLIGHT.count == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert IN_FLIGHT.count == 1  # the test ends while the server is answering it


def test_the_next_test_starts_on_an_idle_server(page: Page, live_server):
    # The slow request was answered (its session written) before the flush between the tests, not now.
    assert IN_FLIGHT.count == 0


def test_a_held_page_sends_nothing_while_the_test_works(page: Page, live_server, portal_data, held_requests):  # noqa: F811
    sign_in(page.context, live_server.url, portal_data.officer)
    page.goto(live_server.url + "/")
    page.evaluate("url => { setInterval(() => fetch(url), 200); }", live_server.url + "/_ping/")
    page.wait_for_timeout(1_000)
    pings: list[str] = []

    def seen(environ=None, **kwargs):
        if environ and environ.get("PATH_INFO") == "/_ping/":
            pings.append(environ["PATH_INFO"])

    request_started.connect(seen)
    try:
        held_requests.quiet()
        pings.clear()
        time.sleep(1.5)  # the test's own work: no Playwright call, so the page's pings wait in the browser
        assert pings == []
        held_requests.release()
        page.wait_for_timeout(1_000)
        assert pings  # once released they go through again
    finally:
        request_started.disconnect(seen)
