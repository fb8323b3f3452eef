"""Every write to hotspots and good-practice models: create, edit, lifecycle moves, replications, evaluations."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal import errors as portal_errors
from portal.accounts.models import User
from portal.units.models import Unit

from .models import GoodPracticeModel, Hotspot, HotspotEvent, ModelEvaluation, ModelReplication
from .permissions import can_edit_hotspots, can_edit_models


class CampaignError(ValidationError):
    """A refused write, worded for the user (a form error on pages, 400 in the API)."""


class StaleVersionError(CampaignError, portal_errors.StaleVersionError):
    """The record changed since the user loaded it (409 in the API); nothing was written."""


def _d(value: date) -> str:
    return date_format(value, "d/m/Y")


def _today() -> date:
    return timezone.localdate()


def _check_unit(*, actor: User, unit: Unit, field: str = "unit") -> None:
    if actor.unit is None or not actor.unit.contains(unit):
        raise CampaignError({field: _("This unit is outside your scope.")})


def _check_date(*, on: date, field: str, not_before: date | None = None, label: str = "") -> None:
    if on > _today():
        raise CampaignError({field: _("The date %(d)s is in the future.") % {"d": _d(on)}})
    if not_before and on < not_before:
        raise CampaignError(
            {field: _("The date %(d)s is before %(what)s (%(b)s).") % {"d": _d(on), "what": label, "b": _d(not_before)}}
        )


def _locked(model, obj, version: int):
    """Lock the row and refuse the write if someone else changed it meanwhile."""
    current = model.objects.select_for_update().get(pk=obj.pk)
    if current.version != version:
        raise StaleVersionError(
            _(
                "This record was changed by someone else after you opened it (your version %(mine)s, "
                "now %(now)s). Reload it to see their changes; nothing was saved."
            )
            % {"mine": version, "now": current.version}
        )
    return current


def _clean(obj, exclude: Iterable[str] = ()) -> None:
    """The model's own validation (ranges, choices, constraints), as a refusal worded for the user."""
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise CampaignError(exc.error_dict if hasattr(exc, "error_dict") else exc.messages) from exc


def _save(obj, fields: Iterable[str]) -> None:
    obj.version += 1
    obj.save(update_fields=[*fields, "version", "updated_at"])


def _illegal_move(current_label: str, to_label: str, allowed: list[str], labels: dict) -> CampaignError:
    moves = ", ".join(str(labels[s]) for s in allowed) or _("none (final status)")
    return CampaignError(
        {
            "to": _("A record in %(status)s cannot move to %(to)s. Allowed moves: %(moves)s.")
            % {"status": current_label, "to": to_label, "moves": moves}
        }
    )


# --- Hotspots ----------------------------------------------------------------------------------

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
    _check_unit(actor=actor, unit=unit)
    _check_date(on=identified_on, field="identified_on")
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
    _clean(hotspot, exclude=["unit_path"])
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
    hotspot = _locked(Hotspot, hotspot, version)
    changed = [f for f, v in changes.items() if getattr(hotspot, f) != v]
    if not changed:
        return hotspot
    if "unit" in changed:
        _check_unit(actor=actor, unit=changes["unit"])
        hotspot.unit_path = changes["unit"].rollup_path
    if "identified_on" in changed:
        _check_date(on=changes["identified_on"], field="identified_on")
        later = hotspot.remediation_started_on or hotspot.resolved_on
        if later and changes["identified_on"] > later:
            raise CampaignError({"identified_on": _("A hotspot cannot be identified after its remediation started.")})
    for field in changed:
        setattr(hotspot, field, changes[field])
    _clean(hotspot, exclude=["unit_path"])
    _save(hotspot, [*changed, *(["unit_path"] if "unit" in changed else [])])
    _hotspot_event(hotspot, HotspotEvent.Kind.EDITED, _today(), actor, ", ".join(sorted(changed)))
    return hotspot


@transaction.atomic
def hotspot_transition(*, hotspot: Hotspot, to: str, on: date, actor: User, version: int, note: str = "") -> Hotspot:
    if not can_edit_hotspots(actor):
        raise CampaignError(_("Your role does not allow changing hotspots."))
    hotspot = _locked(Hotspot, hotspot, version)
    to = Hotspot.Status(to)
    if to not in Hotspot.TRANSITIONS[hotspot.status]:
        raise _illegal_move(
            hotspot.get_status_display(), to.label, hotspot.allowed_moves(), dict(Hotspot.Status.choices)
        )
    previous_date = {
        Hotspot.Status.UNDER_REMEDIATION: (hotspot.identified_on, _("the date identified")),
        Hotspot.Status.RESOLVED: (hotspot.remediation_started_on, _("the start of remediation")),
    }[to]
    _check_date(on=on, field="on", not_before=previous_date[0], label=previous_date[1])
    from_status = hotspot.status
    hotspot.status = to
    stamp = Hotspot.STAMPS[to]
    setattr(hotspot, stamp, on)
    _save(hotspot, ["status", stamp])
    _hotspot_event(hotspot, HotspotEvent.Kind.STATUS, on, actor, note, from_status=from_status, to_status=to)
    return hotspot


# --- Good-practice models ----------------------------------------------------------------------

MODEL_EDITABLE = {"unit", "name", "field", "started_on", "description"}


@transaction.atomic
def model_create(
    *, actor: User, unit: Unit, name: str, field: str, started_on: date, description: str = ""
) -> GoodPracticeModel:
    if not can_edit_models(actor):
        raise CampaignError(_("Your role does not allow recording good-practice models."))
    _check_unit(actor=actor, unit=unit)
    _check_date(on=started_on, field="started_on")
    model = GoodPracticeModel(
        unit=unit,
        unit_path=unit.rollup_path,
        name=name,
        field=field,
        started_on=started_on,
        description=description,
        created_by=actor,
    )
    _clean(model, exclude=["unit_path"])
    model.save()
    return model


@transaction.atomic
def model_update(*, model: GoodPracticeModel, actor: User, version: int, **changes) -> GoodPracticeModel:
    unknown = set(changes) - MODEL_EDITABLE
    if unknown:
        raise CampaignError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if not can_edit_models(actor):
        raise CampaignError(_("Your role does not allow changing good-practice models."))
    model = _locked(GoodPracticeModel, model, version)
    changed = [f for f, v in changes.items() if getattr(model, f) != v]
    if not changed:
        return model
    if "unit" in changed:
        _check_unit(actor=actor, unit=changes["unit"])
        model.unit_path = changes["unit"].rollup_path
    if "started_on" in changed:
        _check_date(on=changes["started_on"], field="started_on")
    for field in changed:
        setattr(model, field, changes[field])
    _clean(model, exclude=["unit_path"])
    _save(model, [*changed, *(["unit_path"] if "unit" in changed else [])])
    return model


@transaction.atomic
def model_transition(*, model: GoodPracticeModel, to: str, on: date, actor: User, version: int) -> GoodPracticeModel:
    """pilot → effective → replicated; replicated only once the model was replicated to a unit."""
    if not can_edit_models(actor):
        raise CampaignError(_("Your role does not allow changing good-practice models."))
    model = _locked(GoodPracticeModel, model, version)
    to = GoodPracticeModel.Status(to)
    if to not in GoodPracticeModel.TRANSITIONS[model.status]:
        raise _illegal_move(
            model.get_status_display(), to.label, model.allowed_moves(), dict(GoodPracticeModel.Status.choices)
        )
    if to == GoodPracticeModel.Status.REPLICATED:
        if not model.replications.exists():
            raise CampaignError(
                {"to": _("Record at least one unit the model was replicated to before marking it replicated.")}
            )
        _check_date(on=on, field="on", not_before=model.effective_on, label=_("the date it was recognised effective"))
        model.status, model.replicated_on = to, on
        _save(model, ["status", "replicated_on"])
    else:
        _check_date(on=on, field="on", not_before=model.started_on, label=_("the start date"))
        model.status, model.effective_on = to, on
        _save(model, ["status", "effective_on"])
    return model


@transaction.atomic
def model_replicate(*, model: GoodPracticeModel, unit: Unit, replicated_on: date, actor: User) -> ModelReplication:
    """Record that the model was replicated to a unit in the actor's scope."""
    if not can_edit_models(actor):
        raise CampaignError(_("Your role does not allow changing good-practice models."))
    _check_unit(actor=actor, unit=unit)
    _check_date(on=replicated_on, field="replicated_on", not_before=model.started_on, label=_("the start date"))
    if unit.pk == model.unit_id:
        raise CampaignError({"unit": _("A model is not replicated to its own unit.")})
    if model.replications.filter(unit=unit).exists():
        raise CampaignError({"unit": _("The model was already replicated to %(unit)s.") % {"unit": unit.name}})
    replication = ModelReplication.objects.create(model=model, unit=unit, replicated_on=replicated_on, actor=actor)
    return replication


@transaction.atomic
def model_evaluate(
    *,
    model: GoodPracticeModel,
    actor: User,
    on: date,
    evaluator: str,
    text: str,
    evaluator_unit: Unit | None = None,
    rating: int | None = None,
) -> ModelEvaluation:
    if not can_edit_models(actor):
        raise CampaignError(_("Your role does not allow changing good-practice models."))
    _check_date(on=on, field="on", not_before=model.started_on, label=_("the start date"))
    evaluation = ModelEvaluation(
        model=model, on=on, evaluator=evaluator, evaluator_unit=evaluator_unit, text=text, rating=rating
    )
    _clean(evaluation)
    evaluation.save()
    return evaluation
