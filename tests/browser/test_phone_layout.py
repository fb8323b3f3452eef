"""Every GET page of the portal at 375 px: nothing scrolls sideways but inside its own scroller; each page is
photographed at phone and desktop sizes into var/screenshots/ (not tracked) for a person to look at."""

from django.urls import reverse
from playwright.sync_api import Browser, Page

from portal.accounts.models import User
from tests.browser.portal_pages import DESKTOP, PHONE, SCREENSHOTS, sign_in
from tests.test_page_matrix import PAGES, PageCtx, plant_parties

# The width the document needs beyond the window: 0 when nothing sticks out.
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
# Who sticks out, for the failure message: elements past the window's right edge, outside a scroller (or
# positioned out of it: an absolute element escapes a scroller that is not its containing block).
CULPRITS = """() => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    const scrolled = el.parentElement && el.parentElement.closest('.table-responsive, .leaflet-container');
    if (r.right > window.innerWidth + 1 && (!scrolled || getComputedStyle(el).position === 'absolute')) {
      const classes = typeof el.className === 'string' ? el.className.trim().split(/\\s+/).join('.') : '';
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (classes ? '.' + classes : '') +
               ' (' + Math.round(r.right) + ' px)');
    }
  }
  return out.slice(-6);
}"""


def page_urls(ctx) -> dict[str, str]:
    """One URL per GET page of the access matrix, its object in the actor's scope."""
    urls = {}
    for row in PAGES:
        if row.method != "GET" or row.name in urls:
            continue
        kwargs, query = row.target(ctx, True)
        url = reverse(row.name, kwargs=kwargs or None)
        if query:
            url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
        urls[row.name] = url
    return urls


def is_html(page: Page, url: str) -> bool:
    """Asked first with the page's cookies: a download (XLSX, PDF, CSV, PNG, the schema) is not a page."""
    response = page.request.get(url)
    return response.headers.get("content-type", "").startswith("text/html")


def test_every_page_fits_a_phone_and_is_photographed(browser: Browser, live_server, tree, make_user):
    admin = make_user(User.Role.ADMIN, tree.thai_nguyen, full_name="Nguyễn Văn Quản Trị")
    ctx = PageCtx(
        tree=tree,
        in_user=make_user(User.Role.VIEWER, tree.pho_yen),
        out_user=make_user(User.Role.VIEWER, tree.ba_dinh),
        actor=admin,
    )
    plant_parties(ctx)
    urls = page_urls(ctx)
    urls["accounts:login"] = reverse("accounts:login")  # signed out: the log-in form itself
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    too_wide, visited = {}, []
    for size, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(locale="vi-VN", viewport=viewport)
        signed_out = browser.new_context(locale="vi-VN", viewport=viewport)
        try:
            sign_in(context, live_server.url, admin)
            page, anonymous = context.new_page(), signed_out.new_page()
            for name, url in urls.items():
                tab = anonymous if name == "accounts:login" else page
                if not is_html(tab, live_server.url + url):
                    continue
                response = tab.goto(live_server.url + url)
                assert response.status == 200, f"{name}: {response.status}"
                tab.screenshot(path=SCREENSHOTS / f"{name.replace(':', '-')}-{size}.png", full_page=True)
                visited.append(name)
                if size == "phone" and tab.evaluate(OVERFLOW) > 0:
                    too_wide[name] = tab.evaluate(CULPRITS)
        finally:
            context.close()
            signed_out.close()
    assert not too_wide, "Pages wider than a 375 px phone:\n" + "\n".join(f"{n}: {c}" for n, c in too_wide.items())
    assert {"dashboard", "cases:list", "campaigns:hotspot-list", "reports:document"} <= set(visited)
