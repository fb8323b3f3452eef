"""The hotspot map in chromium: one marker per hotspot with coordinates, popups linking to the file, the table
listing every hotspot, and no request leaving the portal unless a tile server is configured."""

import re
from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from campaigns.services import hotspot_create, hotspot_transition
from portal.accounts.models import User
from tests.browser.test_cases import log_in
from tests.factories import TEST_PASSWORD

LOGIN_PATH = "/accounts/login/"
DAY = date(2025, 9, 1)
LOCAL = {"127.0.0.1", "localhost"}  # the live server: nothing else may be asked for


@pytest.fixture
def officer(tree, make_user):
    return make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen)


@pytest.fixture
def hotspots(tree, officer, make_user):
    """Three hotspots of Thái Nguyên on the map (one in each status), one without coordinates, one in Hà Nội."""

    def make(name, unit, lat=None, lng=None, actor=officer):
        return hotspot_create(
            actor=actor, unit=unit, kind="drugs", name=name, identified_on=DAY, latitude=lat, longitude=lng
        )

    river = make("Bãi sông Cầu", tree.pho_yen, Decimal("21.4205"), Decimal("105.8723"))
    market = make("Chợ đêm Ba Hàng", tree.pho_yen, Decimal("21.4102"), Decimal("105.8650"))
    station = make("Bến xe khách", tree.thai_nguyen, Decimal("21.5922"), Decimal("105.8441"))
    hotspot_transition(hotspot=market, to="under_remediation", on=date(2025, 9, 10), actor=officer, version=1)
    station = hotspot_transition(
        hotspot=station, to="under_remediation", on=date(2025, 9, 10), actor=officer, version=1
    )
    hotspot_transition(hotspot=station, to="resolved", on=date(2025, 10, 1), actor=officer, version=2)
    make("Quán karaoke xóm Chùa", tree.thai_nguyen)  # no coordinates: in the table only
    hanoi = make_user(User.Role.STANDING_OFFICER, tree.ha_noi)
    make("Phố đi bộ", tree.ba_dinh, Decimal("21.03"), Decimal("105.85"), actor=hanoi)
    return river


def markers(page: Page):
    return page.locator("#hotspot-map .leaflet-marker-icon")


def test_markers_popups_and_table_with_no_request_leaving_the_portal(page: Page, live_server, officer, hotspots):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    log_in(page, live_server.url, officer)

    page.goto(live_server.url + "/hotspots/")

    expect(page.get_by_test_id("hotspot-row")).to_have_count(4)
    expect(page.get_by_test_id("hotspot-table")).to_contain_text("Quán karaoke xóm Chùa")
    expect(page.get_by_test_id("hotspot-map")).to_be_visible()
    expect(markers(page)).to_have_count(3)
    for status in ("identified", "under_remediation", "resolved"):
        expect(page.locator(f"#hotspot-map .hotspot-marker--{status}")).to_have_count(1)
    expect(page.get_by_test_id("off-map")).to_contain_text("1")
    expect(page.locator("#hotspot-map .leaflet-tile")).to_have_count(0)  # no tile layer at all

    page.locator(f'#hotspot-map [data-hotspot-id="{hotspots.pk}"]').click()
    link = page.locator(".leaflet-popup-content a")
    expect(link).to_have_text("Bãi sông Cầu")
    expect(link).to_have_attribute("href", f"/hotspots/{hotspots.pk}/")
    link.click()
    expect(page).to_have_url(re.compile(rf"/hotspots/{hotspots.pk}/$"))
    expect(page.get_by_test_id("hotspot-name")).to_have_text("Bãi sông Cầu")

    assert urlsplit(live_server.url).hostname in LOCAL
    outside = [url for url in requests if not url.startswith("data:") and urlsplit(url).hostname not in LOCAL]
    assert outside == []
    assert any(url.endswith("/vendor/leaflet/leaflet.js") for url in requests)


def test_with_a_tile_server_that_cannot_be_reached_the_markers_and_table_still_work(
    page: Page, live_server, officer, hotspots, settings
):
    settings.PORTAL_MAP_TILES_URL = "http://tiles.intranet.invalid/{z}/{x}/{y}.png"
    settings.PORTAL_MAP_TILES_ATTRIBUTION = "Bản đồ nội bộ"
    # The policy allows the tile server's images; settings.py derives that from PORTAL_MAP_TILES_URL
    # when it starts, so a test that changes the URL afterwards changes the policy too.
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "img-src": [*settings.SECURE_CSP["img-src"], "http://tiles.intranet.invalid"],
    }
    tile_requests: list[str] = []

    def refuse(route):
        tile_requests.append(route.request.url)
        route.abort()  # the tile server is down

    page.route("http://tiles.intranet.invalid/**", refuse)
    log_in(page, live_server.url, officer)

    page.goto(live_server.url + "/hotspots/")

    expect(markers(page)).to_have_count(3)
    expect(page.get_by_test_id("hotspot-row")).to_have_count(4)
    expect(page.locator("#hotspot-map .leaflet-control-attribution")).to_contain_text("Bản đồ nội bộ")
    page.wait_for_timeout(300)
    assert tile_requests and all(re.search(r"/\d+/\d+/\d+\.png$", url) for url in tile_requests)


def test_without_javascript_the_table_is_the_page(browser: Browser, live_server, officer, hotspots):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    try:
        page.goto(live_server.url + LOGIN_PATH)
        page.locator("input[name=username]").fill(officer.username)
        page.locator("input[name=password]").fill(TEST_PASSWORD)
        page.locator("form:has(input[name=password]) button[type=submit]").click()
        page.goto(live_server.url + "/hotspots/")

        expect(page.get_by_test_id("hotspot-row")).to_have_count(4)
        expect(page.get_by_test_id("hotspot-map")).to_be_hidden()
        expect(page.get_by_test_id("hotspot-table").locator("a").first).to_be_visible()
    finally:
        context.close()
