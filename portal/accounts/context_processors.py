"""Template context: the navigation the current user may use."""

from . import two_factor
from .navigation import nav_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    if two_factor.needed(request):
        # Between the password and the code: no menu to pages that would only send them back here.
        return {"nav_items": [], "second_step_waiting": True}
    return {"nav_items": nav_for(user)}
