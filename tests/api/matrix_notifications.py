"""Access-matrix rows for notifications: a notice is its recipient's alone, whatever the role.

The in-scope notice belongs to the ACTOR (the newest user of Thái Nguyên, as in matrix_subscriptions); the
out-of-scope one to the viewer of Hà Nội — and to anyone but the actor it answers 404.
"""

from portal.notifications.models import Kind, Notice
from tests.api.matrix import Row, no_object
from tests.api.matrix_subscriptions import _actor

TITLES = {True: "Thông báo của chính mình", False: "Thông báo của người khác"}


def notice_of(ctx, in_scope) -> Notice:
    recipient = (getattr(ctx, "actor", None) or _actor(ctx)) if in_scope else ctx.out_user
    notice, _ = Notice.objects.get_or_create(
        recipient=recipient,
        key=f"matrix-{in_scope}",
        defaults={"kind": Kind.DEADLINES, "title": TITLES[in_scope], "url": "/cases/"},
    )
    return notice


def both_notices(ctx, in_scope):
    notice_of(ctx, True), notice_of(ctx, False)
    return {}, None


def notice_title(ctx, in_scope) -> str:
    return TITLES[in_scope]


def notice_obj(ctx, in_scope):
    return {"pk": notice_of(ctx, in_scope).pk}, None


NOTIFICATION_ROWS: list[Row] = [
    Row("notice-list", "GET", both_notices, out=200, listed=notice_title),
    Row("notice-read", "POST", notice_obj),
    Row("notice-read-all", "POST", no_object, out=200),
]
