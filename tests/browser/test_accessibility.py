"""axe-core (from npm) inside chromium on every main page, in Vietnamese and English, at desktop and
phone sizes: no violation of serious or critical impact."""

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.portal_pages import LOCALES, MAIN_PAGES, ROOT, SIZES, main_pages, portal_data, sign_in  # noqa: F401
from tests.conftest import skip_or_fail

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def axe_violations(page: Page) -> list[dict]:
    """The page's violations of impact serious or critical, as axe-core reports them."""
    if not AXE.is_file():
        skip_or_fail(f"axe-core is not installed at {AXE}: run `npm ci` (make test does it when npm exists)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def readable(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = "; ".join(" ".join(node["target"]) for node in v["nodes"][:8])
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} — {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", LOCALES)
@pytest.mark.parametrize("name", MAIN_PAGES)
def test_no_serious_or_critical_axe_violation(name, language, size, browser: Browser, live_server, portal_data):  # noqa: F811
    # The policy allows no inline script: axe is injected into a context that bypasses it (for axe only).
    context = browser.new_context(locale=LOCALES[language], viewport=SIZES[size], bypass_csp=True)
    try:
        if name != "login":
            sign_in(context, live_server.url, portal_data.officer)
        page = context.new_page()
        response = page.goto(live_server.url + main_pages(portal_data)[name])
        assert response.status == 200, response.status
        assert page.locator("html").get_attribute("lang") == language
        violations = axe_violations(page)
        assert not violations, f"{name} ({language}, {size}):\n{readable(violations)}"
    finally:
        context.close()
