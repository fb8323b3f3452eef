"""seed_demo's campaign records for Thái Nguyên: consistent with the demo cases, dated up to today, added once."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from campaigns.demo_seed import KIND_ARTICLES
from campaigns.models import (
    COMPUTED_RESULTS,
    Campaign,
    CampaignResult,
    CampaignTarget,
    GoodPracticeModel,
    Hotspot,
    HotspotEvent,
    ModelEvaluation,
    ModelReplication,
    PropagandaActivity,
    PropagandaProgram,
    ResultKind,
)
from cases.models import Case, Category, Party
from portal.accounts.services import roles_sync
from portal.units.models import Unit
from portal.units.services import units_load

pytestmark = pytest.mark.django_db
TODAY = date(2026, 1, 20)  # mid-winter: the Tết 2026 crackdown is under way
REFORM = date(2025, 7, 1)
S = Hotspot.Status


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    # Overrides the package's clock: a day inside a campaign window, so the one under way is seeded too.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def counts() -> dict[str, int]:
    models = [Campaign, CampaignTarget, CampaignResult, Hotspot, HotspotEvent, PropagandaProgram, PropagandaActivity]
    models += [GoodPracticeModel, ModelReplication, ModelEvaluation]
    found = {m.__name__: m.objects.count() for m in models}
    found["campaign cases"] = Case.objects.filter(campaign__isnull=False).count()
    found["hotspot cases"] = Case.objects.filter(hotspot__isnull=False).count()
    return found


def test_seed_demo_adds_campaign_records_consistent_with_the_demo_cases_once(capsys):
    units_load()
    roles_sync()
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "Demo campaigns: 7 Tết campaigns" in out
    province = Unit.objects.current().get(code="19")
    in_province = Q(unit_path__startswith=province.path)

    # Crackdowns: one per winter from 2019/20, the last under way; windows started by today.
    campaigns = list(Campaign.objects.order_by("starts_on"))
    assert [c.starts_on for c in campaigns] == [date(y, 12, 15) for y in range(2019, 2026)]
    assert all(c.starts_on <= TODAY and c.ends_on >= c.starts_on for c in campaigns)
    assert [c.phase_on(TODAY) for c in campaigns] == [Campaign.Phase.ENDED] * 6 + [Campaign.Phase.ACTIVE]
    assert "Tết Nguyên đán Bính Ngọ 2026" in campaigns[-1].name
    met = missed = 0
    for campaign in campaigns:
        assert campaign.lead_unit == province and campaign.unit_path == province.path
        assert not campaign.scope_units.exists() and campaign.focus_lines == ["social_order", "drugs"]
        assert 1 <= campaign.focus_hotspots.count() <= 4
        for hotspot in campaign.focus_hotspots.all():
            assert hotspot.identified_on <= campaign.ends_on
            assert hotspot.resolved_on is None or hotspot.resolved_on >= campaign.starts_on
        results = campaign.results.all()
        assert len({r.unit_id for r in results}) >= 3
        assert {r.kind for r in results} == {k.value for k in ResultKind} - COMPUTED_RESULTS
        for result in results:
            assert campaign.starts_on <= result.on <= min(campaign.ends_on, TODAY)
            assert result.unit_path == result.unit.rollup_path and result.unit_path.startswith(province.path)
            assert result.unit.edition == (Unit.Edition.LEGACY if result.on < REFORM else Unit.Edition.CURRENT)
        linked = Case.objects.filter(campaign=campaign)
        in_window = Case.objects.counted().filter(
            in_province, line__in=campaign.focus_lines, recorded_on__range=(campaign.starts_on, campaign.ends_on)
        )
        assert linked.exists() and not linked.exclude(pk__in=in_window).exists()
        assert 0.5 < linked.count() / in_window.count() < 0.9
        # Ended campaigns are planned around what they achieved: some targets met, some missed.
        if campaign.phase_on(TODAY) == Campaign.Phase.ENDED:
            cleared = Case.objects.counted().filter(
                in_province, line__in=campaign.focus_lines, cleared_on__range=(campaign.starts_on, campaign.ends_on)
            )
            achieved = {
                "cases_cleared": cleared.count(),
                "suspects_arrested": Party.objects.filter(
                    case__in=cleared, role="suspect", custody__in=["arrested", "detained"]
                ).count(),
            }
            for result in results:
                achieved[result.kind] = achieved.get(result.kind, 0) + result.quantity
            targets = {t.kind: t.value for t in campaign.targets.all()}
            assert set(targets) == set(achieved)
            for kind, value in targets.items():
                assert Decimal("0.8") * achieved[kind] - 10 <= value <= Decimal("1.2") * achieved[kind] + 10
                met, missed = met + (achieved[kind] >= value), missed + (achieved[kind] < value)
    assert met and missed

    # Hotspots: every status, dates in the order of the lifecycle, each move on the timeline.
    hotspots = list(Hotspot.objects.select_related("unit"))
    assert 15 <= len(hotspots) <= 25
    assert {h.status for h in hotspots} == set(S.values) and len({h.kind for h in hotspots}) == len(Hotspot.Kind)
    assert 1 <= sum(h.latitude is None for h in hotspots) <= 5
    for hotspot in hotspots:
        assert hotspot.unit_path == hotspot.unit.rollup_path and hotspot.unit_path.startswith(province.path)
        edition = Unit.Edition.LEGACY if hotspot.identified_on < REFORM else Unit.Edition.CURRENT
        assert hotspot.unit.edition == edition
        dates = [hotspot.identified_on, hotspot.remediation_started_on, hotspot.resolved_on]
        steps = {S.IDENTIFIED: 1, S.UNDER_REMEDIATION: 2, S.RESOLVED: 3}[hotspot.status]
        assert all(d is not None for d in dates[:steps]) and all(d is None for d in dates[steps:])
        assert dates[:steps] == sorted(dates[:steps]) and dates[steps - 1] < TODAY
        assert [e.on for e in hotspot.events.all()] == dates[:steps]
        if hotspot.latitude is not None:
            assert 21.3 <= hotspot.latitude <= 22.0 and 105.5 <= hotspot.longitude <= 106.2
        lines = set(Category.objects.filter(article__in=KIND_ARTICLES[hotspot.kind]).values_list("line", flat=True))
        for case in hotspot.cases.all():
            assert case.unit_path == hotspot.unit_path and case.line in lines
    assert Case.objects.filter(hotspot__isnull=False).count() >= 20

    # Propaganda: a few programs, a few hundred sessions inside their windows on communes of the day.
    programs = PropagandaProgram.objects.all()
    assert 3 <= programs.count() <= 6
    activities = PropagandaActivity.objects.select_related("program", "unit")
    assert 200 <= activities.count() <= 600
    for activity in activities:
        program = activity.program
        assert program.starts_on <= activity.on <= min(program.ends_on, TODAY)
        assert activity.topic in program.topics
        assert activity.unit_path == activity.unit.rollup_path and activity.unit_path.startswith(province.path)
        assert activity.unit.level == Unit.Level.COMMUNE
        assert activity.unit.edition == (Unit.Edition.LEGACY if activity.on < REFORM else Unit.Edition.CURRENT)
        assert activity.audience >= 30
        if activity.format == "meeting":
            assert activity.audience <= 500

    # Good-practice models at every stage; replicated ones elsewhere, each model evaluated once or twice.
    models = list(GoodPracticeModel.objects.prefetch_related("replications__unit", "evaluations"))
    assert 4 <= len(models) <= 7
    assert {m.status for m in models} == set(GoodPracticeModel.Status.values)
    for model in models:
        copies = model.replications.all()
        if model.status == GoodPracticeModel.Status.REPLICATED:
            assert 1 <= len(copies) <= 5
        assert all(r.unit.rollup_path != model.unit_path and r.replicated_on <= TODAY for r in copies)
        assert 1 <= len(model.evaluations.all()) <= 2

    before = counts()
    call_command("seed_demo")
    assert "Demo campaigns: Thái Nguyên already has" in capsys.readouterr().out
    assert counts() == before

    # The campaign page of the last ended campaign agrees with a count made case by case, in Python.
    campaign = Campaign.objects.filter(ends_on__lt=TODAY).order_by("-ends_on").first()
    assert_page_matches_a_hand_count(campaign, province)


def hand_count(campaign: Campaign, province: Unit, start: date, end: date) -> tuple[int, int, int]:
    """Recorded, cleared and suspects arrested in a window, by looking at every case of the province."""
    recorded = cleared = arrested = 0
    suspects: dict[int, int] = {}
    for case_id, custody in Party.objects.filter(role=Party.Role.SUSPECT).values_list("case_id", "custody"):
        suspects[case_id] = suspects.get(case_id, 0) + (custody in {"arrested", "detained"})
    for case in Case.objects.filter(unit_path__startswith=province.path).select_related("category"):
        if case.status == Case.Status.NOT_CRIMINAL or case.category.line not in campaign.focus_lines:
            continue
        recorded += start <= case.recorded_on <= end
        if case.cleared_on and start <= case.cleared_on <= end:
            cleared += 1
            arrested += suspects.get(case.pk, 0)
    return recorded, cleared, arrested


def assert_page_matches_a_hand_count(campaign: Campaign, province: Unit) -> None:
    import re

    from django.test import Client
    from django.urls import reverse

    from portal.accounts.models import User

    days = (campaign.ends_on - campaign.starts_on).days + 1
    before_end = campaign.starts_on - timedelta(days=1)
    windows = {
        "during": (campaign.starts_on, campaign.ends_on),
        "before": (before_end - timedelta(days=days - 1), before_end),
        "year-earlier": (campaign.starts_on - relativedelta(years=1), campaign.ends_on - relativedelta(years=1)),
    }
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(User.objects.get(username="tn.thuongtruc"))
    html = client.get(reverse("campaigns:campaign-detail", args=[campaign.pk])).content.decode()
    for column, (start, end) in windows.items():
        expected = hand_count(campaign, province, start, end)
        for row, value in zip(("cases_recorded", "cases_cleared", "suspects_arrested"), expected, strict=True):
            block = re.search(rf'data-testid="compare-{row}"(.*?)</tr>', html, re.S).group(1)
            shown = re.search(rf'data-testid="{column}">([^<]*)<', block).group(1)
            assert shown == f"{value:,}", (row, column, shown, value)
