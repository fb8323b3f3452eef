"""Two-step log-in in chromium: a leader's first log-in sets up the authenticator app from the QR page,
the next one asks for a code; the pages break no Content Security Policy rule."""

import re
from base64 import b32decode

from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from portal.accounts.models import User
from tests.factories import TEST_PASSWORD

LOGIN_PATH = "/accounts/login/"


def code_from_key(typed_key: str) -> str:
    """What an authenticator app shows after the user typed the key the page displays."""
    key = typed_key.replace(" ", "")
    return f"{TOTP(b32decode(key + '=' * (-len(key) % 8))).token():06d}"


def password_step(page: Page, base_url: str, user: User, next_path: str = "") -> None:
    page.goto(base_url + LOGIN_PATH + (f"?next={next_path}" if next_path else ""))
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()


def test_a_leader_sets_up_the_app_at_first_log_in_and_is_asked_for_a_code_next_time(
    page: Page, live_server, tree, make_user
):
    leader = make_user(User.Role.LEADER, tree.thai_nguyen, full_name="Lê Thị Lãnh Đạo")
    password_step(page, live_server.url, leader, "/cases/")

    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/\?next=%2Fcases%2F$"))
    expect(page.locator("h1")).to_have_text("Thiết lập xác thực hai bước")
    expect(page.get_by_test_id("qr-code").locator("svg")).to_be_visible()
    expect(page.locator("[data-nav]")).to_have_count(0)
    key = page.get_by_test_id("secret-key").inner_text()

    page.locator("input[name=code]").fill("000000")
    page.get_by_role("button", name="Bật xác thực hai bước").click()
    expect(page.get_by_test_id("code-error")).to_be_visible()
    expect(page.locator("input[name=code]")).to_have_attribute("aria-invalid", "true")

    page.locator("input[name=code]").fill(code_from_key(key))
    page.get_by_role("button", name="Bật xác thực hai bước").click()
    expect(page.get_by_test_id("backup-codes").locator("li")).to_have_count(10)
    backup_codes = page.get_by_test_id("backup-codes").locator("li").all_inner_texts()
    page.get_by_role("link", name="Tiếp tục").click()
    expect(page).to_have_url(re.compile(r"/cases/$"))
    expect(page.get_by_test_id("current-user")).to_contain_text("Lê Thị Lãnh Đạo")

    # Next log-in: the password, then a code (a backup code here: the app's code was just used).
    page.locator("form[action='/accounts/logout/'] button").click()
    password_step(page, live_server.url, leader)
    expect(page).to_have_url(re.compile(r"/accounts/login/code/"))
    page.locator("input[name=code]").fill(backup_codes[0])
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()
    expect(page.locator(".alert")).to_contain_text("9")

    page.get_by_test_id("security-link").click()
    expect(page.get_by_test_id("two-factor-status")).to_contain_text("Bật")
    expect(page.get_by_test_id("codes-left")).to_contain_text("9")
