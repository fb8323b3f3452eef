"""The campaign page in chromium: a province officer reads planned against achieved and the before/after
comparison, records a commune's result, and sees it counted."""

import pytest
from playwright.sync_api import Page, expect

from portal.accounts.models import User
from tests.browser.test_cases import log_in
from tests.campaigns.crackdown_fixtures import hand_built  # noqa: F401 (a fixture)


@pytest.fixture
def officer(tree, make_user):
    return make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen, full_name="Lê Văn Thường Trực")


def test_officer_reads_the_campaign_and_records_a_result(page: Page, live_server, officer, hand_built):  # noqa: F811
    log_in(page, live_server.url, officer)
    page.goto(live_server.url + "/campaigns/")
    row = page.get_by_test_id("campaign-row").filter(has_text=hand_built.name)
    expect(row).to_have_count(1)
    row.get_by_role("link").click()

    expect(page.get_by_test_id("campaign-name")).to_have_text(hand_built.name)
    cleared = page.get_by_test_id("achievement-cases_cleared")
    expect(cleared.get_by_test_id("planned")).to_have_text("4")
    expect(cleared.get_by_test_id("achieved")).to_have_text("4")
    expect(page.get_by_test_id("achievement-wanted_caught").get_by_test_id("percent")).to_contain_text("50,0%")
    recorded = page.get_by_test_id("compare-cases_recorded")
    expect(recorded.get_by_test_id("during")).to_have_text("8")
    expect(recorded.get_by_test_id("before")).to_have_text("5")
    expect(recorded.get_by_test_id("vs-before")).to_have_text("+60,0%")

    form = page.get_by_test_id("result-form")
    form.locator("input[name=unit]").fill("05860")
    form.locator("input[name=on]").fill("12/01/2026")
    form.locator("select[name=kind]").select_option("weapons")
    form.locator("input[name=quantity]").fill("3")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()

    expect(page.get_by_test_id("result-entries")).to_contain_text("12/01/2026")
    totals = page.get_by_test_id("reported-totals")
    expect(totals).to_contain_text("3")
    expect(page.locator(".alert-success, [role=alert]").first).to_be_visible()
