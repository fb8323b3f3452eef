"""Reads of good-practice models, always through the scoping rule, with their eager loading."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from portal.accounts.models import User

from ..models import GoodPracticeModel, ModelEvaluation, ModelReplication
from ..permissions import can_view_models


def model_list(*, user: User) -> QuerySet[GoodPracticeModel]:
    """Good-practice models of the user's subtree with the units they were replicated to."""
    if not can_view_models(user):
        return GoodPracticeModel.objects.none()
    return (
        GoodPracticeModel.objects.visible_to(user)
        .select_related("unit")
        .prefetch_related(Prefetch("replications", queryset=ModelReplication.objects.select_related("unit")))
        .order_by("-started_on", "-id")
    )


def model_get(*, user: User, model_id: int) -> GoodPracticeModel:
    return get_object_or_404(model_list(user=user), pk=model_id)


def model_detail(*, user: User, model_id: int) -> GoodPracticeModel:
    """One model with its replications, evaluations and who recorded it loaded."""
    queryset = (
        model_list(user=user)
        .select_related("created_by")
        .prefetch_related(Prefetch("evaluations", queryset=ModelEvaluation.objects.select_related("evaluator_unit")))
    )
    return get_object_or_404(queryset, pk=model_id)
