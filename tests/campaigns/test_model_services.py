"""Good-practice model services: pilot → effective → replicated, replications in scope, evaluations."""

from datetime import timedelta

import pytest

from campaigns.models import GoodPracticeModel, ModelReplication
from campaigns.services import (
    CampaignError,
    StaleVersionError,
    model_create,
    model_evaluate,
    model_replicate,
    model_transition,
    model_update,
)
from portal.accounts.models import User
from tests.campaigns.conftest import DAY

pytestmark = pytest.mark.django_db
S = GoodPracticeModel.Status


@pytest.fixture
def model(tree, officer):
    return model_create(
        actor=officer, unit=tree.thai_nguyen, name="Camera an ninh", field="crime_prevention", started_on=DAY
    )


def test_create(tree, model):
    assert (model.status, model.unit_path, model.version) == (S.PILOT, tree.thai_nguyen.rollup_path, 1)


def test_pilot_effective_replicated(tree, model, officer):
    model = model_transition(model=model, to=S.EFFECTIVE, on=DAY + timedelta(days=30), actor=officer, version=1)
    assert (model.status, model.effective_on, model.version) == (S.EFFECTIVE, DAY + timedelta(days=30), 2)
    model_replicate(model=model, unit=tree.pho_yen, replicated_on=DAY + timedelta(days=40), actor=officer)
    model = model_transition(model=model, to=S.REPLICATED, on=DAY + timedelta(days=41), actor=officer, version=2)
    assert (model.status, model.replicated_on) == (S.REPLICATED, DAY + timedelta(days=41))


def test_replicated_requires_a_replication(model, officer):
    model = model_transition(model=model, to=S.EFFECTIVE, on=DAY, actor=officer, version=1)
    with pytest.raises(CampaignError, match="at least one unit"):
        model_transition(model=model, to=S.REPLICATED, on=DAY, actor=officer, version=2)


@pytest.mark.parametrize(("moves", "illegal"), [([], S.REPLICATED), ([S.EFFECTIVE], S.PILOT)])
def test_illegal_moves_name_the_allowed_ones(model, officer, moves, illegal):
    for n, to in enumerate(moves):
        model = model_transition(model=model, to=to, on=DAY, actor=officer, version=n + 1)
    with pytest.raises(CampaignError) as refused:
        model_transition(model=model, to=illegal, on=DAY, actor=officer, version=model.version)
    assert "Allowed moves:" in refused.value.message_dict["to"][0]


def test_stale_version(model, officer):
    model_update(model=model, actor=officer, version=1, name="Camera an ninh khu dân cư")
    with pytest.raises(StaleVersionError):
        model_transition(model=model, to=S.EFFECTIVE, on=DAY, actor=officer, version=1)


def test_replications_stay_in_scope_once_per_unit(tree, model, officer):
    with pytest.raises(CampaignError, match="outside your scope"):
        model_replicate(model=model, unit=tree.ba_dinh, replicated_on=DAY, actor=officer)
    with pytest.raises(CampaignError, match="its own unit"):
        model_replicate(model=model, unit=tree.thai_nguyen, replicated_on=DAY, actor=officer)
    model_replicate(model=model, unit=tree.pho_yen, replicated_on=DAY, actor=officer)
    with pytest.raises(CampaignError, match="already replicated"):
        model_replicate(model=model, unit=tree.pho_yen, replicated_on=DAY, actor=officer)
    assert ModelReplication.objects.count() == 1


def test_evaluations_rate_1_to_5(model, officer):
    evaluation = model_evaluate(model=model, actor=officer, on=DAY, evaluator="Ban Chỉ đạo 138", text="Tốt", rating=5)
    assert list(model.evaluations.all()) == [evaluation]
    with pytest.raises(CampaignError):
        model_evaluate(model=model, actor=officer, on=DAY, evaluator="X", text="Y", rating=6)


@pytest.mark.parametrize("role", [User.Role.LEADER, User.Role.INVESTIGATOR, User.Role.INSPECTOR])
def test_roles_without_the_edit_capability_are_refused(tree, make_user, role):
    with pytest.raises(CampaignError, match="does not allow"):
        model_create(
            actor=make_user(role, tree.thai_nguyen), unit=tree.pho_yen, name="X", field="other", started_on=DAY
        )
