"""Indicators of DESIGN §8 on hand-built cases, with the expected figures worked out by hand."""

from datetime import date
from itertools import count

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portal.accounts.models import User
from portal.reports import indicators
from portal.reports.models import Target
from portal.reports.periods import parse_period
from tests.api.schema import documented_statuses
from tests.factories import bulk_cases as add_cases

pytestmark = pytest.mark.django_db
_refs = count(1)


@pytest.fixture
def press_case(tree):
    """The Thái Nguyên figures of the press sentence: 9 months of 2021 against 9 months of 2020."""
    root, tn = tree.root, tree.thai_nguyen
    Target.objects.create(indicator="clearance_rate", unit=root, year_from=2019, year_to=2025, value=75)
    Target.objects.create(indicator="serious_clearance_rate", unit=root, year_from=2019, year_to=2025, value=90)
    # 2020: 1,000 social-order cases (legacy units, before the reform).
    add_cases(tree.legacy_ba_hang, 1000, on=date(2020, 5, 10))
    # 2021: 949 cases, 877 cleared; 46 very/especially serious, 43 of them cleared.
    add_cases(tree.legacy_ba_hang, 43, on=date(2021, 3, 1), severity="very_serious", cleared_on=date(2021, 4, 1))
    add_cases(tree.legacy_pho_yen_town, 3, on=date(2021, 3, 1), severity="especially_serious")
    add_cases(tree.legacy_pho_yen_town, 834, on=date(2021, 6, 1), cleared_on=date(2021, 9, 30))
    add_cases(tree.legacy_ba_hang, 69, on=date(2021, 9, 30))
    # Outside the figures: not criminal, outside the period, cleared after the end, another province.
    add_cases(tree.legacy_ba_hang, 7, on=date(2021, 5, 5), status="not_criminal")
    add_cases(tree.legacy_ba_hang, 5, on=date(2021, 10, 1), cleared_on=date(2021, 10, 2))
    add_cases(tree.ba_dinh, 11, on=date(2021, 5, 5))
    return tn


def test_the_press_figures_come_out_exactly(press_case, tree):
    figures = indicators.figures(unit=tree.thai_nguyen, period=parse_period("2021-9M"))
    assert figures["cases_total"] == {"value": 949, "previous": 1000, "change_pct": pytest.approx(-5.1)}
    assert figures["social_order_total"]["change_pct"] == pytest.approx(-5.1)
    assert figures["cleared"] == {"value": 877, "previous": 0}
    assert figures["clearance_rate"]["previous"] == 0.0  # none of 2020's 1,000 cases was cleared
    assert figures["clearance_rate"]["value"] == pytest.approx(92.413, abs=1e-3)
    assert figures["clearance_rate"]["target"] == 75.0
    assert figures["clearance_rate"]["target_delta"] == pytest.approx(17.413, abs=1e-3)
    assert (figures["serious_total"]["value"], figures["serious_cleared"]["value"]) == (46, 43)
    assert figures["serious_clearance_rate"]["value"] == pytest.approx(93.478, abs=1e-3)
    assert figures["serious_clearance_rate"]["target_delta"] == pytest.approx(3.478, abs=1e-3)
    assert figures["by_line"]["social_order"] == 949
    assert figures["by_severity_cleared"] == {
        "less_serious": 0,
        "serious": 834,
        "very_serious": 43,
        "especially_serious": 0,
    }


def test_last_years_cleared_count_by_last_years_end(tree):
    """cleared/serious_cleared `previous`: last year's cases cleared by the end of last year's period."""
    ba_hang = tree.legacy_ba_hang
    add_cases(ba_hang, 10, on=date(2020, 2, 1), cleared_on=date(2020, 9, 30))  # by last year's end
    add_cases(ba_hang, 4, on=date(2020, 2, 1), cleared_on=date(2020, 10, 1))  # a day late: not cleared then
    add_cases(ba_hang, 2, on=date(2020, 2, 1), severity="very_serious", cleared_on=date(2020, 3, 1))
    add_cases(ba_hang, 1, on=date(2020, 2, 1), severity="especially_serious")
    add_cases(ba_hang, 3, on=date(2021, 2, 1), cleared_on=date(2021, 2, 2))
    figures = indicators.figures(unit=tree.thai_nguyen, period=parse_period("2021-9M"))
    assert figures["cleared"] == {"value": 3, "previous": 12}
    assert figures["clearance_rate"]["previous"] == pytest.approx(12 / 17 * 100)
    assert figures["serious_cleared"] == {"value": 0, "previous": 2}
    assert figures["serious_clearance_rate"]["previous"] == pytest.approx(2 / 3 * 100)
    assert figures["serious_clearance_rate"]["value"] is None  # no serious case this year
    # The same counts as last year's own summary computes for itself.
    last_year = indicators.figures(unit=tree.thai_nguyen, period=parse_period("2020-9M"))
    assert last_year["cleared"]["value"] == figures["cleared"]["previous"]
    assert last_year["clearance_rate"]["value"] == figures["clearance_rate"]["previous"]


def test_summary_api_returns_the_figures_and_the_press_sentence(press_case, tree, make_user):
    client = APIClient()
    client.force_authenticate(make_user(User.Role.LEADER, tree.thai_nguyen))
    body = client.get(reverse("api:summary"), {"unit": "19", "period": "2021-9M"}).json()
    assert body["unit"]["name"] == "Tỉnh Thái Nguyên"
    assert body["period"]["label"] == "9 tháng năm 2021"
    assert body["previous_period"]["label"] == "9 tháng năm 2020"
    assert round(body["indicators"]["social_order_total"]["change_pct"], 1) == -5.1
    assert round(body["indicators"]["clearance_rate"]["value"], 2) == 92.41
    assert round(body["indicators"]["clearance_rate"]["target_delta"], 2) == 17.41
    assert round(body["indicators"]["serious_clearance_rate"]["value"], 2) == 93.48
    assert round(body["indicators"]["serious_clearance_rate"]["target_delta"], 2) == 3.48
    assert body["narrative"] == (
        "9 tháng năm 2021, trên địa bàn tỉnh Thái Nguyên, tội phạm về trật tự xã hội giảm 5,1% so với cùng kỳ "
        "năm 2020; tỷ lệ điều tra, khám phá án chung đạt 92,4%, vượt chỉ tiêu 17,4%; án rất nghiêm trọng và "
        "đặc biệt nghiêm trọng khám phá đạt 93,5%, vượt chỉ tiêu 3,5%."
    )
    assert body["source"] == "live"


def test_summary_of_a_unit_outside_scope_is_404(press_case, tree, make_user):
    client = APIClient()
    client.force_authenticate(make_user(User.Role.LEADER, tree.ha_noi))
    assert client.get(reverse("api:summary"), {"unit": "19", "period": "2021-9M"}).status_code == 404


@pytest.mark.parametrize("params", [{"unit": "19\x00"}, {"unit": "19", "edition": "2025\x00"}])
def test_a_unit_code_or_edition_with_a_nul_character_is_404_like_a_missing_code(tree, make_user, client, params):
    # Found by the API fuzzer on PostgreSQL, which refuses to compare text holding NUL: it answered 500.
    leader = make_user(User.Role.LEADER, tree.thai_nguyen)
    api = APIClient()
    api.force_authenticate(leader)
    assert api.get(reverse("api:summary"), params).status_code == 404
    client.force_login(leader)
    assert client.get(reverse("dashboard"), params).status_code == 404


@pytest.mark.parametrize(
    ("name", "path"), [("summary", "/api/v1/summaries/"), ("summary-breakdown", "/api/v1/summaries/breakdown/")]
)
def test_summary_refusals_are_documented(tree, make_user, name, path):
    # Found by the API fuzzer: a period that cannot be read (400) and a unit outside the scope (404) answered where
    # the schema listed 200 only.
    client = APIClient()
    client.force_authenticate(make_user(User.Role.LEADER, tree.ha_noi))
    assert client.get(reverse(f"api:{name}"), {"period": "2021-Q9"}).status_code == 400
    assert client.get(reverse(f"api:{name}"), {"unit": "19", "period": "2021"}).status_code == 404
    assert {200, 400, 403, 404} <= documented_statuses(path, "get")


def test_legacy_unit_counts_its_own_records(press_case, tree):
    period = parse_period("2021-9M")
    # Phường Ba Hàng lies inside the old thị xã Phổ Yên: the town counts both, the ward only its own.
    town = indicators.figures(unit=tree.legacy_pho_yen_town, period=period)
    assert town["cases_total"]["value"] == 43 + 3 + 834 + 69
    assert indicators.figures(unit=tree.legacy_ba_hang, period=period)["cases_total"]["value"] == 43 + 69
    # The current ward that Ba Hàng became counts the legacy ward's cases through the crosswalk.
    assert indicators.figures(unit=tree.pho_yen, period=period)["cases_total"]["value"] == 43 + 69


def test_rates_are_null_without_cases_and_targets(tree):
    figures = indicators.figures(unit=tree.ha_noi, period=parse_period("2030"))
    assert figures["clearance_rate"] == {"value": None, "target": None, "target_delta": None, "previous": None}
    assert figures["cases_total"] == {"value": 0, "previous": 0, "change_pct": None}


def test_the_nearest_target_wins(tree):
    Target.objects.create(indicator="clearance_rate", unit=tree.root, year_from=2020, year_to=2025, value=75)
    Target.objects.create(indicator="clearance_rate", unit=tree.thai_nguyen, year_from=2021, year_to=2021, value=80)
    targets = indicators.targets_for([tree.pho_yen, tree.ba_dinh, tree.thai_nguyen], 2021)
    assert targets[tree.pho_yen.pk]["clearance_rate"] == 80
    assert targets[tree.ba_dinh.pk]["clearance_rate"] == 75
    assert indicators.targets_for([tree.pho_yen], 2026)[tree.pho_yen.pk] == {}


def test_police_month_convention_moves_the_boundaries_and_the_figures(tree, settings):
    add_cases(tree.pho_yen, 2, on=date(2025, 12, 10))  # calendar: December; police: "tháng 12"
    add_cases(tree.pho_yen, 3, on=date(2025, 12, 20))  # calendar: December; police: "tháng 1/2026"
    settings.STATISTICS_MONTH_START_DAY = 1
    assert indicators.figures(unit=tree.thai_nguyen, period=parse_period("2025-12"))["cases_total"]["value"] == 5
    settings.STATISTICS_MONTH_START_DAY = 15
    assert indicators.figures(unit=tree.thai_nguyen, period=parse_period("2025-12"))["cases_total"]["value"] == 2
    assert indicators.figures(unit=tree.thai_nguyen, period=parse_period("2026-01"))["cases_total"]["value"] == 3
    assert indicators.figures(unit=tree.thai_nguyen, period=parse_period("2026"))["cases_total"]["value"] == 3


def test_breakdown_by_children_costs_the_same_queries_for_the_nation_and_a_province(tree, django_assert_num_queries):
    add_cases(tree.pho_yen, 4, on=date(2021, 2, 2))
    add_cases(tree.ba_dinh, 6, on=date(2021, 2, 2))
    add_cases(tree.thai_nguyen, 1, on=date(2021, 2, 2))  # recorded at the province itself
    period = parse_period("2021")
    for unit in (tree.root, tree.thai_nguyen):
        with django_assert_num_queries(3):
            rows = indicators.breakdown(unit=unit, period=period, by="children")
    national = indicators.breakdown(unit=tree.root, period=period, by="children")
    assert {r["label"]: r["indicators"]["cases_total"]["value"] for r in national} == {
        "Tỉnh Thái Nguyên": 5,
        "Thành phố Hà Nội": 6,
    }
    assert [(r["label"], r["indicators"]["cases_total"]["value"]) for r in rows] == [
        ("Phường Phổ Yên", 4),
        (rows[-1]["label"], 1),
    ]
    assert rows[-1]["unit"] is None


def test_breakdown_by_line_and_severity(tree):
    add_cases(tree.pho_yen, 2, on=date(2021, 2, 2), article="249", severity="very_serious")
    add_cases(tree.pho_yen, 1, on=date(2021, 2, 3))
    period = parse_period("2021")
    lines = {
        r["key"]: r["indicators"]["cases_total"]["value"]
        for r in indicators.breakdown(unit=tree.thai_nguyen, period=period, by="line")
    }
    assert lines == {"drugs": 2, "social_order": 1}
    severities = {
        r["key"]: r["indicators"]["cases_total"]["value"]
        for r in indicators.breakdown(unit=tree.thai_nguyen, period=period, by="severity")
    }
    assert severities == {"very_serious": 2, "serious": 1}


@pytest.mark.parametrize("unit_name", ["root", "thai_nguyen", "legacy_thai_nguyen"])
def test_the_children_statement_sums_to_the_units_own_counts(press_case, tree, unit_name):
    """The dashboard takes a unit's cases counts from its children's statement: the same figures."""
    add_cases(tree.thai_nguyen, 4, on=date(2021, 2, 2), cleared_on=date(2021, 2, 3))  # at the province itself
    unit, period = getattr(tree, unit_name), parse_period("2021-9M")

    rows, counts = indicators.children_breakdown(unit=unit, period=period)

    assert rows == indicators.breakdown(unit=unit, period=period, by="children")
    assert indicators.figures(unit=unit, period=period, known={"cases": counts}) == indicators.figures(
        unit=unit, period=period
    )
    assert counts["cases_total"] == indicators.figures(unit=unit, period=period)["cases_total"]["value"] > 0


def test_a_unit_without_children_has_no_summed_counts(tree):
    assert indicators.children_breakdown(unit=tree.pho_yen, period=parse_period("2021-9M")) == ([], None)
