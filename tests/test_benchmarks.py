"""The benchmark floors compute exactly what the indicators compute (DESIGN §8): the harness compares like with like."""

from datetime import date

import pytest

from benchmarks import floors
from cases.models import Case
from portal.reports.periods import parse_period
from tests.factories import bulk_cases

PERIOD = parse_period("2021-9M")  # 1 January – 30 September 2021; last year's: the same in 2020


@pytest.fixture
def cases(tree):
    """A few hundred cases on every edge of the definitions: status, period bounds, clearance date, severity, line."""
    commune, other = tree.pho_yen, tree.ba_dinh
    bulk_cases(commune, 40, on=date(2021, 1, 1), cleared_on=date(2021, 9, 30))  # first day; cleared on the end
    bulk_cases(commune, 30, on=date(2021, 9, 30), cleared_on=date(2021, 10, 1))  # last day; cleared too late
    bulk_cases(commune, 25, on=date(2021, 5, 5), article="168", severity="very_serious", cleared_on=date(2021, 6, 1))
    bulk_cases(commune, 15, on=date(2021, 5, 5), article="251", severity="especially_serious")  # drugs
    bulk_cases(commune, 20, on=date(2021, 3, 3), status=Case.Status.NOT_CRIMINAL, cleared_on=date(2021, 4, 1))
    bulk_cases(commune, 10, on=date(2021, 10, 1))  # after the period
    bulk_cases(commune, 35, on=date(2020, 9, 30), severity="very_serious")  # last year, last day
    bulk_cases(commune, 12, on=date(2020, 10, 1))  # outside last year's period
    bulk_cases(tree.legacy_ba_hang, 18, on=date(2020, 2, 2), cleared_on=date(2020, 3, 3))  # legacy, rolls up
    bulk_cases(tree.thai_nguyen, 7, on=date(2021, 7, 7))  # recorded at the province itself
    bulk_cases(other, 60, on=date(2021, 8, 8), article="173", severity="less_serious", cleared_on=date(2021, 8, 9))
    bulk_cases(other, 22, on=date(2020, 8, 8), article="251", severity="serious")


def test_summary_floor_equals_the_indicators(tree, cases):
    counts = floors.check_summary(tree.root, PERIOD)

    assert counts["cases_total"] == 40 + 30 + 25 + 15 + 7 + 60
    assert counts["cleared"] == 40 + 25 + 60
    assert counts["cases_total_previous"] == 35 + 18 + 22


def test_breakdown_floors_equal_the_indicators(tree, cases):
    by_province = floors.check_breakdown(tree.root, PERIOD)
    by_commune = floors.check_breakdown(tree.thai_nguyen, PERIOD)

    assert set(by_province) == {tree.thai_nguyen.path, tree.ha_noi.path}
    assert by_commune[tree.pho_yen.path]["serious_total"] == 25 + 15
    assert by_commune[tree.thai_nguyen.path]["cases_total"] == 7  # the "recorded at the unit itself" row


def test_a_drifting_floor_is_caught(tree, cases, monkeypatch):
    monkeypatch.setattr(floors, "summary_floor", lambda unit, period: dict.fromkeys(floors.columns(), 0))

    with pytest.raises(floors.FloorMismatch):
        floors.check_summary(tree.root, PERIOD)
