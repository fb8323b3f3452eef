"""Every write to crackdown campaigns: plan one (area, window, focus, targets), change it, record its results."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Category, CrimeLine
from portal.accounts.models import User
from portal.units.models import Unit

from ..models import REPORTED_RESULTS, Campaign, CampaignResult, CampaignTarget, Hotspot, ResultKind
from ..permissions import can_edit_campaigns
from .common import CampaignError, check_date, check_unit, clean, d, locked, save_versioned

CAMPAIGN_EDITABLE = {
    "name",
    "lead_unit",
    "starts_on",
    "ends_on",
    "description",
    "focus_lines",
    "focus_categories",
    "focus_hotspots",
    "scope_units",
    "targets",
}
_RELATIONS = ("scope_units", "focus_categories", "focus_hotspots")


def _check_focus_lines(lines: Iterable[str]) -> list[str]:
    lines = list(dict.fromkeys(lines))  # keep order, drop repeats
    unknown = [line for line in lines if line not in CrimeLine.values]
    if unknown:
        raise CampaignError({"focus_lines": _("Unknown crime line: %(v)s.") % {"v": ", ".join(map(str, unknown))}})
    return lines


def _check_area(*, lead_unit: Unit, scope_units: Iterable[Unit], hotspots: Iterable[Hotspot]) -> None:
    outside = [u.name for u in scope_units if not lead_unit.contains(u)]
    if outside:
        raise CampaignError(
            {
                "scope_units": _("These units are outside the lead unit %(lead)s: %(units)s.")
                % {"lead": lead_unit.name, "units": ", ".join(outside)}
            }
        )
    stray = [h.name for h in hotspots if not h.unit_path.startswith(lead_unit.rollup_path)]
    if stray:
        raise CampaignError(
            {
                "focus_hotspots": _("These hotspots are outside the lead unit %(lead)s: %(hotspots)s.")
                % {"lead": lead_unit.name, "hotspots": ", ".join(stray)}
            }
        )


def _check_window(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise CampaignError(
            {"ends_on": _("The campaign ends (%(e)s) before it starts (%(s)s).") % {"e": d(ends_on), "s": d(starts_on)}}
        )


def _check_targets(targets: dict) -> dict[str, Decimal]:
    clean_targets = {}
    for kind, value in targets.items():
        if kind not in ResultKind.values:
            raise CampaignError({"targets": _("Unknown result: %(k)s.") % {"k": kind}})
        if value is None or value == "":
            continue
        value = Decimal(str(value))
        if value < 0:
            raise CampaignError(
                {"targets": _("A planned figure cannot be negative (%(k)s).") % {"k": ResultKind(kind).label}}
            )
        clean_targets[kind] = value
    return clean_targets


def _set_targets(campaign: Campaign, targets: dict[str, Decimal]) -> None:
    campaign.targets.exclude(kind__in=list(targets)).delete()
    existing = {t.kind: t for t in campaign.targets.all()}
    for kind, value in targets.items():
        if kind in existing:
            if existing[kind].value != value:
                existing[kind].value = value
                existing[kind].save(update_fields=["value"])
        else:
            CampaignTarget.objects.create(campaign=campaign, kind=kind, value=value)


@transaction.atomic
def campaign_create(
    *,
    actor: User,
    name: str,
    lead_unit: Unit,
    starts_on: date,
    ends_on: date,
    description: str = "",
    scope_units: Iterable[Unit] = (),
    focus_lines: Iterable[str] = (),
    focus_categories: Iterable[Category] = (),
    focus_hotspots: Iterable[Hotspot] = (),
    targets: dict | None = None,
) -> Campaign:
    """Plan a campaign led by a unit in the actor's scope, over its area (the lead unit's, or some units of it)."""
    if not can_edit_campaigns(actor):
        raise CampaignError(_("Your role does not allow planning crackdown campaigns."))
    check_unit(actor=actor, unit=lead_unit, field="lead_unit")
    _check_window(starts_on, ends_on)
    scope_units, focus_hotspots = list(scope_units), list(focus_hotspots)
    _check_area(lead_unit=lead_unit, scope_units=scope_units, hotspots=focus_hotspots)
    campaign = Campaign(
        name=name,
        lead_unit=lead_unit,
        unit_path=lead_unit.rollup_path,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description,
        focus_lines=_check_focus_lines(focus_lines),
        created_by=actor,
    )
    clean(campaign, exclude=["unit_path"])
    campaign.save()
    campaign.scope_units.set(scope_units)
    campaign.focus_categories.set(list(focus_categories))
    campaign.focus_hotspots.set(focus_hotspots)
    _set_targets(campaign, _check_targets(targets or {}))
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, actor: User, version: int, **changes) -> Campaign:
    """Change a campaign's plan with the version the user read; targets given replace the planned figures."""
    unknown = set(changes) - CAMPAIGN_EDITABLE
    if unknown:
        raise CampaignError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if not can_edit_campaigns(actor):
        raise CampaignError(_("Your role does not allow changing crackdown campaigns."))
    campaign = locked(Campaign, campaign, version)
    check_unit(actor=actor, unit=campaign.lead_unit, field="lead_unit")
    relations = {name: list(changes.pop(name)) for name in _RELATIONS if name in changes}
    targets = changes.pop("targets", None)
    if "focus_lines" in changes:
        changes["focus_lines"] = _check_focus_lines(changes["focus_lines"])
    changed = [f for f, v in changes.items() if getattr(campaign, f) != v]
    if "lead_unit" in changed:
        check_unit(actor=actor, unit=changes["lead_unit"], field="lead_unit")
    for field in changed:
        setattr(campaign, field, changes[field])
    _check_window(campaign.starts_on, campaign.ends_on)
    _check_area(
        lead_unit=campaign.lead_unit,
        scope_units=relations.get("scope_units", campaign.scope_units.all()),
        hotspots=relations.get("focus_hotspots", campaign.focus_hotspots.all()),
    )
    outside = campaign.results.exclude(on__range=(campaign.starts_on, campaign.ends_on)).count()
    if outside:
        raise CampaignError(
            {"starts_on": _("%(n)s recorded results would fall outside the new window.") % {"n": outside}}
        )
    if "lead_unit" in changed:
        campaign.unit_path = campaign.lead_unit.rollup_path
        changed.append("unit_path")
    clean(campaign, exclude=["unit_path"])
    for name, values in relations.items():
        getattr(campaign, name).set(values)
    if targets is not None:
        _set_targets(campaign, _check_targets(targets))
    save_versioned(campaign, changed)  # a new version even when only the relations or targets changed
    return campaign


def covers(campaign: Campaign, unit: Unit) -> bool:
    """Whether a unit's records count in the campaign's area (its scope units, or the lead unit's whole area)."""
    scope = list(campaign.scope_units.all()) or [campaign.lead_unit]
    return any(area.contains(unit) for area in scope)


@transaction.atomic
def campaign_result_record(
    *, campaign: Campaign, actor: User, unit: Unit, on: date, kind: str, quantity, note: str = ""
) -> CampaignResult:
    """A unit of the campaign's area reports a result cases do not hold (wanted persons caught, drugs seized…)."""
    if not can_edit_campaigns(actor):
        raise CampaignError(_("Your role does not allow recording campaign results."))
    check_unit(actor=actor, unit=unit)
    if not covers(campaign, unit):
        raise CampaignError({"unit": _("%(unit)s is outside the campaign's area.") % {"unit": unit.name}})
    if kind not in {k.value for k in REPORTED_RESULTS}:
        raise CampaignError(
            {"kind": _("%(k)s is computed from the cases; it is not reported by hand.") % {"k": ResultKind(kind).label}}
            if kind in ResultKind.values
            else {"kind": _("Unknown result: %(k)s.") % {"k": kind}}
        )
    check_date(on=on, field="on")
    if not campaign.starts_on <= on <= campaign.ends_on:
        raise CampaignError(
            {
                "on": _("The date %(d)s is outside the campaign (%(s)s – %(e)s).")
                % {"d": d(on), "s": d(campaign.starts_on), "e": d(campaign.ends_on)}
            }
        )
    quantity = Decimal(str(quantity))
    if quantity <= 0:
        raise CampaignError({"quantity": _("The quantity must be greater than zero.")})
    result = CampaignResult(
        campaign=campaign,
        unit=unit,
        unit_path=unit.rollup_path,
        on=on,
        kind=kind,
        quantity=quantity,
        note=note,
        created_by=actor,
    )
    clean(result, exclude=["unit_path"])
    result.save()
    return result


@transaction.atomic
def campaign_result_delete(*, result: CampaignResult, actor: User) -> None:
    """Withdraw a result entered by mistake (kept in the history)."""
    if not can_edit_campaigns(actor):
        raise CampaignError(_("Your role does not allow recording campaign results."))
    check_unit(actor=actor, unit=result.unit)
    result.delete()
