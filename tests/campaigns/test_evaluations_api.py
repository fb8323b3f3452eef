"""POST /api/v1/models/{id}/evaluations/: 201 with the model, refusals worded for the caller, scope and roles."""

from datetime import date

import pytest
from django.urls import reverse

from campaigns.models import GoodPracticeModel, ModelEvaluation
from campaigns.services import model_create
from portal.accounts.models import User
from tests.campaigns.conftest import DAY, client_for

pytestmark = pytest.mark.django_db
R = User.Role


@pytest.fixture
def model(tree, officer) -> GoodPracticeModel:
    return model_create(
        actor=officer, unit=tree.pho_yen, name="Camera an ninh", field="crime_prevention", started_on=DAY
    )


def url(model: GoodPracticeModel) -> str:
    return reverse("api:model-evaluations", kwargs={"pk": model.pk})


def body(**overrides) -> dict:
    return {
        "on": "2026-05-02",
        "evaluator": "Đoàn kiểm tra BCĐ 138 tỉnh",
        "text": "Hiệu quả, nên nhân rộng",
        **overrides,
    }


def test_evaluation_answers_201_with_the_model_and_its_evaluations(tree, officer, model):
    response = client_for(officer).post(url(model), body(evaluator_unit="19", rating=4), format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["id"] == model.pk and data["status"] == "pilot"
    assert data["evaluations"] == [
        {
            "id": ModelEvaluation.objects.get().pk,
            "on": "2026-05-02",
            "evaluator": "Đoàn kiểm tra BCĐ 138 tỉnh",
            "evaluator_unit": {"id": tree.thai_nguyen.pk, "code": "19", "name": "Tỉnh Thái Nguyên", "edition": "2025"},
            "text": "Hiệu quả, nên nhân rộng",
            "rating": 4,
        }
    ]


def test_date_defaults_to_today_and_unit_and_rating_are_optional(officer, model):
    response = client_for(officer).post(url(model), {"evaluator": "Tổ công tác", "text": "Đạt"}, format="json")

    assert response.status_code == 201, response.content
    evaluation = ModelEvaluation.objects.get()
    assert (evaluation.on, evaluation.evaluator_unit, evaluation.rating) == (date(2026, 6, 1), None, None)


def test_an_evaluator_from_the_unit_above_the_callers_is_accepted(tree, make_user, model):
    commune = make_user(R.PROPAGANDA_OFFICER, tree.pho_yen)

    response = client_for(commune).post(url(model), body(evaluator_unit="19"), format="json")

    assert response.status_code == 201, response.content
    assert ModelEvaluation.objects.get().evaluator_unit == tree.thai_nguyen


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"on": "2026-06-02"}, "on", "The date 02/06/2026 is in the future."),
        ({"on": "2026-03-01"}, "on", "is before the start date"),
        ({"rating": 6}, "rating", "less than or equal to 5"),
        ({"evaluator_unit": "00004"}, "evaluator_unit", "Unit “00004” not found among the units you can see."),
        # Found by the API fuzzer on PostgreSQL, which refuses to compare text holding NUL: it answered 500.
        ({"evaluator_unit": "19\x00"}, "evaluator_unit", "not found among the units you can see."),
        ({"text": ""}, "text", "may not be blank"),
    ],
)
def test_refusals_name_the_field_and_write_nothing(officer, model, overrides, field, message):
    response = client_for(officer).post(url(model), body(**overrides), format="json")

    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert not ModelEvaluation.objects.exists()


def test_a_model_outside_scope_is_404_and_roles_without_the_right_403(tree, make_user, model):
    hanoi = make_user(R.STANDING_OFFICER, tree.ha_noi)
    assert client_for(hanoi).post(url(model), body(), format="json").status_code == 404
    for role in (R.LEADER, R.INSPECTOR, R.VIEWER, R.INVESTIGATOR):
        response = client_for(make_user(role, tree.thai_nguyen)).post(url(model), body(), format="json")
        assert response.status_code == 403, role
    assert not ModelEvaluation.objects.exists()
