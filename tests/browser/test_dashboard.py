"""The dashboard in chromium: KPI cards and charts, a new period from the picker, a drill-down to a commune and back."""

import re
from datetime import date

from playwright.sync_api import Page, expect

from portal.accounts.models import User
from portal.reports.models import Target
from tests.browser.test_cases import log_in
from tests.factories import bulk_cases as add_cases


def test_leader_reads_the_dashboard_changes_the_period_and_drills_down_to_a_commune(
    page: Page, live_server, tree, make_user
):
    Target.objects.create(indicator="clearance_rate", unit=tree.root, year_from=2019, year_to=2030, value=75)
    Target.objects.create(indicator="serious_clearance_rate", unit=tree.root, year_from=2019, year_to=2030, value=90)
    add_cases(tree.pho_yen, 8, on=date(2021, 8, 2), cleared_on=date(2021, 8, 20))
    add_cases(tree.pho_yen, 2, on=date(2021, 8, 3), article="249")
    add_cases(tree.pho_yen, 3, on=date(2021, 7, 9), severity="very_serious", cleared_on=date(2021, 9, 1))
    add_cases(tree.pho_yen, 6, on=date(2020, 8, 2))
    leader = make_user(User.Role.LEADER, tree.thai_nguyen, full_name="Trần Văn Lãnh Đạo")
    log_in(page, live_server.url, leader)

    # Home is the dashboard of the leader's own unit, this year to date.
    expect(page.get_by_test_id("dashboard-unit")).to_have_text("Tỉnh Thái Nguyên")
    expect(page.get_by_test_id("kpi-cards").get_by_test_id("kpi-value")).to_have_count(4)
    for name in ("trend", "severity", "lines"):
        expect(page.get_by_test_id(f"chart-{name}").locator("svg[role=img]")).to_be_visible()

    # A quarter, through the picker: the fields that quarter does not use are hidden by dashboard.js.
    picker = page.get_by_test_id("period-picker")
    picker.get_by_test_id("picker-kind").select_option("quarter")
    expect(picker.get_by_test_id("picker-month")).to_be_hidden()
    expect(picker.get_by_test_id("picker-start")).to_be_hidden()
    picker.get_by_test_id("picker-year").select_option("2021")
    picker.get_by_test_id("picker-quarter").select_option("3")
    picker.get_by_test_id("picker-apply").click()

    expect(page).to_have_url(re.compile(r"/\?unit=19&period=2021-Q3$"))
    expect(page.get_by_test_id("period-label")).to_have_text("Quý III/2021")
    cases = page.get_by_test_id("kpi-cases_total")
    expect(cases.get_by_test_id("kpi-value")).to_have_text("13")
    expect(page.get_by_test_id("kpi-clearance_rate").get_by_test_id("kpi-value")).to_have_text("84,6%")
    expect(page.get_by_test_id("narrative")).to_contain_text("Quý III/2021")
    expect(page.get_by_test_id("chart-lines").locator("svg")).to_contain_text("Tội phạm về ma túy")

    # Down to the commune, for the same quarter; the breadcrumbs lead back up.
    table = page.get_by_test_id("drilldown-table")
    table.get_by_test_id("child-link").filter(has_text="Phường Phổ Yên").click()

    expect(page.get_by_test_id("dashboard-unit")).to_have_text("Phường Phổ Yên")
    expect(page.get_by_test_id("period-label")).to_have_text("Quý III/2021")
    expect(page.get_by_test_id("kpi-cases_total").get_by_test_id("kpi-value")).to_have_text("13")
    expect(page.get_by_test_id("no-children")).to_be_visible()
    page.get_by_test_id("breadcrumbs").get_by_test_id("crumb").filter(has_text="Tỉnh Thái Nguyên").click()

    expect(page.get_by_test_id("dashboard-unit")).to_have_text("Tỉnh Thái Nguyên")
    expect(page.get_by_test_id("period-label")).to_have_text("Quý III/2021")

    # A column title sorts the drill-down on the server.
    page.get_by_test_id("drilldown-table").locator("a[data-sort=cases]").click()
    expect(page).to_have_url(re.compile(r"sort=-cases"))
    expect(page.get_by_test_id("drilldown-table").locator("th[aria-sort=descending]")).to_have_count(1)


def test_a_unit_outside_scope_is_not_found_in_the_browser(page: Page, live_server, tree, make_user):
    log_in(page, live_server.url, make_user(User.Role.VIEWER, tree.thai_nguyen))
    response = page.goto(live_server.url + "/?unit=01")
    assert response.status == 404
