"""Reads of crackdown campaigns, scoped, and their results: planned against achieved, before against after.

Who sees a campaign: the users of its lead unit's subtree and of the units above it (the scoping rule), and
the users of the units in its area below a higher lead unit (a commune taking part in a province's campaign).
The second group sees the figures of their own area only.

The figures of a window [a, b], over the cases whose place lies in the campaign's area and that match its
focus (no focus named: every case; else a case whose crime line is a focus line or whose offence is a focus
offence), "not criminal" excluded:
- cases_recorded: recorded_on in [a, b];
- cases_cleared: cleared_on in [a, b] (cleared during the window, whenever recorded);
- suspects_arrested: suspects arrested or detained in the cases cleared in [a, b].
The campaign's own window is compared with the window of the same length just before it, and with the same
window one year earlier. Reported results (wanted persons, drugs, weapons, gangs, gambling dens) are summed
from the result entries. While a campaign is under way its window runs to today, and so do the comparisons.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from cases.models import Case, Party
from portal.accounts.models import User, scope_q
from portal.units.models import Unit, scope_unit_of

from ..models import COMPUTED_RESULTS, REPORTED_RESULTS, Campaign, CampaignResult, ResultKind
from ..permissions import can_view_campaigns

ARRESTED = (Party.Custody.ARRESTED, Party.Custody.DETAINED)


def campaign_list(*, user: User) -> QuerySet[Campaign]:
    """Campaigns led in the user's subtree or above it, or covering the user's unit; newest first."""
    unit = scope_unit_of(user)
    if unit is None or not can_view_campaigns(user):
        return Campaign.objects.none()
    own = scope_q(user, "unit_path")
    through = Campaign.scope_units.through
    above = Q(unit_path__in=[*unit.ancestor_paths()]) & (
        ~Exists(through.objects.filter(campaign=OuterRef("pk")))
        | Exists(
            through.objects.filter(campaign=OuterRef("pk")).filter(
                Q(unit__path__in=[*unit.ancestor_paths(), unit.path]) | Q(unit__rollup_path__startswith=unit.path)
            )
        )
    )
    return (
        Campaign.objects.filter(own | above)
        .select_related("lead_unit")
        .prefetch_related(Prefetch("targets"))
        .order_by("-starts_on", "-id")
    )


def campaign_get(*, user: User, campaign_id: int) -> Campaign:
    # Missing and out-of-scope answer the same 404: existence never leaks.
    return get_object_or_404(campaign_list(user=user), pk=campaign_id)


def campaign_detail(*, user: User, campaign_id: int) -> Campaign:
    """One campaign with its area, focus and targets loaded."""
    queryset = campaign_list(user=user).prefetch_related(
        Prefetch("scope_units", queryset=Unit.objects.order_by("path")),
        "focus_categories",
        Prefetch("focus_hotspots", queryset=campaign_hotspots_queryset()),
    )
    return get_object_or_404(queryset, pk=campaign_id)


def campaign_hotspots_queryset():
    from ..models import Hotspot

    return Hotspot.objects.select_related("unit").order_by("name")


def campaign_result_list(*, user: User, campaign: Campaign) -> QuerySet[CampaignResult]:
    """The result entries of a campaign reported by units in the user's scope, newest first."""
    return (
        CampaignResult.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("unit", "created_by")
        .order_by("-on", "-id")
    )


# --- Results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _year_earlier(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


def windows_of(campaign: Campaign, today: date) -> dict[str, Window] | None:
    """The campaign's window (to today while under way), the same length before it, and a year earlier."""
    if today < campaign.starts_on:
        return None
    end = min(campaign.ends_on, today)
    during = Window(campaign.starts_on, end)
    before = Window(campaign.starts_on - timedelta(days=during.days), campaign.starts_on - timedelta(days=1))
    year_earlier = Window(_year_earlier(during.start), _year_earlier(during.end))
    return {"during": during, "before": before, "year_earlier": year_earlier}


def area_q(campaign: Campaign, user: User | None = None) -> Q:
    """Rows (cases, result entries) whose unit lies in the campaign's area, and in the user's scope if given."""
    q = Q()
    for area in list(campaign.scope_units.all()) or [campaign.lead_unit]:
        if area.edition == Unit.Edition.CURRENT:
            q |= Q(unit_path__startswith=area.path)
        else:
            q |= Q(unit__path__startswith=area.path)
    if user is not None:
        scope = scope_q(user, "unit_path")
        q &= scope if scope is not None else Q(pk__in=[])
    return q


def focus_q(campaign: Campaign, prefix: str = "") -> Q:
    lines = list(campaign.focus_lines or [])
    articles = [c.pk for c in campaign.focus_categories.all()]
    if not lines and not articles:
        return Q()
    q = Q()
    if lines:
        q |= Q(**{f"{prefix}line__in": lines})
    if articles:
        q |= Q(**{f"{prefix}category_id__in": articles})
    return q


@dataclass
class CampaignResults:
    """Everything the campaign page and the results API show, computed in four queries."""

    windows: dict[str, Window] | None
    figures: dict[str, dict[str, float]]  # window name -> {cases_recorded, cases_cleared, suspects_arrested}
    reported: dict[str, float]  # reported kind -> sum during the campaign
    linked_cases: int
    by_unit: list[dict] = field(default_factory=list)  # reporting unit -> {kind: sum}
    achievements: list[dict] = field(default_factory=list)  # planned against achieved, per target
    restricted_to: Unit | None = None  # set when the user sees only their own area of the campaign

    def achieved(self, kind: str) -> float | None:
        if kind in COMPUTED_RESULTS:
            return self.figures["during"][kind] if self.windows else None
        return self.reported.get(kind, 0)


def campaign_results(*, user: User, campaign: Campaign, today: date) -> CampaignResults:
    """Planned against achieved and the before/after figures of a campaign, over the user's part of its area."""
    unit = scope_unit_of(user)
    restricted = unit if unit is not None and not unit.contains(campaign.lead_unit) else None
    windows = windows_of(campaign, today)
    cases = Case.objects.filter(area_q(campaign, user), focus_q(campaign)).exclude(status=Case.Status.NOT_CRIMINAL)
    figures: dict[str, dict[str, float]] = {}
    linked = 0
    if windows:
        aggregates = {}
        for name, w in windows.items():
            aggregates[f"{name}__cases_recorded"] = Count("pk", filter=Q(recorded_on__range=(w.start, w.end)))
            aggregates[f"{name}__cases_cleared"] = Count("pk", filter=Q(cleared_on__range=(w.start, w.end)))
        row = cases.aggregate(**aggregates)
        suspects = Party.objects.filter(
            case__in=cases.values("pk"), role=Party.Role.SUSPECT, custody__in=ARRESTED
        ).aggregate(
            **{
                f"{name}__suspects_arrested": Count("pk", filter=Q(case__cleared_on__range=(w.start, w.end)))
                for name, w in windows.items()
            }
        )
        row.update(suspects)
        for key, value in row.items():
            name, kind = key.split("__")
            figures.setdefault(name, {})[kind] = value
    linked = Case.objects.filter(campaign=campaign).filter(area_q(campaign, user)).count()
    entries = CampaignResult.objects.filter(campaign=campaign).filter(scope_q(user, "unit_path") or Q(pk__in=[]))
    by_unit_rows = entries.values("unit_id", "unit__name", "unit__code", "kind").annotate(total=Sum("quantity"))
    reported: dict[str, float] = {k.value: 0 for k in REPORTED_RESULTS}
    by_unit: dict[int, dict] = {}
    for r in by_unit_rows.order_by("unit__name"):
        reported[r["kind"]] += r["total"]
        entry = by_unit.setdefault(
            r["unit_id"], {"unit": {"id": r["unit_id"], "code": r["unit__code"], "name": r["unit__name"]}}
        )
        entry[r["kind"]] = r["total"]
    results = CampaignResults(
        windows=windows,
        figures=figures,
        reported=reported,
        linked_cases=linked,
        by_unit=list(by_unit.values()),
        restricted_to=restricted,
    )
    for target in sorted(campaign.targets.all(), key=lambda t: list(ResultKind.values).index(t.kind)):
        achieved = results.achieved(target.kind)
        planned = target.value
        results.achievements.append(
            {
                "kind": target.kind,
                "label": ResultKind(target.kind).label,
                "planned": planned,
                "achieved": achieved,
                "percent": (float(achieved) / float(planned) * 100) if achieved is not None and planned else None,
                "met": achieved is not None and achieved >= planned,
            }
        )
    return results


def change_pct(current: float, previous: float) -> float | None:
    return (current - previous) / previous * 100 if previous else None
