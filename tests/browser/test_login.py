"""Log-in, the dashboard shell, log-out and the lock-out, through the real pages in chromium."""

import re

from django.conf import settings
from playwright.sync_api import Page, expect

from portal.accounts.models import User
from tests.factories import TEST_PASSWORD

LOGIN_PATH = "/accounts/login/"
WRONG_PASSWORD = "not-the-right-password-138"
# The lock-out page in either language: "locked for 60 minutes" / "khóa trong 60 phút".
LOCKED_FOR_AN_HOUR = re.compile(r"(locked|khóa|khoá).*\b60 (minutes|phút)", re.IGNORECASE)


def submit_login(page: Page, base_url: str, username: str, password: str) -> int:
    """Fill in and send the log-in form; answer the HTTP status of the page it lands on."""
    page.goto(base_url + LOGIN_PATH)
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_response(lambda r: r.request.method == "POST" and LOGIN_PATH in r.url) as answer:
        form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    return answer.value.status


def test_user_logs_in_sees_the_dashboard_of_their_unit_and_logs_out(page: Page, live_server, tree, make_user):
    user = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen)

    submit_login(page, live_server.url, user.username, TEST_PASSWORD)

    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_test_id("dashboard-unit")).to_have_text("Tỉnh Thái Nguyên")
    expect(page.get_by_test_id("current-user")).to_contain_text(user.full_name)
    expect(page.get_by_test_id("current-user")).to_contain_text("Tỉnh Thái Nguyên")
    navigation = page.locator("nav #main-nav")
    expect(navigation.locator("[data-nav=dashboard]")).to_have_attribute("aria-current", "page")
    expect(navigation.locator("[data-nav='admin:index']")).to_be_visible()

    page.locator('form[action="/accounts/logout/"] button').click()

    expect(page).to_have_url(live_server.url + LOGIN_PATH)
    expect(page.locator("input[name=password]")).to_be_visible()
    expect(page.get_by_test_id("current-user")).to_have_count(0)
    # The session is really gone: the dashboard sends us back to the log-in page.
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(re.escape(live_server.url + LOGIN_PATH)))


def test_five_wrong_passwords_lock_the_account_and_then_refuse_the_right_one(page: Page, live_server, tree, make_user):
    user = make_user(User.Role.INVESTIGATOR, tree.ha_noi)
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5

    for _ in range(limit - 1):
        status = submit_login(page, live_server.url, user.username, WRONG_PASSWORD)
        assert status == 200
        expect(page.locator("main [role=alert]")).to_contain_text(str(limit))
        expect(page.get_by_test_id("lockout-message")).to_have_count(0)

    status = submit_login(page, live_server.url, user.username, WRONG_PASSWORD)

    assert status == 429
    expect(page.get_by_test_id("lockout-message")).to_have_text(LOCKED_FOR_AN_HOUR)

    status = submit_login(page, live_server.url, user.username, TEST_PASSWORD)

    assert status == 429
    expect(page.get_by_test_id("lockout-message")).to_have_text(LOCKED_FOR_AN_HOUR)
    expect(page.get_by_test_id("dashboard-unit")).to_have_count(0)
    expect(page.get_by_test_id("current-user")).to_have_count(0)
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(re.escape(live_server.url + LOGIN_PATH)))
