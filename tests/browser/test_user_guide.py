"""The user guide's screenshots: the demo data in chromium, one PNG per page the guide shows, each page checked first.

`make test` runs this module and rewrites `docs/screenshots/` (or `PORTAL_SCREENSHOT_DIR`): a page that changed
shows up in `git status` as changed images, to look at and commit with the change. Each `Shot` names the demo
log-in, the page and the element the guide's text points at (the button it tells the reader to click, with its
label); a page without that element fails the test, so the guide and the pages cannot drift apart silently.
Adding a screenshot is one `Shot(...)` line below and one image link in docs/user-guide.md: the last test fails
while an image is missing from the guide or the guide links an image that no shot makes.

The clock is pinned (TODAY, NOW) so the same code gives the same pictures: the demo data, the periods and the
"computed at" times all derive from it. Images are PNG reduced to a 256-colour palette: a third of Playwright's
size, text as sharp as the page (JPEG at quality 80 was no smaller and blurred the Vietnamese diacritics).
"""

import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from playwright.sync_api import Browser, Locator, Page, expect

from campaigns.models import Campaign, GoodPracticeModel, PropagandaProgram
from cases.models import Case
from portal.accounts.management.commands.seed_demo import DEMO_PASSWORD
from portal.accounts.models import User
from portal.jobs.models import Job
from portal.jobs.services import job_run
from portal.oversight.models import Directive, Inspection, Recommendation
from tests.browser.test_cases import LOGIN_PATH, phone_code

ROOT = Path(settings.BASE_DIR)
SHOT_DIR = Path(os.environ.get("PORTAL_SCREENSHOT_DIR") or ROOT / "docs" / "screenshots")
GUIDES = {"vi": ROOT / "docs" / "user-guide.md", "en": ROOT / "docs" / "user-guide.en.md"}
DESKTOP = (1280, 800)
PHONE = (375, 740)
TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 9, 30, tzinfo=ZoneInfo(settings.TIME_ZONE))
LOGIN = "<log-in page>"  # a shot of the log-in page, taken before the password is typed
SECOND_STEP = "<second step>"  # a shot of the code page, taken between the password and the code


@dataclass(frozen=True)
class Shot:
    """One screenshot: `docs/screenshots/<name>.png` of `path` as `user` sees it.

    `check` is the data-testid (or a CSS selector) of the element the guide refers to; `text`, when given, is
    the English source of a label that element shows: the page must show it, and the guide quote it, in
    the shot's language (so a changed translation fails here until the guide says the same). `element` shoots
    that element only, `scroll` brings it into the viewport first; `size` is the viewport; `lang` the browser's
    language.
    """

    name: str
    user: str
    path: str
    check: str
    text: str = ""
    element: bool = False
    scroll: bool = False
    size: tuple[int, int] = DESKTOP
    lang: str = "vi"


# In log-in order: the shots of one (user, lang) follow each other. Paths take {placeholders} from `targets()`.
SHOTS = [
    Shot("login", "tn.lanhdao", LOGIN, "form:has(input[name=password])", "Log in"),
    Shot("second-step", "tn.lanhdao", SECOND_STEP, "input[name=code]"),
    Shot("leader-dashboard", "tn.lanhdao", "/", "kpi-cards"),
    Shot("leader-period-picker", "tn.lanhdao", "/?unit=19&period=2021-9M", "period-picker", "Show", element=True),
    Shot("leader-drilldown", "tn.lanhdao", "/?unit=19&period=2021-9M&sort=-cases", "drilldown", scroll=True),
    Shot("leader-awaiting", "tn.lanhdao", "/", "awaiting", element=True),
    Shot("leader-report-preview", "tn.lanhdao", "/reports/document/?unit=19&period=2021-9M", "document-toolbar"),
    Shot("leader-subscriptions", "tn.lanhdao", "/reports/subscriptions/", "subscription-form", "Subscribe"),
    Shot("account-security", "tn.lanhdao", "/accounts/security/", "two-factor-status"),
    Shot("notifications", "tn.lanhdao", "/notifications/", "read-all", "Mark all as read"),
    Shot("notification-settings", "tn.lanhdao", "/notifications/settings/", "preference"),
    Shot("dashboard-phone", "tn.lanhdao", "/", "kpi-cards", size=PHONE),
    Shot(
        "central-recommendation",
        "tw.lanhdao",
        "/oversight/recommendations/{recommendation}/",
        "answer-form",
        scroll=True,
    ),
    Shot("officer-case-list", "tn.thuongtruc", "/cases/", "new-case", "New case"),
    Shot("officer-case-form", "tn.thuongtruc", "/cases/new/", "case-form"),
    Shot("officer-case-detail", "tn.thuongtruc", "/cases/{case}/", "case-actions", scroll=True),
    Shot("officer-deadlines", "tn.thuongtruc", "/cases/?deadline=overdue", "case-table"),
    Shot("officer-case-import", "tn.thuongtruc", "/cases/import/", "import-form"),
    Shot("officer-campaign", "tn.thuongtruc", "/campaigns/{campaign}/", "planned-vs-achieved"),
    Shot("officer-hotspots", "tn.thuongtruc", "/hotspots/", "hotspot-map"),
    Shot("search-results", "tn.thuongtruc", "/search/?q=pho+yen", "search-group-units"),
    Shot("job-done", "tn.thuongtruc", "/jobs/{job}/", "job-download"),
    Shot("investigator-case", "tn.dieutra", "/cases/{case}/", "parties", scroll=True),
    Shot("propaganda-programs", "tn.tuyentruyen", "/propaganda/", "new-program", "New program"),
    Shot("propaganda-program", "tn.tuyentruyen", "/propaganda/{program}/", "enter-activities", "Enter activities"),
    Shot("propaganda-import", "tn.tuyentruyen", "/propaganda/{program}/activities/import/", "import-form"),
    Shot("propaganda-model", "tn.tuyentruyen", "/models/{model}/", "replications"),
    Shot("inspector-overview", "tn.kiemtra", "/oversight/", "overview-counts"),
    Shot("inspector-inspection", "tn.kiemtra", "/oversight/inspections/{inspection}/", "directives", scroll=True),
    Shot("inspector-directive", "tn.kiemtra", "/oversight/directives/{directive}/", "progress-form"),
    Shot("viewer-campaigns", "tn.xem", "/campaigns/", "campaign-table"),
    Shot("admin-users", "tn.admin", "/admin/accounts/user/", "#changelist", "Reset two-step verification (lost phone)"),
    Shot("admin-audit", "tn.admin", "/admin/audit/auditevent/", "#changelist"),
    Shot("dashboard-en", "tn.xem", "/", "kpi-cards", "Criminal cases", lang="en"),
]


def targets() -> dict[str, int]:
    """The records the guide's pages show, picked the same way every time from the seeded demo data."""
    investigating = Case.objects.filter(status=Case.Status.INVESTIGATING)
    # A finished export of the standing officer's case list, built by the same code as the worker's.
    export = Job.objects.create(
        owner=User.objects.get(username="tn.thuongtruc"),
        kind="cases.export",
        parameters={"format": "xlsx", "query": "status=investigating"},
        language="vi",
    )
    job_run(job_id=export.pk)
    return {
        "job": export.pk,
        "case": investigating.filter(parties__isnull=False, cleared_on__isnull=False).order_by("-recorded_on")[0].pk,
        "campaign": Campaign.objects.filter(ends_on__lt=TODAY).order_by("-starts_on")[0].pk,
        "program": PropagandaProgram.objects.order_by("pk")[0].pk,
        "model": GoodPracticeModel.objects.filter(replications__isnull=False).order_by("pk")[0].pk,
        "inspection": Inspection.objects.order_by("starts_on")[0].pk,
        "directive": Directive.objects.exclude(status=Directive.Status.DONE).order_by("due_on")[0].pk,
        "recommendation": Recommendation.objects.filter(
            addressed_to__parent__isnull=True,
            status__in=[Recommendation.Status.SUBMITTED, Recommendation.Status.UNDER_REVIEW],
        )
        .order_by("pk")[0]
        .pk,
    }


@pytest.fixture
def pinned_clock(monkeypatch):
    localdate, real_now = timezone.localdate, timezone.now

    def pinned_localdate(value=None, timezone=None):
        return TODAY if value is None else localdate(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", pinned_localdate)

    def pinned_now():
        return NOW

    monkeypatch.setattr("django.utils.timezone.now", pinned_now)
    # A field default bound to the function itself at import keeps the real clock (the audit trail's time,
    # the time a job was asked for): every such default is pinned too. Django caches the function a field
    # calls (`_get_default`) the first time the process creates such a row, so that is pinned as well: in CI
    # an earlier test on the same worker had created a job, and job-done.png showed the real time.
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.default is real_now:
                # This one first: reading it to put it back later caches the real function, not the pinned.
                monkeypatch.setattr(field, "_get_default", pinned_now)
                monkeypatch.setattr(field, "default", pinned_now)
    yield real_now


@pytest.mark.django_db
def test_the_pinned_clock_reaches_a_default_the_process_has_already_used(request, tree, make_user):
    owner = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen)
    before = Job.objects.create(owner=owner, kind="cases.export", parameters={}, language="vi")  # caches it
    assert before.created_at != NOW
    request.getfixturevalue("pinned_clock")
    assert Job.objects.create(owner=owner, kind="cases.export", parameters={}, language="vi").created_at == NOW


def test_the_pinned_clock_leaves_the_real_clock_behind(request, monkeypatch):
    field = Job._meta.get_field("created_at")
    field.__dict__.pop("_get_default", None)  # as in a process that has not created a job yet (a cache only)
    request.getfixturevalue("pinned_clock")
    assert field.get_default() == NOW
    monkeypatch.undo()  # the fixture's teardown
    assert field.get_default() != NOW  # the tests after it on this worker get the real time


@pytest.fixture
def demo_data(transactional_db, pinned_clock):
    """What `make run` sets up: the unit lists, the roles, the demo log-ins and records (about 40 s here)."""
    call_command("load_units", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115 - closed with the process
    call_command("sync_roles", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("seed_demo", quiet=True)
    return targets()


def located(page: Page, check: str) -> Locator:
    return page.get_by_test_id(check) if re.fullmatch(r"[\w-]+", check) else page.locator(check)


def save_png(data: bytes, name: str) -> None:
    """Write the screenshot as a palette PNG (see the module docstring)."""
    image = Image.open(BytesIO(data)).convert("RGB")
    palette = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette.save(SHOT_DIR / f"{name}.png", optimize=True)


def label(shot: Shot) -> str:
    with translation.override(shot.lang):
        return translation.gettext(shot.text)


def take(page: Page, shot: Shot) -> None:
    target = located(page, shot.check).first
    expect(target).to_be_visible()
    if shot.text:
        expect(target).to_contain_text(label(shot))
    if shot.element:
        save_png(target.screenshot(animations="disabled"), shot.name)
        return
    if shot.scroll:
        target.scroll_into_view_if_needed()
    save_png(page.screenshot(animations="disabled"), shot.name)


def viewport(size: tuple[int, int]) -> dict[str, int]:
    return {"width": size[0], "height": size[1]}


def open_session(browser: Browser, base_url: str, user: str, lang: str, refused: list[str]) -> Page:
    """A new browser in `lang`, signed in as the demo user as a person does it: the password, then the code
    from the app for admins and leaders; the log-in shots of this user are taken on the way."""
    page = browser.new_context(locale="vi-VN" if lang == "vi" else "en-GB", viewport=viewport(DESKTOP)).new_page()
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    at_login = {s.path: s for s in SHOTS if (s.user, s.lang) == (user, lang) and s.path in (LOGIN, SECOND_STEP)}
    page.goto(base_url + LOGIN_PATH)
    if LOGIN in at_login:
        take(page, at_login[LOGIN])
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(user)
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    form.locator("button[type=submit]").click()
    device = TOTPDevice.objects.filter(user__username=user, confirmed=True).first()
    if device is not None:
        expect(page.locator("input[name=code]")).to_be_visible()
        if SECOND_STEP in at_login:
            take(page, at_login[SECOND_STEP])
        page.locator("input[name=code]").fill(phone_code(device))
        page.locator("form:has(input[name=code]) button[type=submit]").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()
    return page


def test_the_guide_pages_show_what_the_guide_says_and_their_screenshots_are_current(
    browser: Browser, live_server, demo_data
):
    SHOT_DIR.mkdir(parents=True, exist_ok=True)
    sessions: dict[tuple[str, str], Page] = {}
    refused: list[str] = []  # Content Security Policy refusals, as the browser conftest checks for `page`
    for shot in SHOTS:
        key = (shot.user, shot.lang)
        if key not in sessions:
            sessions[key] = open_session(browser, live_server.url, shot.user, shot.lang, refused)
        if shot.path in (LOGIN, SECOND_STEP):
            continue
        page = sessions[key]
        page.set_viewport_size(viewport(shot.size))
        response = page.goto(live_server.url + shot.path.format(**demo_data))
        assert response.status == 200, f"{shot.name}: {shot.path} answered {response.status}"
        take(page, shot)
    for page in sessions.values():
        page.context.close()
    assert not refused, refused


def linked_images(text: str) -> set[str]:
    return set(re.findall(r"screenshots/([\w.-]+\.png)", text))


def test_every_screenshot_is_in_a_guide_and_every_image_of_the_guides_is_made_by_a_shot():
    linked = set().union(*(linked_images(path.read_text(encoding="utf-8")) for path in GUIDES.values()))
    made = {f"{shot.name}.png" for shot in SHOTS}
    assert linked - made == set(), "the guides link images that no Shot makes"
    assert made - linked == set(), "these screenshots are in no guide"
    on_disk = {path.name for path in (ROOT / "docs" / "screenshots").glob("*.png")}
    assert linked - on_disk == set(), "run the browser tests to make these screenshots"
    assert on_disk - made == set(), "orphan screenshots in docs/screenshots/: delete them"


def test_the_labels_the_pages_are_checked_for_are_the_ones_the_guide_quotes():
    guides = {lang: path.read_text(encoding="utf-8") for lang, path in GUIDES.items()}
    for shot in SHOTS:
        if shot.text:
            assert label(shot) in guides[shot.lang], f"{shot.name}: the guide never quotes {label(shot)!r}"
