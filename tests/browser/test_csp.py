"""The main pages under the Content Security Policy in chromium: nothing refused, and what used inline
script (the language switch, filters that submit on change, print, Swagger UI) still works."""

from datetime import date

from playwright.sync_api import Page, expect

from portal.accounts.models import User
from tests.browser.test_cases import log_in
from tests.factories import bulk_cases as add_cases

PAGES = [
    "/",
    "/?period=2021-9M",
    "/cases/",
    "/cases/new/",
    "/cases/import/",
    "/campaigns/",
    "/campaigns/new/",
    "/hotspots/",
    "/hotspots/new/",
    "/propaganda/",
    "/propaganda/new/",
    "/models/",
    "/oversight/",
    "/oversight/recommendations/",
    "/oversight/recommendations/new/",
    "/oversight/inspections/",
    "/oversight/inspections/new/",
    "/oversight/directives/",
    "/reports/subscriptions/",
    "/reports/document/?unit=19&period=2021-9M",
    "/admin/",
    "/admin/cases/case/",
    "/admin/reports/target/add/",
    "/admin/reports/summary/",
]


def test_the_main_pages_load_without_a_refusal(page: Page, live_server, tree, make_user):
    add_cases(tree.pho_yen, 4, on=date(2021, 3, 1), cleared_on=date(2021, 4, 1))
    log_in(page, live_server.url, make_user(User.Role.ADMIN, tree.thai_nguyen))
    for path in PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
    # The autouse fixture (tests/browser/conftest.py) fails the test on any refusal it saw.


def test_the_language_switch_and_the_print_button_work_without_inline_script(page: Page, live_server, tree, make_user):
    log_in(page, live_server.url, make_user(User.Role.LEADER, tree.thai_nguyen))
    page.locator("select#language").select_option("en")  # submits its form (portal/behaviours.js)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.goto(live_server.url + "/reports/document/?unit=19&period=2021-9M")
    page.evaluate("window.print = () => { document.body.dataset.printed = 'yes'; }")
    page.get_by_test_id("document-toolbar").locator("[data-print]").click()
    expect(page.locator("body")).to_have_attribute("data-printed", "yes")


def test_swagger_ui_starts_from_its_own_script(page: Page, live_server, tree, make_user):
    log_in(page, live_server.url, make_user(User.Role.ADMIN, tree.thai_nguyen))
    page.goto(live_server.url + "/api/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=20_000)
