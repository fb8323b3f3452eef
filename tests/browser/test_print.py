"""Printing: the dashboard, a case and the report preview print their content only (no menu, language bar,
buttons or filters), say where and when they were printed, and the dashboard fits a few A4 pages."""

import re

from playwright.sync_api import Page, expect

from tests.browser.portal_pages import main_pages, portal_data, sign_in  # noqa: F401


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_the_dashboard_prints_its_figures_on_a_few_pages(page: Page, live_server, portal_data):  # noqa: F811
    sign_in(page.context, live_server.url, portal_data.officer)
    page.goto(live_server.url + main_pages(portal_data)["dashboard"])
    page.emulate_media(media="print")

    chrome = ("nav.navbar", ".language-bar", "footer", "[data-testid=period-picker]", "[data-testid=report-downloads]")
    for hidden in chrome:
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator("main")).to_be_visible()
    expect(page.get_by_test_id("kpi-cards")).to_be_visible()
    expect(page.get_by_test_id("dashboard-unit")).to_have_text("Tỉnh Thái Nguyên")
    expect(page.get_by_test_id("period-label")).to_have_text("9 tháng năm 2025")
    header = page.get_by_test_id("print-header")
    expect(header).to_be_visible()
    expect(header).to_contain_text(re.compile(r"In lúc \d{2}/\d{2}/\d{4} \d{2}:\d{2}"))
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background in {"rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"}

    pdf = page.pdf(format="A4", print_background=False)
    assert 1 <= pdf_pages(pdf) <= 4, pdf_pages(pdf)


def test_a_case_prints_without_its_buttons(page: Page, live_server, portal_data):  # noqa: F811
    sign_in(page.context, live_server.url, portal_data.officer)
    page.goto(live_server.url + main_pages(portal_data)["case-detail"])
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.get_by_test_id("edit-case")).to_be_hidden()
    expect(page.get_by_text(portal_data.case.title).first).to_be_visible()
    expect(page.get_by_test_id("print-header")).to_contain_text("Tỉnh Thái Nguyên")


def test_the_report_preview_prints_the_sheet_only(page: Page, live_server, portal_data):  # noqa: F811
    sign_in(page.context, live_server.url, portal_data.officer)
    page.goto(live_server.url + main_pages(portal_data)["report-preview"])
    page.emulate_media(media="print")
    expect(page.get_by_test_id("document-toolbar")).to_be_hidden()
    expect(page.get_by_test_id("narrative")).to_be_visible()
    expect(page.get_by_test_id("main-figures").locator("thead")).to_have_css("display", "table-header-group")
