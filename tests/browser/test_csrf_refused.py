"""The two-tab case in chromium: a case form left open while its user signs out and in again in another tab
is refused when sent, on the portal's page in Vietnamese, and its link opens the form again."""

from playwright.sync_api import Page, expect

from cases.models import Case
from portal.accounts.models import User
from tests.browser.test_cases import log_in


def test_a_form_opened_before_signing_in_again_is_refused_with_a_way_back(page: Page, live_server, tree, make_user):
    officer = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen)
    log_in(page, live_server.url, officer)
    page.goto(live_server.url + "/cases/new/")
    expect(page.get_by_test_id("save-case")).to_be_visible()

    other_tab = page.context.new_page()
    other_tab.goto(live_server.url + "/")
    other_tab.get_by_test_id("logout").click()
    log_in(other_tab, live_server.url, officer)  # a new session, a new CSRF token
    other_tab.close()

    page.get_by_test_id("save-case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Biểu mẫu chưa được gửi")
    expect(page.get_by_test_id("csrf-refused")).to_contain_text("Chưa có gì được lưu.")
    assert not Case.objects.exists()

    page.get_by_test_id("csrf-retry").click()
    expect(page).to_have_url(live_server.url + "/cases/new/")
    expect(page.get_by_test_id("save-case")).to_be_visible()
