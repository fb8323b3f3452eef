"""Reads of notifications: a user's own notices, the bell's unread count (cached), their channel choices."""

from django.core.cache import cache
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from portal.accounts.models import User

from .models import KIND_CHANNELS, Notice, NoticePreference
from .services import unread_cache_key

# The count is dropped whenever it changes (services.unread_forget); the expiry only bounds a missed drop.
UNREAD_CACHE_SECONDS = 300


def notice_list(*, user: User) -> QuerySet[Notice]:
    """The user's own notices, newest first."""
    return Notice.objects.visible_to(user).order_by("-created_at", "-id")


def notice_get(*, user: User, notice_id: int) -> Notice:
    # Another user's notice answers the same 404 as a missing one.
    return get_object_or_404(notice_list(user=user), pk=notice_id)


def unread_count(*, user: User) -> int:
    """How many of the user's notices are unread: one indexed COUNT, then from the cache until it changes."""
    if not getattr(user, "is_authenticated", False):
        return 0
    key = unread_cache_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notice.objects.visible_to(user).unread().count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def preferences_of(*, user: User) -> dict[str, str]:
    """Kind -> the user's channel, with each kind's default where they chose nothing (or a choice withdrawn)."""
    chosen = dict(NoticePreference.objects.filter(user=user).values_list("kind", "channel"))
    return {
        kind: chosen[kind] if chosen.get(kind) in channels else channels[0] for kind, channels in KIND_CHANNELS.items()
    }
