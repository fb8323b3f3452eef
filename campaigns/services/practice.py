"""Every write to good-practice models: record, edit, pilot → effective → replicated, replications, evaluations."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.units.models import Unit

from ..models import GoodPracticeModel, ModelEvaluation, ModelReplication
from ..permissions import can_edit_models
from .common import CampaignError, check_date, check_unit, clean, illegal_move, locked, save_versioned

MODEL_EDITABLE = {"unit", "name", "field", "started_on", "description"}


@transaction.atomic
def model_create(
    *, actor: User, unit: Unit, name: str, field: str, started_on: date, description: str = ""
) -> GoodPracticeModel:
    if not can_edit_models(actor):
        raise CampaignError(_("Your role does not allow recording good-practice models."))
    check_unit(actor=actor, unit=unit)
    check_date(on=started_on, field="started_on")
    model = GoodPracticeModel(
        unit=unit,
        unit_path=unit.rollup_path,
        name=name,
        field=field,
        started_on=started_on,
        description=description,
        created_by=actor,
    )
    clean(model, exclude=["unit_path"])
    model.save()
    return model


@transaction.atomic
def model_update(*, model: GoodPracticeModel, actor: User, version: int, **changes) -> GoodPracticeModel:
    unknown = set(changes) - MODEL_EDITABLE
    if unknown:
        raise CampaignError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if not can_edit_models(actor):
        raise CampaignError(_("Your role does not allow changing good-practice models."))
    model = locked(GoodPracticeModel, model, version)
    changed = [f for f, v in changes.items() if getattr(model, f) != v]
    if not changed:
        return model
    if "unit" in changed:
        check_unit(actor=actor, unit=changes["unit"])
        model.unit_path = changes["unit"].rollup_path
    if "started_on" in changed:
        check_date(on=changes["started_on"], field="started_on")
    for field in changed:
        setattr(model, field, changes[field])
    clean(model, exclude=["unit_path"])
    save_versioned(model, [*changed, *(["unit_path"] if "unit" in changed else [])])
    return model


@transaction.atomic
def model_transition(*, model: GoodPracticeModel, to: str, on: date, actor: User, version: int) -> GoodPracticeModel:
    """pilot → effective → replicated; replicated only once the model was replicated to a unit."""
    if not can_edit_models(actor):
        raise CampaignError(_("Your role does not allow changing good-practice models."))
    model = locked(GoodPracticeModel, model, version)
    to = GoodPracticeModel.Status(to)
    if to not in GoodPracticeModel.TRANSITIONS[model.status]:
        raise illegal_move(
            model.get_status_display(), to.label, model.allowed_moves(), dict(GoodPracticeModel.Status.choices)
        )
    if to == GoodPracticeModel.Status.REPLICATED:
        if not model.replications.exists():
            raise CampaignError(
                {"to": _("Record at least one unit the model was replicated to before marking it replicated.")}
            )
        check_date(on=on, field="on", not_before=model.effective_on, label=_("the date it was recognised effective"))
        model.status, model.replicated_on = to, on
        save_versioned(model, ["status", "replicated_on"])
    else:
        check_date(on=on, field="on", not_before=model.started_on, label=_("the start date"))
        model.status, model.effective_on = to, on
        save_versioned(model, ["status", "effective_on"])
    return model


@transaction.atomic
def model_replicate(*, model: GoodPracticeModel, unit: Unit, replicated_on: date, actor: User) -> ModelReplication:
    """Record that the model was replicated to a unit in the actor's scope."""
    if not can_edit_models(actor):
        raise CampaignError(_("Your role does not allow changing good-practice models."))
    check_unit(actor=actor, unit=unit)
    check_date(on=replicated_on, field="replicated_on", not_before=model.started_on, label=_("the start date"))
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
    check_date(on=on, field="on", not_before=model.started_on, label=_("the start date"))
    evaluation = ModelEvaluation(
        model=model, on=on, evaluator=evaluator, evaluator_unit=evaluator_unit, text=text, rating=rating
    )
    clean(evaluation)
    evaluation.save()
    return evaluation
