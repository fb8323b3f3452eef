"""Access predicates (plain functions) and the thin DRF permission classes built on them."""

from rest_framework.permissions import BasePermission

from .models import User
from .roles import CAPABILITIES, C, capabilities_of


def has_capability(user, capability: str) -> bool:
    """True when the user's role carries the capability and they belong to a unit."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.unit_id is None:
        return False
    return user.role in CAPABILITIES[capability]


def can_use_admin_site(user) -> bool:
    return has_capability(user, C.USE_ADMIN_SITE)


def can_manage_user(actor, target: User) -> bool:
    """An admin manages users whose unit lies in their own subtree."""
    if not has_capability(actor, C.MANAGE_USERS) or target.unit is None:
        return False
    return actor.unit.contains(target.unit)


def grantable_roles(actor) -> list[str]:
    """Roles an actor may give: never one that can do something the actor cannot."""
    if not has_capability(actor, C.MANAGE_USERS):
        return []
    own = capabilities_of(actor.role)
    return [role for role in User.Role if capabilities_of(role) <= own]


def requires(capability: str) -> type[BasePermission]:
    """A DRF permission class for one capability: `permission_classes = [requires(C.MANAGE_USERS)]`."""

    class _Requires(BasePermission):
        def has_permission(self, request, view) -> bool:
            return has_capability(request.user, capability)

    _Requires.__name__ = f"Requires_{capability}"
    return _Requires
