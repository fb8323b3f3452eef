"""figures_many (the grouped statements build_summaries uses) gives exactly what figures gives unit by unit."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from portal.oversight.models import InspectedUnit, Recommendation
from portal.reports import indicators
from portal.reports.periods import parse_period
from portal.reports.snapshots import summary_units
from portal.units.models import Unit
from portal.units.services import units_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(db):
    units_load()
    call_command("seed_national", cases=3000, seed=138)
    # The two-sided families must have rows whose sides differ, or the test proves nothing about them.
    assert Recommendation.objects.exclude(addressed_path=F("raised_path")).exists()
    assert InspectedUnit.objects.exclude(unit_path=F("inspection__unit_path")).exists()


def _sample(period) -> list[Unit]:
    current = list(summary_units(period=period))
    legacy = list(summary_units(period=period, edition=Unit.Edition.LEGACY))
    communes = [u for u in current if u.level == Unit.Level.COMMUNE]
    quiet = list(Unit.objects.current().filter(level=Unit.Level.COMMUNE).exclude(pk__in=[u.pk for u in communes])[:5])
    return [
        *(u for u in current if u.level != Unit.Level.COMMUNE),  # the root and the 34 provinces
        *communes[::9],
        *quiet,  # communes without a case: every family's empty row
        *(u for u in legacy if u.level == Unit.Level.PROVINCE),
        *[u for u in legacy if u.level != Unit.Level.PROVINCE][::11],
    ]


@pytest.mark.parametrize("spec", ["2025-9M", "2024-Q2", "2026-10"])
def test_grouped_figures_equal_unit_by_unit(national, spec):
    period = parse_period(spec)
    units = _sample(period)
    assert {u.edition for u in units} == {Unit.Edition.CURRENT, Unit.Edition.LEGACY}

    many = indicators.figures_many(units=units, period=period)

    for unit in units:
        assert many[unit.pk] == indicators.figures(unit=unit, period=period), f"{unit.code} {unit.edition}"


def test_the_communes_of_one_province_alone(national):
    """A chunk of the nightly fan-out: the prefix narrows to the province; the answer does not change."""
    period = parse_period("2025-9M")
    province = Unit.objects.current().get(level=Unit.Level.PROVINCE, code="79")
    communes = list(Unit.objects.current().filter(parent=province)[:30])

    many = indicators.figures_many(units=communes, period=period)

    assert {pk: many[pk] for pk in many} == {u.pk: indicators.figures(unit=u, period=period) for u in communes}


def test_a_fixed_number_of_statements_whatever_the_number_of_units(national):
    period = parse_period("2025-9M")
    units = list(Unit.objects.current().order_by("path"))  # the root, 34 provinces, 3,321 communes

    with CaptureQueriesContext(connection) as everything:
        indicators.figures_many(units=units, period=period)
    with CaptureQueriesContext(connection) as a_few:
        indicators.figures_many(units=units[:40], period=period)

    # Three levels: per family one grouped statement per level (the two-sided families two or three),
    # an empty row at most once per family and level, and the targets; never one per unit.
    bound = 3 * (2 * len(indicators.FAMILIES) + 3) + 1
    assert len({u.level for u in units[:40]}) == 3
    assert len(a_few) <= len(everything) <= bound
