"""Every write to hotspots: record, edit, move identified → under remediation → resolved."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.units.models import Unit

from ..models import Hotspot, HotspotEvent
from ..permissions import can_edit_hotspots
from .common import CampaignError, check_date, check_unit, clean, illegal_move, locked, save_versioned, today

HOTSPOT_EDITABLE = {"unit", "kind", "name", "description", "latitude", "longitude", "identified_on"}


def _hotspot_event(hotspot: Hotspot, kind: str, on: date, actor: User | None, note: str = "", **extra) -> HotspotEvent:
    return HotspotEvent.objects.create(hotspot=hotspot, kind=kind, on=on, actor=actor, note=note, **extra)


@transaction.atomic
def hotspot_create(
    *,
    actor: User,
    unit: Unit,
    kind: str,
    name: str,
    identified_on: date,
    description: str = "",
    latitude=None,
    longitude=None,
    note: str = "",
) -> Hotspot:
    if not can_edit_hotspots(actor):
        raise CampaignError(_("Your role does not allow recording hotspots."))
    check_unit(actor=actor, unit=unit)
    check_date(on=identified_on, field="identified_on")
    hotspot = Hotspot(
        unit=unit,
        unit_path=unit.rollup_path,
        kind=kind,
        name=name,
        description=description,
        latitude=latitude,
        longitude=longitude,
        identified_on=identified_on,
        created_by=actor,
    )
    clean(hotspot, exclude=["unit_path"])
    hotspot.save()
    _hotspot_event(hotspot, HotspotEvent.Kind.CREATED, identified_on, actor, note, to_status=hotspot.status)
    return hotspot


@transaction.atomic
def hotspot_update(*, hotspot: Hotspot, actor: User, version: int, **changes) -> Hotspot:
    unknown = set(changes) - HOTSPOT_EDITABLE
    if unknown:
        raise CampaignError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if not can_edit_hotspots(actor):
        raise CampaignError(_("Your role does not allow changing hotspots."))
    hotspot = locked(Hotspot, hotspot, version)
    changed = [f for f, v in changes.items() if getattr(hotspot, f) != v]
    if not changed:
        return hotspot
    if "unit" in changed:
        check_unit(actor=actor, unit=changes["unit"])
        hotspot.unit_path = changes["unit"].rollup_path
    if "identified_on" in changed:
        check_date(on=changes["identified_on"], field="identified_on")
        later = hotspot.remediation_started_on or hotspot.resolved_on
        if later and changes["identified_on"] > later:
            raise CampaignError({"identified_on": _("A hotspot cannot be identified after its remediation started.")})
    for field in changed:
        setattr(hotspot, field, changes[field])
    clean(hotspot, exclude=["unit_path"])
    save_versioned(hotspot, [*changed, *(["unit_path"] if "unit" in changed else [])])
    _hotspot_event(hotspot, HotspotEvent.Kind.EDITED, today(), actor, ", ".join(sorted(changed)))
    return hotspot


@transaction.atomic
def hotspot_transition(*, hotspot: Hotspot, to: str, on: date, actor: User, version: int, note: str = "") -> Hotspot:
    if not can_edit_hotspots(actor):
        raise CampaignError(_("Your role does not allow changing hotspots."))
    hotspot = locked(Hotspot, hotspot, version)
    to = Hotspot.Status(to)
    if to not in Hotspot.TRANSITIONS[hotspot.status]:
        raise illegal_move(
            hotspot.get_status_display(), to.label, hotspot.allowed_moves(), dict(Hotspot.Status.choices)
        )
    previous_date = {
        Hotspot.Status.UNDER_REMEDIATION: (hotspot.identified_on, _("the date identified")),
        Hotspot.Status.RESOLVED: (hotspot.remediation_started_on, _("the start of remediation")),
    }[to]
    check_date(on=on, field="on", not_before=previous_date[0], label=previous_date[1])
    from_status = hotspot.status
    hotspot.status = to
    stamp = Hotspot.STAMPS[to]
    setattr(hotspot, stamp, on)
    save_versioned(hotspot, ["status", stamp])
    _hotspot_event(hotspot, HotspotEvent.Kind.STATUS, on, actor, note, from_status=from_status, to_status=to)
    return hotspot
