"""Every write of notifications: create a notice (as the recipient's preference allows), mark read, choose channels."""

from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User

from .models import KIND_CHANNELS, Channel, Kind, Notice, NoticePreference

TITLE_MAX = Notice._meta.get_field("title").max_length
URL_MAX = Notice._meta.get_field("url").max_length


def unread_cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_forget_now(user_id: int) -> None:
    cache.delete(unread_cache_key(user_id))


def unread_forget(user_id: int) -> None:
    """Drop the cached bell count now and, inside a transaction, again after the commit: a request that counted
    while the change was not yet committed must not keep the old count."""
    unread_forget_now(user_id)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(partial(unread_forget_now, user_id))


def recipient_language(user: User) -> str:
    """The language a notice or mail is written in: the user's own when the portal knows it, else the default."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def channel_of(user: User, kind: str) -> str:
    """The user's channel for a kind: their choice where it is still offered, else the kind's default."""
    allowed = KIND_CHANNELS[kind]
    chosen = NoticePreference.objects.filter(user=user, kind=kind).values_list("channel", flat=True).first()
    return chosen if chosen in allowed else allowed[0]


def wants_mail(user: User, kind: str) -> bool:
    """True when this kind may be mailed to the user (their choice: mail and in-app, or mail only)."""
    return channel_of(user, kind) in (Channel.BOTH, Channel.MAIL)


def wants_notice(user: User, kind: str) -> bool:
    return channel_of(user, kind) in (Channel.BOTH, Channel.IN_APP)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def notice_create(*, recipient: User, kind: str, title: str, body: str = "", url: str = "", key: str) -> Notice | None:
    """The new notice, or None: when the recipient chose mail only for this kind, or the key was used before
    (a task run twice, a retried mail) — one notice per (recipient, key), whatever runs it how often.

    `url` is a path inside the portal ("/oversight/recommendations/7/"), never another site's address.
    """
    if kind not in KIND_CHANNELS:
        raise ValueError(f"unknown notice kind {kind!r}")
    if url and (not url.startswith("/") or url.startswith("//") or len(url) > URL_MAX):
        raise ValueError(f"a notice links inside the portal, not to {url!r}")
    if not recipient.is_active or not wants_notice(recipient, kind):
        return None
    notice, created = Notice.objects.get_or_create(
        recipient=recipient,
        key=key,
        defaults={"kind": kind, "title": _shorten(title, TITLE_MAX), "body": str(body).strip(), "url": url},
    )
    if not created:
        return None
    unread_forget(recipient.pk)
    return notice


def notify_work_finished(*, recipient: User, title: str, url: str, ok: bool, key: str) -> Notice | None:
    """Tell the user who started a background export or report that it is ready (ok) or failed; in-app only."""
    from django.utils import translation

    with translation.override(recipient_language(recipient)):
        body = _("Ready: open it from the link.") if ok else _("It failed; start it again or ask an administrator.")
    return notice_create(recipient=recipient, kind=Kind.WORK_FINISHED, title=title, body=body, url=url, key=key)


def notice_mark_read(*, notice: Notice, actor: User) -> Notice:
    """Mark one of the actor's own notices read (read again: unchanged); another user's notice answers 404."""
    if notice.recipient_id != actor.pk:
        raise Http404
    if notice.read_at is None:
        now = timezone.now()
        if Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=now):
            unread_forget(actor.pk)
        notice.read_at = now
    return notice


def notices_mark_all_read(*, actor: User) -> int:
    """Mark every unread notice of the actor read; how many were unread."""
    marked = Notice.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
    if marked:
        unread_forget(actor.pk)
    return marked


@transaction.atomic
def preferences_save(*, user: User, channels: dict[str, str]) -> None:
    """Save the user's channel for each kind given; a channel a kind does not offer is refused."""
    for kind, channel in channels.items():
        if kind not in KIND_CHANNELS:
            raise ValidationError(_("Unknown kind of notification."))
        if channel not in KIND_CHANNELS[kind]:
            label = Channel(channel).label if channel in Channel.values else channel
            raise ValidationError(
                _("%(channel)s is not offered for “%(kind)s”.") % {"channel": label, "kind": Kind(kind).label}
            )
        NoticePreference.objects.update_or_create(user=user, kind=kind, defaults={"channel": channel})
