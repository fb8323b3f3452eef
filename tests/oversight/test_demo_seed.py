"""seed_demo's oversight records: the 2021 Government inspection of Thái Nguyên and Phổ Yên, and after; added once."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.utils import timezone

from portal.oversight import demo_seed
from portal.oversight.models import (
    Directive,
    DirectiveUpdate,
    InspectedUnit,
    Inspection,
    Recommendation,
    RecommendationStep,
)
from portal.reports import indicators
from portal.reports.periods import parse_period
from portal.units.models import Unit
from portal.units.services import units_load

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def counts() -> dict[str, int]:
    models = [Inspection, InspectedUnit, Directive, DirectiveUpdate, Recommendation, RecommendationStep]
    return {m.__name__: m.objects.count() for m in models}


def check_seeded(province: Unit, inspected_units: int) -> None:
    assert counts() == {
        "Inspection": 3,
        "InspectedUnit": inspected_units,
        "Directive": 9,
        "DirectiveUpdate": 9,
        "Recommendation": 7,
        "RecommendationStep": 13,
    }
    visit = Inspection.objects.get(inspecting_body="Đoàn kiểm tra của Chính phủ")
    assert visit.starts_on == date(2021, 10, 14)
    assert visit.inspecting_unit.is_root
    assert visit.rating == "good" and set(visit.topics) == {"crime_prevention", "trafficking"}
    inspected = sorted((u.unit.edition, u.unit.code) for u in visit.inspected.select_related("unit"))
    assert inspected == [("legacy", "172"), ("legacy", "19")]
    assert all(u.unit_path == province.path for u in visit.inspected.all())  # legacy rows roll up
    assert Counter(visit.directives.values_list("status", flat=True)) == {"done": 3, "in_progress": 1, "open": 1}
    assert Directive.objects.overdue_on(TODAY).count() == 2  # Phổ Yên's crackdowns (2022), a commune's report
    assert (
        Directive.objects.filter(due_on__gte=TODAY, due_on__lte=TODAY + timedelta(days=7))
        .exclude(status="done")
        .exists()
    )
    assert Counter(Recommendation.objects.values_list("status", flat=True)) == {
        "answered": 2,
        "declined": 1,
        "under_review": 1,
        "submitted": 3,
    }
    assert Recommendation.objects.overdue_on(TODAY).count() == 2
    forwarded = RecommendationStep.objects.get(kind="forwarded").recommendation
    assert forwarded.raised_by_unit.level == Unit.Level.COMMUNE and forwarded.addressed_to.is_root
    assert TODAY <= forwarded.due_on <= TODAY + timedelta(days=7)  # due soon on both dashboards
    assert list(forwarded.steps.values_list("to_path", flat=True)) == [province.path, "VN/"]
    answered = Recommendation.objects.get(status="answered", raised_on=date(2021, 10, 14))
    assert answered.answer and answered.answered_on == date(2021, 11, 10)
    # Every path is its unit's roll-up path.
    for d in Directive.objects.select_related("responsible_unit"):
        assert d.unit_path == d.responsible_unit.rollup_path
    for r in Recommendation.objects.select_related("raised_by_unit", "addressed_to"):
        assert (r.raised_path, r.addressed_path) == (r.raised_by_unit.rollup_path, r.addressed_to.rollup_path)
    # The 2021 inspection counts in Thái Nguyên's statistics for the year.
    found = indicators.figures(unit=province, period=parse_period("2021"))
    assert found["inspections_held"]["value"] == 1
    assert found["recommendations_submitted"]["value"] == 2


def test_seed_on_the_test_tree_then_a_second_run_adds_nothing(tree):
    first = demo_seed.seed()
    assert first.startswith("Demo oversight: 3 inspections"), first
    check_seeded(tree.thai_nguyen, 4)  # one commune on the test tree: visited once in the spring
    before = counts()
    assert "none added" in demo_seed.seed()
    assert counts() == before


def test_seed_on_the_real_unit_lists():
    units_load()
    assert demo_seed.seed().startswith("Demo oversight: 3 inspections")
    check_seeded(Unit.objects.current().get(code="19"), 5)
    assert "none added" in demo_seed.seed()


def test_nothing_without_units(db):
    assert "NOT seeded" in demo_seed.seed()
