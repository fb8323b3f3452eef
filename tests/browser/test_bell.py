"""The bell in chromium, on a phone's width: a leader sees 1 after a recommendation arrives, opens the list,
follows the notice to the recommendation, and the count is gone."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from portal.accounts.models import User
from portal.celery import app
from portal.oversight.services import recommendation_raise
from tests.browser.test_cases import log_in

R = User.Role


@pytest.fixture(autouse=True)
def eager_celery(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_a_leader_follows_the_bell_to_a_new_recommendation(page: Page, live_server, tree, make_user):
    standing = make_user(R.STANDING_OFFICER, tree.thai_nguyen, email="tt@thainguyen.gov.vn")
    leader = make_user(R.LEADER, tree.root, full_name="Trần Văn Trung Ương", email="lanhdao@bcd138.gov.vn")
    log_in(page, live_server.url, leader)  # at desktop width, where it checks the name in the header
    page.set_viewport_size({"width": 375, "height": 740})
    page.reload()
    bell = page.get_by_test_id("bell")
    expect(bell).to_have_attribute("aria-label", "Thông báo")
    expect(page.get_by_test_id("bell-count")).to_have_count(0)

    recommendation = recommendation_raise(
        actor=standing,
        raising_unit=tree.thai_nguyen,
        addressed_to=tree.root,
        title="Đề nghị bổ sung kinh phí tuyên truyền",
        text="Hỗ trợ các xã biên giới.",
        raised_on=date(2026, 3, 1),
    )
    page.reload()
    expect(bell).to_be_visible()  # outside the collapsed menu on a phone
    expect(bell).to_have_attribute("aria-label", "Thông báo, 1 chưa đọc")
    expect(page.get_by_test_id("bell-count")).to_have_text("1")

    bell.focus()  # by keyboard
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/notifications/")
    notice = page.get_by_test_id("notice")
    expect(notice).to_have_count(1)
    expect(notice).to_have_attribute("data-read", "false")
    notice.get_by_test_id("notice-link").click()

    expect(page).to_have_url(f"{live_server.url}/oversight/recommendations/{recommendation.pk}/")
    expect(page.get_by_test_id("bell")).to_have_attribute("aria-label", "Thông báo")
    expect(page.get_by_test_id("bell-count")).to_have_count(0)
