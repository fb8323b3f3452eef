"""The portal by keyboard alone: the skip link, a visible focus ring, a case recorded and moved with
Tab/Enter/arrow keys only, the action modal that keeps and gives back the focus, the phone menu."""

import re

from playwright.sync_api import Page, expect

from cases.models import Case
from portal.accounts.models import User
from tests.browser.portal_pages import PHONE, sign_in

ACTIVE = "document.activeElement"


def tab_to(page: Page, selector: str, *, limit: int = 60, back: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the element matching `selector` has the focus, as a person would."""
    for _ in range(limit):
        if page.evaluate(f"s => {ACTIVE} && {ACTIVE}.matches(s)", selector):
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"{selector} never got the focus after {limit} presses of Tab")


def focus_ring(page: Page) -> dict:
    return page.evaluate(
        f"""() => {{ const s = getComputedStyle({ACTIVE});
        return {{outline: s.outlineStyle + ' ' + s.outlineWidth, shadow: s.boxShadow}}; }}"""
    )


def ring_visible(ring: dict) -> bool:
    style, width = ring["outline"].split()
    return (style != "none" and float(width.removesuffix("px")) >= 2) or ring["shadow"] != "none"


def test_the_skip_link_is_the_first_stop_and_jumps_to_the_content(page: Page, live_server, tree, make_user):
    sign_in(page.context, live_server.url, make_user(User.Role.VIEWER, tree.thai_nguyen))
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_test_id("skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # hidden until focused
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_links_buttons_and_inputs_show_a_focus_ring(page: Page, live_server, tree, make_user):
    sign_in(page.context, live_server.url, make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen))
    page.goto(live_server.url + "/cases/")
    for selector in (
        "nav a.nav-link",  # a link on the dark navbar
        "[data-testid=bell]",  # the bell, on the dark navbar
        "[data-testid=logout]",  # log out, a button on the light bar
        "#language",  # the language select
        "[data-testid=export-xlsx]",  # a button-styled link
        "#id_q",  # a text input
        "[data-testid=apply-filters]",  # a button
    ):
        tab_to(page, selector)
        ring = focus_ring(page)
        assert ring_visible(ring), f"{selector}: no visible focus ({ring})"


def test_officer_records_a_case_and_moves_it_with_the_keyboard_only(page: Page, live_server, tree, make_user):
    officer = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen, full_name="Lê Văn Thường Trực")
    sign_in(page.context, live_server.url, officer)
    page.goto(live_server.url + "/cases/")
    keys = page.keyboard

    tab_to(page, "[data-testid=new-case]")
    keys.press("Enter")
    expect(page.get_by_test_id("case-form")).to_be_visible()
    tab_to(page, "#id_title")
    keys.type("Trộm cắp xe máy tại chợ Ba Hàng")
    tab_to(page, "#id_category")
    keys.press("ArrowDown")  # the first article of the list
    tab_to(page, "#id_severity")
    keys.press("ArrowDown")
    keys.press("ArrowDown")
    tab_to(page, "#id_unit")
    keys.type("05860")
    expect(page.locator("[data-unit-name-for=id_unit]")).to_contain_text("Phường Phổ Yên")
    tab_to(page, "[data-testid=save-case]")
    keys.press("Enter")

    expect(page).to_have_url(re.compile(r"/cases/\d+/$"))
    expect(page.get_by_test_id("case-status").locator("[data-status=received]")).to_be_visible()

    # The move opens a modal that takes the focus, keeps it inside and gives it back on Escape.
    tab_to(page, "[data-testid=move-investigating]")
    keys.press("Enter")
    modal = page.locator("#action-move-investigating")
    expect(modal).to_be_focused()  # Bootstrap moves the focus in once the modal has faded in
    # Past the modal's last control the browser's own toolbar has the focus (the body, to the page); the next
    # Tab comes back to the modal, never to the page behind it.
    for _ in range(8):
        keys.press("Tab")
        where = page.evaluate(f"() => {ACTIVE} === document.body || !!{ACTIVE}.closest('#action-move-investigating')")
        assert where, "the focus reached the page behind the modal: " + page.evaluate(f"() => {ACTIVE}.outerHTML")
    keys.press("Escape")
    expect(modal).to_be_hidden()
    expect(page.get_by_test_id("move-investigating")).to_be_focused()

    keys.press("Enter")
    expect(modal).to_be_focused()
    tab_to(page, "#action-move-investigating textarea")
    keys.type("Quyết định khởi tố số 12")
    tab_to(page, "#action-move-investigating [data-testid=confirm]")
    keys.press("Space")
    expect(page.get_by_test_id("case-status").locator("[data-status=investigating]")).to_be_visible()

    case = Case.objects.get()
    assert (case.status, case.unit, case.title) == ("investigating", tree.pho_yen, "Trộm cắp xe máy tại chợ Ba Hàng")
    assert case.events.filter(note="Quyết định khởi tố số 12").exists()


def test_at_phone_size_the_menu_opens_with_the_keyboard(page: Page, live_server, tree, make_user):
    sign_in(page.context, live_server.url, make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen))
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    menu = page.locator("#main-nav")
    expect(menu).to_be_hidden()
    tab_to(page, ".navbar-toggler")
    assert ring_visible(focus_ring(page))
    page.keyboard.press("Enter")
    expect(menu).to_be_visible()
    expect(page.locator(".navbar-toggler")).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    assert page.evaluate(f"() => !!{ACTIVE}.closest('#main-nav')"), "Tab does not lead into the open menu"
    tab_to(page, "#main-nav [data-nav='cases:list']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/cases/$"))
