"""Reads of users, always limited to the reader's unit subtree."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from portal.units.models import Unit

from .models import User


def user_list(*, user: User) -> QuerySet[User]:
    return User.objects.visible_to(user).select_related("unit").order_by("username")


def user_get(*, user: User, user_id: int) -> User:
    # Missing and out-of-scope answer the same 404: existence never leaks.
    return get_object_or_404(user_list(user=user), pk=user_id)


def user_scope(*, user: User) -> dict:
    """What the user's scope covers, for /api/v1/me/ and the dashboard."""
    if user.unit is None:
        return {"unit_path": None, "is_national": False, "current_units": 0, "legacy_units": 0}
    units = Unit.objects.rolling_up_to(user.unit)
    return {
        "unit_path": user.unit.path,
        "is_national": user.unit.is_root,
        "current_units": units.filter(edition=Unit.Edition.CURRENT).count(),
        "legacy_units": units.filter(edition=Unit.Edition.LEGACY).count(),
    }
