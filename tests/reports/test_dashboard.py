"""The dashboard page: KPI cards on hand-built cases, the period picker, scope, drill-down, sorting, query counts."""

import re
from datetime import date, datetime
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from portal.accounts.models import User
from portal.reports import indicators
from portal.reports.models import Summary, Target
from portal.reports.periods import Kind, current_period, parse_period
from portal.units.models import Unit
from tests.factories import UnitFactory
from tests.factories import bulk_cases as add_cases

pytestmark = pytest.mark.django_db
_refs = count(1)
DASHBOARD = "/"


@pytest.fixture
def english(client):
    """The page in English: the assertions read the English source strings, whatever the Vietnamese catalogue says."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def figures_2021(tree):
    """Thái Nguyên, 9 months of 2021 against 9 months of 2020, worked out by hand.

    2020: 20 cases (social order), 15 cleared by 30/9/2020 -> 75%; no very/especially serious case.
    2021: 19 cases: 14 serious (12 cleared) and 5 very serious (4 cleared) -> 16/19 = 84.21%, serious 4/5 = 80%;
          2 drug cases among the serious ones; plus cases that must not count.
    Targets 75 and 90: clearance 84.2 is 9.2 points above, serious 80 is 10 points below.
    """
    root = tree.root
    Target.objects.create(indicator="clearance_rate", unit=root, year_from=2019, year_to=2030, value=75)
    Target.objects.create(indicator="serious_clearance_rate", unit=root, year_from=2019, year_to=2030, value=90)
    add_cases(tree.legacy_ba_hang, 15, on=date(2020, 3, 1), cleared_on=date(2020, 9, 30))
    add_cases(tree.legacy_ba_hang, 5, on=date(2020, 3, 1), cleared_on=date(2020, 10, 1))  # cleared after the end
    add_cases(tree.pho_yen, 10, on=date(2021, 2, 10), cleared_on=date(2021, 5, 1))
    add_cases(tree.pho_yen, 2, on=date(2021, 7, 10), article="249", cleared_on=date(2021, 8, 1))
    add_cases(tree.pho_yen, 2, on=date(2021, 9, 30))
    add_cases(tree.thai_nguyen, 4, on=date(2021, 4, 4), severity="very_serious", cleared_on=date(2021, 9, 1))
    add_cases(tree.thai_nguyen, 1, on=date(2021, 4, 4), severity="very_serious")
    # Not counted: not criminal, after the period, another province.
    add_cases(tree.pho_yen, 3, on=date(2021, 5, 5), status=Case.Status.NOT_CRIMINAL)
    add_cases(tree.pho_yen, 6, on=date(2021, 10, 1))
    add_cases(tree.ba_dinh, 8, on=date(2021, 5, 5))
    return tree


def kpi(context, code):
    return next(card for card in context["kpis"] if card.code == code)


# --- KPI cards ------------------------------------------------------------------------------------


def test_kpi_cards_show_the_hand_worked_figures_targets_and_change(english, figures_2021, make_user):
    english.force_login(make_user(User.Role.LEADER, figures_2021.thai_nguyen))
    response = english.get(DASHBOARD, {"period": "2021-9M"})
    assert response.status_code == 200

    cases = kpi(response.context, "cases_total")
    assert (cases.value, cases.previous) == ("19", "20")
    assert (cases.change.arrow, cases.change.text, cases.change.tone) == ("▼", "5%", "success")
    social = kpi(response.context, "social_order_total")
    assert (social.value, social.previous, social.change.text) == ("17", "20", "15%")

    clearance = kpi(response.context, "clearance_rate")
    assert (clearance.value, clearance.target) == ("84.2%", "75%")
    assert clearance.against_target.text == "9.2 points above target"
    assert clearance.against_target.tone == "success"
    assert clearance.previous == "75%"
    assert (clearance.change.arrow, clearance.change.text) == ("▲", "9.2 points")

    serious = kpi(response.context, "serious_clearance_rate")
    assert (serious.value, serious.target) == ("80%", "90%")
    assert (serious.against_target.text, serious.against_target.tone) == ("10 points below target", "danger")
    assert serious.previous == "—" and serious.change is None  # no serious case in 2020: no rate to compare

    page = response.content.decode()
    assert 'data-testid="kpi-clearance_rate"' in page and "84.2%" in page
    assert "9.2 points above target" in page
    # The narrative is the committee's Vietnamese sentence, whatever the interface language.
    assert "9 tháng năm 2021, trên địa bàn tỉnh Thái Nguyên" in response.context["narrative"]
    assert response.context["narrative"] in page
    assert response.context["source"]["source"] == "live"


def test_vietnamese_page_shows_vietnamese_numbers_and_the_narrative(client, figures_2021, make_user):
    client.force_login(make_user(User.Role.VIEWER, figures_2021.thai_nguyen))
    page = client.get(DASHBOARD, {"period": "2021-9M"}, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<html lang="vi">' in page
    assert "84,2%" in page and "vượt chỉ tiêu 9,2%" in page
    assert "9 tháng năm 2021" in page
    assert "9,2 điểm" in page


def test_a_closed_period_reads_its_snapshot_and_says_so(english, figures_2021, make_user):
    period = parse_period("2021-9M")
    figures = indicators.figures(unit=figures_2021.thai_nguyen, period=period)
    figures["cases_total"]["value"] = 999  # proves the page reads the stored figures, not live ones
    Summary.objects.create(
        unit=figures_2021.thai_nguyen,
        period_spec=period.spec,
        start=period.start,
        end=period.end,
        figures=figures,
        built_at=timezone.make_aware(datetime(2021, 10, 2, 1, 0)),
        approved_at=timezone.make_aware(datetime(2021, 10, 5, 9, 0)),
    )
    english.force_login(make_user(User.Role.LEADER, figures_2021.thai_nguyen))
    response = english.get(DASHBOARD, {"period": "2021-9M"})
    assert kpi(response.context, "cases_total").value == "999"
    source = response.content.decode().split('data-testid="figures-source"')[1].split("</p>")[0]
    assert "Snapshot" in source and "approved" in source and "not yet approved" not in source


# --- Period picker --------------------------------------------------------------------------------


def test_default_period_is_this_year_to_date(english, tree, make_user):
    english.force_login(make_user(User.Role.VIEWER, tree.thai_nguyen))
    response = english.get(DASHBOARD)
    assert response.context["period"] == current_period(Kind.YTD, timezone.localdate())
    assert response.context["unit"] == tree.thai_nguyen


@pytest.mark.parametrize(
    ("params", "label"),
    [
        ({"period": "2021"}, "Năm 2021"),
        ({"period": "2021-Q3"}, "Quý III/2021"),
        ({"period": "2021-H1"}, "6 tháng đầu năm 2021"),
        ({"period": "2021-9M"}, "9 tháng năm 2021"),
        ({"period": "2021-09"}, "Tháng 9/2021"),
        ({"period": "2021-YTD-05"}, "Từ đầu năm đến hết tháng 5/2021"),
        ({"start": "2021-01-05", "end": "2021-03-31"}, "Từ 05/01/2021 đến 31/03/2021"),
    ],
)
def test_every_kind_of_period_is_read_from_the_address(english, tree, make_user, params, label):
    english.force_login(make_user(User.Role.VIEWER, tree.thai_nguyen))
    response = english.get(DASHBOARD, params)
    assert response.status_code == 200
    assert response.context["period"].label == label
    assert f'data-testid="period-label">{label}<' in response.content.decode()


@pytest.mark.parametrize(
    ("picked", "expected"),
    [
        ({"kind": "quarter", "year": "2021", "quarter": "3", "month": "7"}, {"period": "2021-Q3"}),
        ({"kind": "half", "year": "2020", "half": "2"}, {"period": "2020-H2"}),
        ({"kind": "nine_months", "year": "2021", "month": "4"}, {"period": "2021-9M"}),
        ({"kind": "year", "year": "2019"}, {"period": "2019"}),
        ({"kind": "month", "year": "2021", "month": "9"}, {"period": "2021-09"}),
        ({"kind": "ytd", "year": "2021", "month": "5"}, {"period": "2021-YTD-05"}),
        ({"kind": "custom", "start": "2021-01-05", "end": "2021-03-31"}, {"start": "2021-01-05", "end": "2021-03-31"}),
    ],
)
def test_the_picker_form_sends_the_browser_to_the_canonical_address(english, tree, make_user, picked, expected):
    english.force_login(make_user(User.Role.VIEWER, tree.thai_nguyen))
    response = english.get(DASHBOARD, {**picked, "unit": "05860", "edition": "", "sort": "-cases"})
    assert response.status_code == 302
    location = response["Location"]
    query = dict(re.findall(r"[?&]([^=&]+)=([^&]*)", location))
    assert query == {"unit": "05860", "sort": "-cases", **expected}
    assert english.get(location).status_code == 200


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "2021-Q5"}, "the quarter must be 1 to 4"),
        ({"period": "last spring"}, "is not a period"),
        ({"start": "2021-01-01"}, "Give both the start and the end date"),
        ({"start": "2021-02-30", "end": "2021-03-31"}, "is not a date"),
        ({"start": "2021-03-31", "end": "2021-01-01"}, "before it starts"),
        ({"kind": "month", "year": "2021", "month": "13"}, "needs a number from 1 to 12"),
        ({"kind": "quarter", "year": "", "quarter": "2"}, "Choose a year"),
        ({"kind": "weekly", "year": "2021"}, "is not a kind of period"),
        # Found by the API fuzzer on the summaries: year 1 has no same period last year (500).
        ({"period": "0001"}, "The year 1 is out of range"),
        ({"start": "0001-01-07", "end": "0001-01-07"}, "The year 1 is out of range"),
        ({"kind": "year", "year": "1"}, "The year 1 is out of range"),
    ],
)
def test_a_period_that_cannot_be_read_is_explained_not_a_server_error(english, tree, make_user, params, message):
    english.force_login(make_user(User.Role.VIEWER, tree.thai_nguyen))
    response = english.get(DASHBOARD, params)
    assert response.status_code == 400
    error = response.content.decode().split('data-testid="period-error"')[1].split("</div>")[0]
    assert message in error
    assert 'data-testid="period-picker"' in response.content.decode()  # the way out is on the page


# --- Scope ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"unit": "01"}, 404),  # another province
        ({"unit": "00004"}, 404),  # a commune of another province
        ({"unit": "VN"}, 404),  # the country, above the user's unit
        ({"unit": "99999"}, 404),  # no such unit
        ({"unit": "19", "edition": "nonsense"}, 404),
        ({"unit": "05860"}, 200),  # a commune inside
        ({"unit": "05860", "edition": "legacy"}, 200),  # a legacy ward that rolls up inside
        ({"unit": "172", "edition": "legacy"}, 200),
    ],
)
def test_a_unit_outside_the_users_scope_is_404(english, tree, make_user, params, status):
    english.force_login(make_user(User.Role.INVESTIGATOR, tree.thai_nguyen))
    assert english.get(DASHBOARD, {**params, "period": "2021"}).status_code == status
    chart = english.get(reverse("reports:chart", args=["lines", "svg"]), {**params, "period": "2021"})
    assert chart.status_code == status


def test_every_role_sees_the_dashboard_of_their_unit(english, tree, make_user):
    for role in User.Role:
        english.force_login(make_user(role, tree.ha_noi))
        response = english.get(DASHBOARD)
        assert response.status_code == 200, role
        assert response.context["unit"] == tree.ha_noi


# --- Drill-down -----------------------------------------------------------------------------------


def test_drill_down_links_keep_the_period_and_breadcrumbs_lead_back_up(english, figures_2021, make_user):
    tree = figures_2021
    english.force_login(make_user(User.Role.LEADER, tree.root))
    national = english.get(DASHBOARD, {"period": "2021-9M"})
    rows = {row["label"]: row for row in national.context["children"]}
    assert set(rows) == {"Tỉnh Thái Nguyên", "Thành phố Hà Nội"}
    assert rows["Tỉnh Thái Nguyên"]["href"] == "?unit=19&period=2021-9M"
    assert (rows["Tỉnh Thái Nguyên"]["cases"], rows["Thành phố Hà Nội"]["cases"]) == ("19", "8")
    assert 'href="/?unit=19&amp;period=2021-9M"' in national.content.decode()

    province = english.get(DASHBOARD + rows["Tỉnh Thái Nguyên"]["href"])
    assert province.context["unit"] == tree.thai_nguyen
    assert province.context["period"].spec == "2021-9M"
    crumbs = province.context["crumbs"]
    assert [c["unit"].name for c in crumbs] == ["Việt Nam", "Tỉnh Thái Nguyên"]
    assert crumbs[0]["href"] == "?unit=VN&period=2021-9M"
    communes = {row["label"]: row for row in province.context["children"]}
    # Cases recorded at the province itself get their own row, without a link.
    assert communes["Phường Phổ Yên"]["cases"] == "14"
    assert [row for row in province.context["children"] if not row["href"]][0]["cases"] == "5"

    commune = english.get(DASHBOARD + communes["Phường Phổ Yên"]["href"])
    assert [c["unit"].name for c in commune.context["crumbs"]] == ["Việt Nam", "Tỉnh Thái Nguyên", "Phường Phổ Yên"]
    assert commune.context["has_children"] is False
    assert 'data-testid="no-children"' in commune.content.decode()


def test_breadcrumbs_start_at_the_users_own_unit(english, tree, make_user):
    english.force_login(make_user(User.Role.VIEWER, tree.thai_nguyen))
    response = english.get(DASHBOARD, {"unit": "05860", "edition": "legacy"})
    names = [str(c["unit"]) for c in response.context["crumbs"]]
    assert names[0] == "Tỉnh Thái Nguyên"  # never the country above the user
    assert names[-1] == "Phường Ba Hàng (legacy)"
    assert response.context["crumbs"][-1]["href"] == "?unit=05860&edition=legacy"


def test_drill_down_sorts_by_any_column_with_empty_values_last(english, tree, make_user):
    extra = UnitFactory(code="04", name="Tỉnh Cao Bằng")
    add_cases(tree.pho_yen, 3, on=date(2021, 3, 3), cleared_on=date(2021, 3, 9))  # TN: 3 cases, 100%
    add_cases(tree.ba_dinh, 5, on=date(2021, 3, 3))  # HN: 5 cases, 0%
    add_cases(tree.ba_dinh, 5, on=date(2020, 3, 3))
    add_cases(tree.root, 50, on=date(2021, 3, 3))  # recorded at the country level: not a child unit
    english.force_login(make_user(User.Role.LEADER, tree.root))

    def order(sort):
        rows = english.get(DASHBOARD, {"period": "2021", "sort": sort}).context["children"]
        assert rows[-1]["href"] == "" and rows[-1]["cases"] == "50"  # the unit's own row stays last, unlinked
        return [row["label"] for row in rows[:-1]]

    assert order("") == ["Thành phố Hà Nội", "Tỉnh Cao Bằng", "Tỉnh Thái Nguyên"]  # the official order, by code
    assert order("-cases") == ["Thành phố Hà Nội", "Tỉnh Thái Nguyên", "Tỉnh Cao Bằng"]
    assert order("cases") == ["Tỉnh Cao Bằng", "Tỉnh Thái Nguyên", "Thành phố Hà Nội"]
    assert order("-clearance") == ["Tỉnh Thái Nguyên", "Thành phố Hà Nội", "Tỉnh Cao Bằng"]  # Cao Bằng: no rate
    assert order("clearance") == ["Thành phố Hà Nội", "Tỉnh Thái Nguyên", "Tỉnh Cao Bằng"]
    assert order("unit") == ["Thành phố Hà Nội", "Tỉnh Cao Bằng", "Tỉnh Thái Nguyên"]
    # Hà Nội 5 against 5 (0%); no percentage for Cao Bằng (nothing either year) or Thái Nguyên (none last year).
    assert order("-change") == ["Thành phố Hà Nội", "Tỉnh Cao Bằng", "Tỉnh Thái Nguyên"]
    assert order("bogus") == order("")
    assert extra.name in order("serious")

    headers = {
        h["key"]: h for h in english.get(DASHBOARD, {"period": "2021", "sort": "-cases"}).context["sort_headers"]
    }
    assert headers["cases"]["state"] == "desc" and headers["cases"]["href"] == "?period=2021&sort=cases"
    assert headers["clearance"]["href"] == "?period=2021&sort=-clearance"  # numbers: largest first
    assert headers["unit"]["href"] == "?period=2021&sort=unit"  # names: A to Z
    page = english.get(DASHBOARD, {"period": "2021", "sort": "-cases"}).content.decode()
    assert 'aria-sort="descending"' in page


def test_the_page_costs_the_same_queries_whatever_the_number_of_child_units(english, tree, make_user):
    user = make_user(User.Role.LEADER, tree.root)
    english.force_login(user)
    english.get(DASHBOARD, {"period": "2021"})  # warm up the session and content types

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = english.get(DASHBOARD, {"period": "2021"})
        assert response.status_code == 200
        return len(captured)

    few = queries()
    for n in range(12):
        # Real codes: two digits for a province, five for a commune (siblings share a code length).
        province = UnitFactory(code=f"{50 + n}", name=f"Tỉnh Mới {n}")
        commune = UnitFactory(code=f"{50 + n}001", name=f"Xã Mới {n}", kind=Unit.Kind.COMMUNE, parent=province)
        add_cases(commune, 2, on=date(2021, 6, 1), cleared_on=date(2021, 7, 1))
        add_cases(commune, 1, on=date(2020, 6, 1))
    many = english.get(DASHBOARD, {"period": "2021"})
    assert len(many.context["children"]) == 14
    assert queries() == few
    # One grouped cases statement serves the children and (summed) the unit itself; last year's rates and
    # the severity chart come from it too; one statement per other family (two for recommendations),
    # the trend, the targets, the recommendations awaiting an answer, and the session and user: 22.
    assert few <= 22, few


def test_the_trend_counts_each_month_with_one_query_under_either_month_convention(english, tree, make_user, settings):
    add_cases(tree.pho_yen, 2, on=date(2021, 1, 10))
    add_cases(tree.pho_yen, 3, on=date(2021, 1, 20))  # police convention: "tháng 2"
    add_cases(tree.pho_yen, 4, on=date(2020, 12, 20))  # police convention: "tháng 1/2021"
    english.force_login(make_user(User.Role.VIEWER, tree.thai_nguyen))

    settings.STATISTICS_MONTH_START_DAY = 1
    trend = english.get(DASHBOARD, {"period": "2021"}).context["trend"]
    assert trend.current[:2] == (5, 0) and trend.previous[11] == 4

    settings.STATISTICS_MONTH_START_DAY = 15
    trend = english.get(DASHBOARD, {"period": "2021"}).context["trend"]
    assert trend.current[:2] == (6, 3) and trend.previous[11] == 0


# --- Chart files ----------------------------------------------------------------------------------


def test_chart_files_come_as_svg_and_png_for_the_same_unit_and_period(english, figures_2021, make_user):
    english.force_login(make_user(User.Role.VIEWER, figures_2021.thai_nguyen))
    png = english.get(reverse("reports:chart", args=["severity", "png"]), {"period": "2021-9M"})
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert "private" in png["Cache-Control"]
    svg = english.get(reverse("reports:chart", args=["trend", "svg"]), {"period": "2021-9M"})
    assert svg["Content-Type"] == "image/svg+xml"
    assert "Year 2021" in svg.content.decode() and "Year 2020" in svg.content.decode()
    assert english.get(reverse("reports:chart", args=["pie", "svg"])).status_code == 404
    assert english.get(reverse("reports:chart", args=["trend", "gif"])).status_code == 404
    assert english.get(reverse("reports:chart", args=["trend", "svg"]), {"period": "2021-Q9"}).status_code == 400


def test_a_snapshot_built_before_last_years_rates_were_stored_still_shows_them(tree):
    """Snapshots approved before the figures carried `previous` rates and the cleared per severity:
    the dashboard falls back to last year's own summary and the severity breakdown, same answers."""
    from portal.reports import views
    from portal.reports.snapshots import summary_build

    add_cases(tree.pho_yen, 8, on=date(2021, 3, 1), severity="very_serious", cleared_on=date(2021, 4, 1))
    add_cases(tree.pho_yen, 2, on=date(2021, 3, 1))
    add_cases(tree.pho_yen, 5, on=date(2020, 3, 1), cleared_on=date(2020, 3, 2))
    add_cases(tree.pho_yen, 5, on=date(2020, 3, 1))
    period, today = parse_period("2021-9M"), date(2026, 1, 1)
    fresh = indicators.figures(unit=tree.thai_nguyen, period=period)
    snapshot = summary_build(unit=tree.thai_nguyen, period=period)
    old = {k: v for k, v in snapshot.figures.items() if k != "by_severity_cleared"}
    for code in ("cleared", "serious_cleared", "clearance_rate", "serious_clearance_rate"):
        old[code] = {k: v for k, v in old[code].items() if k != "previous"}
    Summary.objects.filter(pk=snapshot.pk).update(figures=old)

    stored = Summary.objects.get(pk=snapshot.pk).figures
    last_year = views.last_year_figures(unit=tree.thai_nguyen, period=period, figures=stored, today=today)
    severity = views.severity_data(unit=tree.thai_nguyen, period=period, figures=stored)

    assert last_year["clearance_rate"]["value"] == fresh["clearance_rate"]["previous"] == 50.0
    assert severity == views.severity_data(unit=tree.thai_nguyen, period=period, figures=fresh)
    very = next(row for row in severity.rows if row.total == 8)
    assert (very.cleared, very.rate) == (8, 100.0)
