"""Every write to cases: create, edit, workflow moves, clearing, deadline extensions, parties."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal import errors as portal_errors
from portal.accounts.models import User
from portal.units.models import Unit
from portal.units.text import search_key

from . import deadlines
from .models import Case, CaseEvent, Category, DeadlineExtension, Party, ReferenceSequence
from .permissions import can_create_cases, can_edit_case

REFORM_DATE = date(2025, 7, 1)  # the two-level unit tree is in force from this day


class CaseError(ValidationError):
    """A refused write, worded for the user (a form error on pages, 400 in the API)."""


class StaleVersionError(CaseError, portal_errors.StaleVersionError):
    """The case changed since the user loaded it (409 in the API); nothing was written."""


def _d(value: date) -> str:
    return date_format(value, "d/m/Y")


def _today() -> date:
    return timezone.localdate()


def edition_in_force(on: date) -> str:
    return Unit.Edition.LEGACY if on < REFORM_DATE else Unit.Edition.CURRENT


def _check_unit(*, actor: User, unit: Unit, recorded_on: date) -> None:
    if actor.unit is None or not actor.unit.contains(unit):
        raise CaseError({"unit": _("This unit is outside your scope.")})
    wanted = edition_in_force(recorded_on)
    if unit.edition != wanted and not unit.is_root:
        if wanted == Unit.Edition.LEGACY:
            msg = _("A case recorded before 1/7/2025 takes a unit of the legacy (pre-reform) list.")
        else:
            msg = _("A case recorded from 1/7/2025 takes a unit of the current (2025) list.")
        raise CaseError({"unit": msg})


def _check_date(*, on: date, field: str, not_before: date | None = None, label: str = "") -> None:
    if on > _today():
        raise CaseError({field: _("The date %(d)s is in the future.") % {"d": _d(on)}})
    if not_before and on < not_before:
        raise CaseError(
            {field: _("The date %(d)s is before %(what)s (%(b)s).") % {"d": _d(on), "what": label, "b": _d(not_before)}}
        )


def reference_prefix(*, unit: Unit, year: int) -> str:
    """ "<province>-<year>-": the current province the unit rolls up into (VN for the national root)."""
    segments = unit.rollup_path.strip("/").split("/")
    province = segments[1] if len(segments) > 1 else segments[0]
    return f"{province}-{year}-"


def reference_allocate(*, unit: Unit, year: int, count: int = 1) -> list[str]:
    """Allocate `count` readable references "<province>-<year>-<sequence>" (e.g. 19-2021-00042)."""
    prefix = reference_prefix(unit=unit, year=year)
    with transaction.atomic():
        seq, _created = ReferenceSequence.objects.select_for_update().get_or_create(prefix=prefix)
        first = seq.last + 1
        seq.last = F("last") + count
        seq.save(update_fields=["last"])
    return [f"{prefix}{n:05d}" for n in range(first, first + count)]


def _locked(case: Case, version: int) -> Case:
    """Lock the row and refuse the write if someone else changed the case meanwhile."""
    current = Case.objects.select_for_update().get(pk=case.pk)
    if current.version != version:
        raise StaleVersionError(
            _(
                "This case was changed by someone else after you opened it (your version %(mine)s, "
                "now %(now)s). Reload it to see their changes; nothing was saved."
            )
            % {"mine": version, "now": current.version}
        )
    return current


def _save(case: Case, fields: Iterable[str]) -> None:
    case.version += 1
    case.save(update_fields=[*fields, "version", "updated_at"])


def _check_officers(*, actor: User, officers: list[User]) -> None:
    for officer in officers:
        if not officer.is_active or officer.unit is None or not actor.unit.contains(officer.unit):
            raise CaseError({"officers": _("%(name)s is not an active officer within your scope.") % {"name": officer}})


def _event(case: Case, kind: str, on: date, actor: User | None, note: str = "", **extra) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, on=on, actor=actor, note=note, **extra)


@transaction.atomic
def case_create(
    *,
    actor: User,
    title: str,
    category: Category,
    severity: str,
    unit: Unit,
    recorded_on: date,
    received_on: date | None = None,
    occurred_on: date | None = None,
    summary: str = "",
    handling_unit: Unit | None = None,
    officers: Iterable[User] = (),
    damage_amount: int | None = None,
    recovered_amount: int | None = None,
    campaign=None,
    hotspot=None,
) -> Case:
    if not can_create_cases(actor):
        raise CaseError(_("Your role does not allow recording cases."))
    _check_unit(actor=actor, unit=unit, recorded_on=recorded_on)
    if received_on is None:
        received_on = recorded_on
        _check_date(on=recorded_on, field="recorded_on")
    else:
        _check_date(on=received_on, field="received_on")
        _check_date(on=recorded_on, field="recorded_on", not_before=received_on, label=_("the date received"))
    if occurred_on and occurred_on > recorded_on:
        raise CaseError({"occurred_on": _("A case cannot occur after it is recorded.")})
    if actor.role == User.Role.INVESTIGATOR:
        # An investigator records cases for their own unit.
        handling_unit = actor.unit
    if handling_unit is not None and not actor.unit.contains(handling_unit):
        raise CaseError({"handling_unit": _("This unit is outside your scope.")})
    _check_links(actor=actor, unit=unit, campaign=campaign, hotspot=hotspot)
    (reference,) = reference_allocate(unit=unit, year=recorded_on.year)
    case = Case(
        reference=reference,
        title=title,
        search_title=search_key(title),
        summary=summary,
        category=category,
        severity=severity,
        line=category.line,
        unit=unit,
        unit_path=unit.rollup_path,
        handling_unit=handling_unit,
        occurred_on=occurred_on,
        received_on=received_on,
        recorded_on=recorded_on,
        damage_amount=damage_amount,
        recovered_amount=recovered_amount,
        campaign=campaign,
        hotspot=hotspot,
        due_on=deadlines.verification_due(received_on),
        created_by=actor,
    )
    case.full_clean(exclude=["unit_path", "line"])
    case.save()
    officers = list(officers)
    _check_officers(actor=actor, officers=officers)
    if actor.role == User.Role.INVESTIGATOR and actor not in officers:
        officers.append(actor)
    if officers:
        case.officers.set(officers)
    _event(case, CaseEvent.Kind.CREATED, received_on, actor, to_status=case.status)
    return case


EDITABLE = {
    "title",
    "summary",
    "category",
    "severity",
    "unit",
    "occurred_on",
    "recorded_on",
    "handling_unit",
    "damage_amount",
    "recovered_amount",
    "campaign",
    "hotspot",
}


def _check_links(*, actor: User, unit: Unit, campaign, hotspot) -> None:
    """A case joins a campaign covering its place, and a hotspot whose area holds its place; both visible."""
    from campaigns.selectors import campaign_list, hotspot_list
    from campaigns.services import covers

    if campaign is not None:
        if not campaign_list(user=actor).filter(pk=campaign.pk).exists():
            raise CaseError({"campaign": _("Campaign not found, or outside your unit's scope.")})
        if not covers(campaign, unit):
            raise CaseError({"campaign": _("%(unit)s is outside the area of this campaign.") % {"unit": unit.name}})
    if hotspot is not None:
        if not hotspot_list(user=actor).filter(pk=hotspot.pk).exists():
            raise CaseError({"hotspot": _("Hotspot not found, or outside your unit's scope.")})
        if not unit.rollup_path.startswith(hotspot.unit_path):
            raise CaseError({"hotspot": _("%(unit)s is outside the area of this hotspot.") % {"unit": unit.name}})


@transaction.atomic
def case_update(*, case: Case, actor: User, version: int, officers: Iterable[User] | None = None, **changes) -> Case:
    unknown = set(changes) - EDITABLE
    if unknown:
        raise CaseError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if not can_edit_case(actor, case):
        raise CaseError(_("You may not edit this case."))
    case = _locked(case, version)
    changed = [f for f, v in changes.items() if getattr(case, f) != v]
    for field in changed:
        setattr(case, field, changes[field])
    if {"unit", "recorded_on"} & set(changed):
        _check_unit(actor=actor, unit=case.unit, recorded_on=case.recorded_on)
        case.unit_path = case.unit.rollup_path
        changed.append("unit_path")
    if "recorded_on" in changed:
        _check_date(on=case.recorded_on, field="recorded_on", not_before=case.received_on, label=_("the date received"))
    if "handling_unit" in changed and actor.role == User.Role.INVESTIGATOR:
        raise CaseError({"handling_unit": _("An investigator cannot hand a case over to another unit.")})
    if "handling_unit" in changed and case.handling_unit and not actor.unit.contains(case.handling_unit):
        raise CaseError({"handling_unit": _("This unit is outside your scope.")})
    if {"campaign", "hotspot", "unit"} & set(changed):
        _check_links(
            actor=actor,
            unit=case.unit,
            campaign=case.campaign if "campaign" in changed or case.campaign_id else None,
            hotspot=case.hotspot if "hotspot" in changed or case.hotspot_id else None,
        )
    if {"occurred_on", "recorded_on"} & set(changed) and case.occurred_on and case.occurred_on > case.recorded_on:
        raise CaseError({"occurred_on": _("A case cannot occur after it is recorded.")})
    if "title" in changed:
        case.search_title = search_key(case.title)
        changed.append("search_title")
    if "category" in changed:
        case.line = case.category.line
        changed.append("line")
    if (
        "severity" in changed
        and case.status == Case.Status.INVESTIGATING
        and not case.suspended_on
        and not case.extensions.filter(kind=DeadlineExtension.Kind.INVESTIGATION).exists()
    ):
        case.due_on = deadlines.investigation_due(case.investigation_started_on, case.severity)
        changed.append("due_on")
    officers_changed = False
    if officers is not None:
        officers = list(officers)
        _check_officers(actor=actor, officers=officers)
        officers_changed = {o.pk for o in officers} != set(case.officers.values_list("pk", flat=True))
    if changed:
        case.full_clean(exclude=["unit_path", "line"])
    if changed or officers_changed:
        # Officers are part of the case: changing only them is a new version too.
        _save(case, changed)
    if officers_changed:
        case.officers.set(officers)
    if changed or officers_changed:
        labels = [str(Case._meta.get_field(f).verbose_name) for f in changed if Case._meta.get_field(f).editable]
        if officers_changed:
            labels.append(str(Case._meta.get_field("officers").verbose_name))
        _event(case, CaseEvent.Kind.EDITED, _today(), actor, note=_("Changed: %(f)s") % {"f": ", ".join(labels)})
    return case


def _last_step_on(case: Case) -> date:
    """The date of the case's latest procedure step (edits are not steps)."""
    stamped = [getattr(case, field) for field in {*Case.STAMPS.values(), "cleared_on", "received_on"}]
    return max(d for d in stamped if d is not None)


@transaction.atomic
def case_transition(*, case: Case, to: str, on: date, actor: User, version: int, note: str = "") -> Case:
    """Move a case along the procedure; an illegal move is refused and nothing changes."""
    if not can_edit_case(actor, case):
        raise CaseError(_("You may not move this case."))
    case = _locked(case, version)
    if to not in Case.Status.values:
        raise CaseError({"to": _("“%(to)s” is not a status of the procedure.") % {"to": to}})
    to = Case.Status(to)
    if to not in Case.TRANSITIONS[case.status]:
        allowed = ", ".join(str(Case.Status(s).label) for s in case.allowed_moves()) or _("none (the case is closed)")
        raise CaseError(
            {
                "to": _("A case that is “%(status)s” cannot move to “%(to)s”. Allowed: %(allowed)s.")
                % {"status": case.get_status_display(), "to": to.label, "allowed": allowed}
            }
        )
    _check_date(on=on, field="on", not_before=_last_step_on(case), label=_("the case's last step"))
    if to == Case.Status.INDICTED and case.cleared_on is None:
        raise CaseError({"to": _("A case must be cleared (offenders identified) before it is indicted.")})
    previous = case.status
    fields = ["status", "due_on"]
    stamp = Case.STAMPS[to]
    resuming = previous == Case.Status.SUSPENDED and to == Case.Status.INVESTIGATING
    if not resuming:
        setattr(case, stamp, on)
        fields.append(stamp)
    case.status = to
    if to == Case.Status.INVESTIGATING:
        case.due_on = (
            deadlines.resumed_due(on, case.severity) if resuming else deadlines.investigation_due(on, case.severity)
        )
    elif to == Case.Status.VERIFYING:
        pass  # the verification deadline runs from receipt
    else:
        case.due_on = None  # suspended: the clock stops; indicted/tried/closed: no deadline of ours
    _save(case, fields)
    _event(case, CaseEvent.Kind.STATUS, on, actor, note, from_status=previous, to_status=to)
    return case


@transaction.atomic
def case_clear(*, case: Case, on: date, actor: User, version: int, note: str = "") -> Case:
    """Mark the case cleared (khám phá: offenders identified) on a date."""
    if not can_edit_case(actor, case):
        raise CaseError(_("You may not change this case."))
    case = _locked(case, version)
    if case.cleared_on is not None:
        raise CaseError({"on": _("This case was already cleared on %(d)s.") % {"d": _d(case.cleared_on)}})
    if case.status not in Case.CLEARABLE:
        raise CaseError({"on": _("Only a case under investigation (or suspended) can be marked cleared.")})
    _check_date(on=on, field="on", not_before=case.investigation_started_on, label=_("the start of investigation"))
    case.cleared_on = on
    _save(case, ["cleared_on"])
    _event(case, CaseEvent.Kind.CLEARED, on, actor, note)
    return case


@transaction.atomic
def case_extend_deadline(
    *, case: Case, new_due_on: date, granted_on: date, actor: User, version: int, reason: str = ""
) -> DeadlineExtension:
    """Record an extension of the running verification or investigation deadline."""
    if not can_edit_case(actor, case):
        raise CaseError(_("You may not change this case."))
    case = _locked(case, version)
    if case.status in {Case.Status.RECEIVED, Case.Status.VERIFYING}:
        kind = DeadlineExtension.Kind.VERIFICATION
        limit = deadlines.verification_limit(case.received_on)
    elif case.status == Case.Status.INVESTIGATING:
        kind = DeadlineExtension.Kind.INVESTIGATION
        granted = case.extensions.filter(kind=kind).count()
        limit = deadlines.investigation_extension_limit(case.due_on, case.severity, granted)
        if limit is None:
            raise CaseError(
                {
                    "new_due_on": _("No further extension is allowed for this severity (%(n)s already granted).")
                    % {"n": granted}
                }
            )
    else:
        raise CaseError(_("Only a running verification or investigation deadline can be extended."))
    _check_date(on=granted_on, field="granted_on")
    if new_due_on <= case.due_on:
        raise CaseError(
            {"new_due_on": _("The new deadline must be after the current one (%(d)s).") % {"d": _d(case.due_on)}}
        )
    if new_due_on > limit:
        raise CaseError({"new_due_on": _("The law allows at most %(d)s for this extension.") % {"d": _d(limit)}})
    extension = DeadlineExtension.objects.create(
        case=case,
        kind=kind,
        granted_on=granted_on,
        previous_due_on=case.due_on,
        new_due_on=new_due_on,
        reason=reason,
        actor=actor,
    )
    case.due_on = new_due_on
    _save(case, ["due_on"])
    _event(case, CaseEvent.Kind.EXTENDED, granted_on, actor, reason or str(extension))
    return extension


PARTY_FIELDS = {"role", "full_name", "birth_year", "gender", "id_number", "residence", "custody"}


@transaction.atomic
def party_add(*, case: Case, actor: User, **fields) -> Party:
    if not can_edit_case(actor, case):
        raise CaseError(_("You may not change this case."))
    unknown = set(fields) - PARTY_FIELDS
    if unknown:
        raise CaseError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    party = Party(case=case, **fields)
    party.full_clean()
    party.save()
    return party
