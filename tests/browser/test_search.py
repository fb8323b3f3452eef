"""The header search in chromium: type a unit name without diacritics, press Enter, follow the hit to its
dashboard; on a phone the box sits in the collapsed menu and is reached by keyboard."""

import pytest
from playwright.sync_api import Page, expect

from portal.accounts.models import User
from tests.browser.test_cases import log_in


@pytest.fixture
def viewer(tree, make_user):
    return make_user(User.Role.VIEWER, tree.thai_nguyen)


def test_pho_yen_typed_in_the_header_finds_the_ward_and_opens_its_dashboard(page: Page, live_server, viewer, tree):
    log_in(page, live_server.url, viewer)
    box = page.get_by_role("searchbox", name="Tìm kiếm").first
    box.fill("pho yen")
    box.press("Enter")
    page.wait_for_url("**/search/?q=pho+yen")
    units = page.get_by_test_id("search-group-units")
    expect(units.get_by_role("heading")).to_contain_text("Đơn vị")
    expect(page.get_by_test_id("search-count-units")).to_have_text("2")
    units.get_by_role("link", name="Phường Phổ Yên").click()
    page.wait_for_url(f"**/?unit={tree.pho_yen.code}")
    expect(page.locator("h1")).to_contain_text("Phường Phổ Yên")


def test_on_a_phone_the_box_stays_in_sight_under_the_folded_menu_and_works_by_keyboard(page: Page, live_server, viewer):
    log_in(page, live_server.url, viewer)
    page.set_viewport_size({"width": 375, "height": 740})
    page.reload()
    box = page.locator("#header-search-q")
    expect(page.locator("#main-nav [data-nav='cases:list']")).to_be_hidden()  # the menu is folded
    expect(box).to_be_visible()  # the search box is on the row below it, the whole width
    assert box.bounding_box()["width"] > 250
    box.focus()
    page.keyboard.type("thai nguyen")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=thai+nguyen")
    expect(page.get_by_test_id("search-group-units").get_by_role("link").first).to_have_text("Tỉnh Thái Nguyên")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the results page scrolls sideways at 375 px ({width} px)"
