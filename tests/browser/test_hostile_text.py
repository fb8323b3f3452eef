"""Hostile text in chromium: a hotspot named with markup shows as text in the table, on the map and in its
popup (the map builds popups with textContent); no script runs and no CSP rule is broken."""

from datetime import date
from decimal import Decimal

from playwright.sync_api import Page, expect

from campaigns.services import hotspot_create
from portal.accounts.models import User
from tests.browser.test_cases import log_in

HOSTILE = '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>'


def test_a_hotspot_named_with_markup_stays_text_everywhere(page: Page, live_server, tree, make_user):
    officer = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen)
    hotspot_create(
        actor=officer,
        unit=tree.pho_yen,
        kind="drugs",
        name=HOSTILE,
        description=HOSTILE,
        identified_on=date(2025, 9, 1),
        latitude=Decimal("21.4205"),
        longitude=Decimal("105.8723"),
    )
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, live_server.url, officer)

    page.goto(live_server.url + "/hotspots/")
    expect(page.get_by_test_id("hotspot-row")).to_have_count(1)
    expect(page.get_by_test_id("hotspot-row")).to_contain_text(HOSTILE)
    page.locator("#hotspot-map .leaflet-marker-icon").first.click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text(HOSTILE)
    page.get_by_test_id("hotspot-row").locator("a").first.click()
    expect(page.locator("h1")).to_contain_text(HOSTILE)

    assert page.locator("img[src='x']").count() == 0
    assert page.title() != "pwned"  # the name is in the title, as text: no script set it
    assert dialogs == []
