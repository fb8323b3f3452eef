"""Case pages in chromium: record a case, move it, clear it and read the timeline; refused actions say why."""

import re
from datetime import date

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from cases.models import Case
from cases.services import case_transition
from portal.accounts import two_factor
from portal.accounts.models import User
from tests.factories import TEST_PASSWORD, CategoryFactory, make_case

LOGIN_PATH = "/accounts/login/"


def phone_code(device: TOTPDevice) -> str:
    """What the user's authenticator app shows: the current code, or the next one if the current one
    was already used (each is accepted once; the portal also takes the next 30 s step)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    step = max(totp.t(), device.last_t + 1)
    totp.time = device.t0 + step * device.step
    return f"{totp.token():06d}"


def log_in(page: Page, base_url: str, user: User) -> None:
    """The whole log-in: the password, then, for the roles that must use it, the code from the phone
    (a device is set up for them first, as they would have done at their first log-in)."""
    device = None
    if two_factor.required_for(user):
        device = two_factor.app_device(user) or TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    page.goto(base_url + LOGIN_PATH)
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(user.username)
    form.locator("input[name=password]").fill(TEST_PASSWORD)
    form.locator("button[type=submit]").click()
    if device is not None:
        device.refresh_from_db()
        page.locator("input[name=code]").fill(phone_code(device))
        page.locator("form:has(input[name=code]) button[type=submit]").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()


def timeline(page: Page):
    return page.get_by_test_id("timeline-event")


def confirm_in_modal(page: Page, modal_id: str, note: str) -> None:
    modal = page.locator(f"#{modal_id}")
    expect(modal).to_be_visible()
    modal.locator("textarea").fill(note)
    modal.get_by_test_id("confirm").click()
    page.wait_for_load_state()


def test_standing_officer_records_a_case_moves_it_clears_it_and_sees_each_step_on_the_timeline(
    page: Page, live_server, tree, make_user
):
    officer = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen, full_name="Lê Văn Thường Trực")
    category = CategoryFactory()  # the live server's database is emptied between tests: no migrated articles
    log_in(page, live_server.url, officer)

    page.locator("nav [data-nav='cases:list']").click()
    expect(page.get_by_test_id("case-table")).to_be_visible()
    page.get_by_test_id("new-case").click()

    form = page.get_by_test_id("case-form")
    form.locator("#id_title").fill("Trộm cắp xe máy tại chợ Ba Hàng")
    form.locator("#id_category").select_option(str(category.pk))
    form.locator("#id_severity").select_option("serious")
    form.locator("#id_unit").fill("05860")
    # cases.js looks the code up in the units API and names the unit.
    expect(page.locator("[data-unit-name-for=id_unit]")).to_contain_text("Phường Phổ Yên")
    form.get_by_test_id("save-case").click()

    expect(page).to_have_url(re.compile(r"/cases/\d+/$"))
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id("case-status").locator("[data-status=received]")).to_be_visible()
    expect(timeline(page)).to_have_count(1)

    page.get_by_test_id("move-investigating").click()
    confirm_in_modal(page, "action-move-investigating", "Quyết định khởi tố số 12")

    expect(page.get_by_test_id("case-status").locator("[data-status=investigating]")).to_be_visible()
    expect(timeline(page)).to_have_count(2)

    page.get_by_test_id("action-clear").click()
    confirm_in_modal(page, "action-clear", "Đã xác định được đối tượng")

    expect(page.get_by_test_id("case-cleared")).to_be_visible()
    expect(page.get_by_test_id("action-clear")).to_have_count(0)
    steps = timeline(page)
    expect(steps).to_have_count(3)
    expect(steps.nth(0)).to_have_attribute("data-kind", "created")
    expect(steps.nth(1)).to_have_attribute("data-kind", "status")
    expect(steps.nth(1)).to_have_attribute("data-to", "investigating")
    expect(steps.nth(1)).to_contain_text("Quyết định khởi tố số 12")
    expect(steps.nth(2)).to_have_attribute("data-kind", "cleared")
    expect(steps.nth(2)).to_contain_text("Đã xác định được đối tượng")
    for step in range(3):
        expect(steps.nth(step)).to_contain_text("Lê Văn Thường Trực")

    case = Case.objects.get()
    assert (case.status, case.unit, case.version) == ("investigating", tree.pho_yen, 3)
    assert case.cleared_on is not None


def test_a_stale_move_and_an_illegal_move_are_refused_with_a_visible_message(page: Page, live_server, tree, make_user):
    officer = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen)
    colleague = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen)
    case = make_case(actor=officer, unit=tree.pho_yen, recorded_on=date(2025, 9, 1), category=CategoryFactory())
    log_in(page, live_server.url, officer)
    page.goto(f"{live_server.url}/cases/{case.pk}/")

    # Someone else moves the case while the page is open.
    case_transition(case=case, to="verifying", on=date(2025, 9, 2), actor=colleague, version=case.version)
    page.get_by_test_id("move-investigating").click()
    confirm_in_modal(page, "action-move-investigating", "Ghi chú của tôi")

    expect(page.get_by_test_id("form-errors")).to_be_visible()
    expect(page.get_by_test_id("form-errors")).not_to_be_empty()
    expect(page.get_by_test_id("case-status").locator("[data-status=verifying]")).to_be_visible()
    expect(page.locator("textarea[name=note]")).to_have_value("Ghi chú của tôi")  # the input is kept
    case.refresh_from_db()
    assert (case.status, case.version, case.events.count()) == ("verifying", 2, 2)

    # An illegal move (a crafted form: the page only offers legal ones) is refused by the workflow.
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_test_id("move-investigating").click()
    page.locator("#action-move-investigating input[name=to]").evaluate("input => { input.value = 'tried'; }")
    confirm_in_modal(page, "action-move-investigating", "")

    errors = page.get_by_test_id("form-errors")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text(re.compile(r"“(Tried|Đã xét xử)”"))
    case.refresh_from_db()
    assert (case.status, case.version, case.events.count()) == ("verifying", 2, 2)
