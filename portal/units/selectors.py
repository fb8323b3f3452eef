"""Reads of units, always limited to what the user may see."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Unit


def unit_list(*, user) -> QuerySet[Unit]:
    return Unit.objects.visible_to(user).select_related("parent", "successor").order_by("path")


def unit_get(*, user, unit_id: int) -> Unit:
    # Missing and out-of-scope answer the same 404: existence never leaks.
    return get_object_or_404(unit_list(user=user), pk=unit_id)


def unit_choices_for_users(*, actor) -> QuerySet[Unit]:
    """Units an admin may put users in: current units of their own subtree."""
    if actor.unit is None:
        return Unit.objects.none()
    return Unit.objects.current().subtree(actor.unit).order_by("path")
