"""Reads of hotspots, always through the scoping rule, with their eager loading."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from portal.accounts.models import User

from ..models import Hotspot, HotspotEvent
from ..permissions import can_view_hotspots


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
