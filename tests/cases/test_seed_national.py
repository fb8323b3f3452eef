"""seed_national: the national dataset, small — counts, spread, the unit-list rule, clearance, determinism."""

import hashlib
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Q

from campaigns.models import Campaign, Hotspot, PropagandaActivity
from cases.models import Case, CaseEvent, Party, ReferenceSequence
from cases.national_seed import POPULATION, Generator, clear
from portal.oversight.models import Directive, Inspection, Recommendation
from portal.reports.indicators import figures
from portal.reports.periods import Period
from portal.units.models import Unit
from portal.units.services import units_load
from portal.units.text import search_key

pytestmark = pytest.mark.django_db
N = 3000
REFORM = date(2025, 7, 1)


def _fingerprint() -> str:
    rows = Case.objects.order_by("reference").values_list(
        "reference", "title", "category__article", "severity", "unit__code", "recorded_on", "status", "cleared_on"
    )
    parties = Party.objects.order_by("case__reference", "id").values_list("case__reference", "role", "full_name")
    return hashlib.sha256(repr((list(rows), list(parties))).encode()).hexdigest()


@pytest.fixture
def seeded(db):
    units_load()
    call_command("seed_national", cases=N, seed=138)


def test_counts_spread_and_rules(seeded):
    cases = Case.objects.all()
    assert cases.count() == N
    assert cases.values("reference").distinct().count() == N
    # Every province has cases, roughly in proportion to its population.
    provinces = list(Unit.objects.current().filter(level=Unit.Level.PROVINCE))
    assert len(provinces) == 34
    total = sum(POPULATION[p.code] for p in provinces)
    for p in provinces:
        n = cases.filter(unit_path__startswith=p.path).count()
        expected = N * POPULATION[p.code] / total
        assert n > 0 and 0.5 * expected - 10 < n < 1.5 * expected + 10, (p.name, n, expected)
    # The unit list in force on the day: legacy before 1 July 2025, current from then.
    assert not cases.filter(recorded_on__lt=REFORM, unit__edition=Unit.Edition.CURRENT).exists()
    assert not cases.filter(recorded_on__gte=REFORM, unit__edition=Unit.Edition.LEGACY).exists()
    assert cases.filter(recorded_on__lt=REFORM).exists() and cases.filter(recorded_on__gte=REFORM).exists()
    # Fields as the services write them.
    for case in cases.select_related("unit", "category")[:200]:
        assert case.unit_path == case.unit.rollup_path
        assert case.line == case.category.line
        assert case.search_title == search_key(case.title)
        assert case.received_on <= case.recorded_on
    assert len(set(cases.values_list("line", flat=True))) == 6
    assert set(cases.values_list("status", flat=True)) == set(Case.Status.values)
    # Clearance between 80 and 90 percent of the cases that count; cleared after recorded.
    counted = cases.counted()
    rate = counted.filter(cleared_on__isnull=False).count() / counted.count()
    assert 0.80 <= rate <= 0.90, rate
    assert not cases.filter(cleared_on__lt=F("received_on")).exists()
    # Parties and timelines.
    per_case = Party.objects.values("case").annotate(n=Count("id")).values_list("n", flat=True)
    assert 1.0 <= Party.objects.count() / N <= 3 and max(per_case) <= 3
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.CREATED).count() == N
    assert (
        CaseEvent.objects.filter(kind=CaseEvent.Kind.CLEARED).count() == cases.filter(cleared_on__isnull=False).count()
    )
    # The reference sequences continue after the seeded references.
    assert ReferenceSequence.objects.exists()
    # The other apps' records, in proportion.
    assert Campaign.objects.count() >= 34 * 9
    assert Hotspot.objects.count() >= 34 and Case.objects.exclude(campaign=None).exists()
    assert PropagandaActivity.objects.exists() and Inspection.objects.exists()
    assert Directive.objects.exists() and Recommendation.objects.exists()

    # The statistics the portal computes equal a direct count.
    root = Unit.objects.get(level=Unit.Level.NATIONAL)
    period = Period(kind="custom", start=date(2024, 1, 1), end=date(2024, 9, 30), year=None, number=None)
    result = figures(unit=root, period=period)
    in_period = Case.objects.counted().filter(recorded_on__range=(period.start, period.end))
    assert result["cases_total"]["value"] == in_period.count() > 0
    assert result["cleared"]["value"] == in_period.filter(cleared_on__lte=period.end).count()
    province = Unit.objects.current().get(code="79")
    mine = in_period.filter(Q(unit_path__startswith=province.path))
    assert figures(unit=province, period=period)["cases_total"]["value"] == mine.count()


def test_a_second_run_is_refused_and_force_clear_gives_the_same_rows(seeded):
    first = _fingerprint()
    with pytest.raises(CommandError, match="--force-clear"):
        call_command("seed_national", cases=N, seed=138)
    assert Case.objects.count() == N
    call_command("seed_national", cases=N, seed=138, force_clear=True)
    assert Case.objects.count() == N
    assert _fingerprint() == first


def _generated(seed: int) -> str:
    """A hash of the rows the generator makes (ids left out), without writing them."""
    digest = hashlib.sha256()
    for cases, parties, events in Generator(count=N, seed=seed, today=date(2026, 11, 28)).chunks():
        digest.update(repr([c[1:] for c in cases]).encode())
        digest.update(repr([p[1:] for p in parties]).encode())
        digest.update(repr([e[1:] for e in events]).encode())
    return digest.hexdigest()


def test_same_seed_same_rows_different_seed_different_rows(db):
    units_load()
    assert _generated(138) == _generated(138)
    assert _generated(139) != _generated(138)


def test_without_units_it_says_what_to_run(db):
    with pytest.raises(CommandError, match="load_units"):
        call_command("seed_national", cases=10)


def test_postgresql_copy_path(db):
    if connection.vendor != "postgresql":
        # Not a missing server: the suite runs on SQLite here, and runs again on PostgreSQL (CI does both).
        pytest.skip("the COPY path runs on PostgreSQL; this run's database is SQLite")
    units_load()
    call_command("seed_national", cases=500, seed=7)
    assert Case.objects.count() == 500
    # The id sequence was moved past the copied ids: an ORM insert gets a fresh id.
    case = Case.objects.order_by("-pk").first()
    case.pk, case.reference = None, "TEST-1"
    case.save()
    assert case.pk > 500 or Case.objects.filter(pk=case.pk).count() == 1
    clear()
    assert not Case.objects.exists()
