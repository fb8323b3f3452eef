"""The campaign, hotspot, propaganda and good-practice-model families of the Statistics registry.

Registered by CampaignsConfig.ready(), so figures() and the summary API carry them. Each family
is ONE SQL statement of conditional aggregates over its own table; a unit U (its subtree, legacy
records rolled up exactly as cases are, through `unit_where`) and a period P = [start, end] with
its same period last year P' = [start', end'] (dates inclusive):

campaigns (Campaign, by lead unit): campaigns_active led in U whose window [starts_on, ends_on]
shares a day with P; campaigns_started with starts_on in P. campaign results (CampaignResult, by
reporting unit): campaign_<kind> = the sum of quantity of results of that kind dated in P
(wanted_caught, drugs_grams, weapons, gangs_broken, gambling_dens). hotspots (Hotspot):
hotspots_identified / _remediation_started / _resolved with identified_on / remediation_started_on /
resolved_on in P; hotspots_open_at_end identified on or before end and not resolved by end;
hotspots_at_end the same stock by the status each hotspot had on `end` (from its dates, not its
status today). propaganda (PropagandaActivity): activities_held dated in P, audience_reached and
materials_distributed their sums. models (GoodPracticeModel): models_active started on or before
end, models_effective recognised effective on or before end, models_replicated with at least one
replication dated in P (each model once), replications the number of those replications.
Every figure except hotspots_at_end has `previous` (the same over P', a stock at end') and
change_pct = (value − previous) / previous × 100, None when previous is 0.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from portal.reports.indicators import Family, change_pct, register, watch
from portal.reports.periods import Period

from .models import REPORTED_RESULTS, Campaign, CampaignResult, GoodPracticeModel, Hotspot, PropagandaActivity

HOTSPOT_STATUSES = [status.value for status in Hotspot.Status]


def _rows(queryset: QuerySet, aggregates: dict, group_by: dict | None) -> list[dict]:
    """One SQL statement: a single row, or one row per group."""
    if not group_by:
        return [queryset.aggregate(**aggregates)]
    return list(queryset.annotate(**group_by).values(*group_by).annotate(**aggregates).order_by(*group_by))


def _within(field: str, start: date, end: date) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lte": end})


def _plain(value) -> int | float:
    # Sums of decimal quantities come back as Decimal; JSON (snapshots, the API) wants numbers.
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _compared(row: dict, key: str, code: str | None = None) -> dict:
    value, previous = _plain(row[key]), _plain(row[f"{key}_previous"])
    return {code or key: {"value": value, "previous": previous, "change_pct": change_pct(value, previous)}}


# --- Crackdown campaigns (by lead unit) ------------------------------------------------------------


def counts_campaigns(*, where: Q, period: Period, previous: Period, group_by: dict | None) -> list[dict]:
    active = Q(starts_on__lte=period.end, ends_on__gte=period.start)
    active_before = Q(starts_on__lte=previous.end, ends_on__gte=previous.start)
    aggregates = {
        "campaigns_active": Count("id", filter=active),
        "campaigns_active_previous": Count("id", filter=active_before),
        "campaigns_started": Count("id", filter=_within("starts_on", period.start, period.end)),
        "campaigns_started_previous": Count("id", filter=_within("starts_on", previous.start, previous.end)),
    }
    # A campaign starting in a window overlaps it, so the two overlaps hold every row counted.
    return _rows(Campaign.objects.filter(where).filter(active | active_before), aggregates, group_by)


def derive_campaigns(row: dict, targets: dict) -> dict:
    return {**_compared(row, "campaigns_active"), **_compared(row, "campaigns_started")}


# --- Campaign results (by reporting unit) ----------------------------------------------------------


def counts_campaign_results(*, where: Q, period: Period, previous: Period, group_by: dict | None) -> list[dict]:
    current = _within("on", period.start, period.end)
    before = _within("on", previous.start, previous.end)
    aggregates = {}
    for kind in REPORTED_RESULTS:
        aggregates[f"campaign_{kind.value}"] = Sum("quantity", filter=current & Q(kind=kind), default=0)
        aggregates[f"campaign_{kind.value}_previous"] = Sum("quantity", filter=before & Q(kind=kind), default=0)
    return _rows(CampaignResult.objects.filter(where).filter(current | before), aggregates, group_by)


def derive_campaign_results(row: dict, targets: dict) -> dict:
    result: dict = {}
    for kind in REPORTED_RESULTS:
        result.update(_compared(row, f"campaign_{kind.value}"))
    return result


# --- Hotspots --------------------------------------------------------------------------------------


def _hotspots_at(end: date) -> dict[str, Q]:
    """Each status a hotspot had on `end`, from its dates (the status field only says what it is today)."""
    # A NULL date compares as unknown, so a hotspot without the stamp is neither remediating nor resolved.
    known = Q(identified_on__lte=end)
    resolved = Q(resolved_on__lte=end)
    remediating = Q(remediation_started_on__lte=end)
    return {
        Hotspot.Status.IDENTIFIED: known & ~remediating & ~resolved,
        Hotspot.Status.UNDER_REMEDIATION: known & remediating & ~resolved,
        Hotspot.Status.RESOLVED: known & resolved,
    }


def counts_hotspots(*, where: Q, period: Period, previous: Period, group_by: dict | None) -> list[dict]:
    aggregates = {}
    for code, field in (
        ("hotspots_identified", "identified_on"),
        ("hotspots_remediation_started", "remediation_started_on"),
        ("hotspots_resolved", "resolved_on"),
    ):
        aggregates[code] = Count("id", filter=_within(field, period.start, period.end))
        aggregates[f"{code}_previous"] = Count("id", filter=_within(field, previous.start, previous.end))
    now, then = _hotspots_at(period.end), _hotspots_at(previous.end)
    open_now = now[Hotspot.Status.IDENTIFIED] | now[Hotspot.Status.UNDER_REMEDIATION]
    open_then = then[Hotspot.Status.IDENTIFIED] | then[Hotspot.Status.UNDER_REMEDIATION]
    aggregates["hotspots_open_at_end"] = Count("id", filter=open_now)
    aggregates["hotspots_open_at_end_previous"] = Count("id", filter=open_then)
    for status, condition in now.items():
        aggregates[f"hotspots_at_end_{status.value}"] = Count("id", filter=condition)
    # Remediation and resolution never precede identification (the services refuse it), so every
    # hotspot counted in either window was identified by the end of the period.
    return _rows(Hotspot.objects.filter(where).filter(identified_on__lte=period.end), aggregates, group_by)


def derive_hotspots(row: dict, targets: dict) -> dict:
    return {
        **_compared(row, "hotspots_identified"),
        **_compared(row, "hotspots_remediation_started"),
        **_compared(row, "hotspots_resolved"),
        **_compared(row, "hotspots_open_at_end"),
        "hotspots_at_end": {status: row[f"hotspots_at_end_{status}"] for status in HOTSPOT_STATUSES},
    }


# --- Propaganda activities -------------------------------------------------------------------------


def counts_propaganda(*, where: Q, period: Period, previous: Period, group_by: dict | None) -> list[dict]:
    current = _within("on", period.start, period.end)
    before = _within("on", previous.start, previous.end)
    aggregates = {
        "activities_held": Count("id", filter=current),
        "activities_held_previous": Count("id", filter=before),
        "audience_reached": Sum("audience", filter=current, default=0),
        "audience_reached_previous": Sum("audience", filter=before, default=0),
        "materials_distributed": Sum("materials", filter=current, default=0),
        "materials_distributed_previous": Sum("materials", filter=before, default=0),
    }
    return _rows(PropagandaActivity.objects.filter(where).filter(current | before), aggregates, group_by)


def derive_propaganda(row: dict, targets: dict) -> dict:
    return {
        **_compared(row, "activities_held"),
        **_compared(row, "audience_reached"),
        **_compared(row, "materials_distributed"),
    }


# --- Good-practice models --------------------------------------------------------------------------


def counts_models(*, where: Q, period: Period, previous: Period, group_by: dict | None) -> list[dict]:
    # One LEFT JOIN to the replications: a model appears once per replication, so models are
    # counted DISTINCT and replications by their own id (NULL, hence uncounted, for none).
    replicated = _within("replications__replicated_on", period.start, period.end)
    replicated_before = _within("replications__replicated_on", previous.start, previous.end)
    aggregates = {
        "models_active": Count("id", distinct=True, filter=Q(started_on__lte=period.end)),
        "models_active_previous": Count("id", distinct=True, filter=Q(started_on__lte=previous.end)),
        "models_effective": Count("id", distinct=True, filter=Q(effective_on__lte=period.end)),
        "models_effective_previous": Count("id", distinct=True, filter=Q(effective_on__lte=previous.end)),
        "models_replicated": Count("id", distinct=True, filter=replicated),
        "models_replicated_previous": Count("id", distinct=True, filter=replicated_before),
        # Not named "replications": an alias may not shadow the relation it counts.
        "replications_held": Count("replications__id", filter=replicated),
        "replications_held_previous": Count("replications__id", filter=replicated_before),
    }
    # A model is replicated and recognised only after it starts, so every row counted started by the end.
    return _rows(GoodPracticeModel.objects.filter(where).filter(started_on__lte=period.end), aggregates, group_by)


def derive_models(row: dict, targets: dict) -> dict:
    return {
        **_compared(row, "models_active"),
        **_compared(row, "models_effective"),
        **_compared(row, "models_replicated"),
        **_compared(row, "replications_held", "replications"),
    }


FAMILIES = (
    Family(
        code="campaigns",
        counts=counts_campaigns,
        derive=derive_campaigns,
        path_fields=("unit_path", "lead_unit__path"),
        models=("campaigns.Campaign",),
    ),
    Family(
        code="campaign_results",
        counts=counts_campaign_results,
        derive=derive_campaign_results,
        models=("campaigns.CampaignResult",),
    ),
    Family(code="hotspots", counts=counts_hotspots, derive=derive_hotspots, models=("campaigns.Hotspot",)),
    Family(
        code="propaganda",
        counts=counts_propaganda,
        derive=derive_propaganda,
        models=("campaigns.PropagandaActivity",),
    ),
    Family(
        code="models",
        counts=counts_models,
        derive=derive_models,
        models=("campaigns.GoodPracticeModel", "campaigns.ModelReplication"),
    ),
)


def register_all() -> None:
    for family in FAMILIES:
        register(family)
        watch(family)
