"""Reads of hotspots and good-practice models, always through the scoping rule, with their eager loading."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from portal.accounts.models import User

from .models import GoodPracticeModel, Hotspot, HotspotEvent, ModelEvaluation, ModelReplication
from .permissions import can_view_hotspots, can_view_models


def hotspot_list(*, user: User) -> QuerySet[Hotspot]:
    """Hotspots in the user's subtree (legacy units rolled up), newest first."""
    if not can_view_hotspots(user):
        return Hotspot.objects.none()
    return Hotspot.objects.visible_to(user).select_related("unit").order_by("-identified_on", "-id")


def hotspot_get(*, user: User, hotspot_id: int) -> Hotspot:
    # Missing and out-of-scope answer the same 404: existence never leaks.
    return get_object_or_404(hotspot_list(user=user), pk=hotspot_id)


def hotspot_detail(*, user: User, hotspot_id: int) -> Hotspot:
    """One hotspot with its timeline loaded."""
    queryset = hotspot_list(user=user).prefetch_related(
        Prefetch("events", queryset=HotspotEvent.objects.select_related("actor").order_by("on", "at", "id"))
    )
    return get_object_or_404(queryset, pk=hotspot_id)


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
    """One model with its replications and evaluations loaded."""
    queryset = model_list(user=user).prefetch_related(
        Prefetch("evaluations", queryset=ModelEvaluation.objects.select_related("evaluator_unit"))
    )
    return get_object_or_404(queryset, pk=model_id)
