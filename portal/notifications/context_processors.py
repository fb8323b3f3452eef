"""Template context: the bell's unread count, for a signed-in user past the second step of log-in."""

from django.urls import reverse

from portal.accounts import two_factor
from portal.accounts.permissions import has_capability
from portal.accounts.roles import C

from .selectors import unread_count


def bell(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or two_factor.needed(request):
        return {}
    if not has_capability(user, C.VIEW_DASHBOARD):  # no unit: no pages, so no bell either
        return {}
    return {"bell": {"unread": unread_count(user=user), "url": reverse("notifications:list")}}
