"""Who may read and change hotspots and good-practice models (DESIGN §4)."""

from portal.accounts.permissions import has_capability
from portal.accounts.roles import C


def can_view_hotspots(user) -> bool:
    return has_capability(user, C.VIEW_CAMPAIGNS)


def can_edit_hotspots(user) -> bool:
    return has_capability(user, C.EDIT_CAMPAIGNS)


def can_view_models(user) -> bool:
    return has_capability(user, C.VIEW_PROPAGANDA)


def can_edit_models(user) -> bool:
    return has_capability(user, C.EDIT_PROPAGANDA)


def can_view_campaigns(user) -> bool:
    return has_capability(user, C.VIEW_CAMPAIGNS)


def can_edit_campaigns(user) -> bool:
    return has_capability(user, C.EDIT_CAMPAIGNS)


def can_view_propaganda(user) -> bool:
    return has_capability(user, C.VIEW_PROPAGANDA)


def can_edit_propaganda(user) -> bool:
    return has_capability(user, C.EDIT_PROPAGANDA)
