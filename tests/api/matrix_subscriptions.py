"""Access-matrix rows for report subscriptions and their delivery log.

Every role with a unit manages its own subscriptions, so the in-scope object is the ACTOR's own subscription
(to its unit, Thái Nguyên); the out-of-scope one belongs to the viewer of Hà Nội (Phường Ba Đình). Creating a
subscription to a unit outside one's scope is refused as a bad unit (400).
"""

from portal.accounts.models import User
from portal.reports.models import ReportDelivery, ReportSubscription
from tests.api.matrix import Row


def _actor(ctx) -> User:
    # The matrix's actor is the newest user of Thái Nguyên; without one (the unit-less actor), the in-scope viewer.
    return User.objects.filter(unit=ctx.tree.thai_nguyen).order_by("-pk").first() or ctx.in_user


def subscription_of(ctx, in_scope) -> ReportSubscription:
    user, unit = (_actor(ctx), ctx.tree.thai_nguyen) if in_scope else (ctx.out_user, ctx.tree.ba_dinh)
    subscription, _ = ReportSubscription.objects.get_or_create(
        user=user, unit=unit, period_kind="quarter", defaults={"created_by": user}
    )
    return subscription


def both_subscriptions(ctx, in_scope):
    subscription_of(ctx, True), subscription_of(ctx, False)
    return {}, None


def subscriber(ctx, in_scope) -> str:
    return _actor(ctx).username if in_scope else ctx.out_user.username


def subscription_new(ctx, in_scope):
    return {}, {"unit": (ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh).code, "period_kind": "month"}


def subscription_obj(ctx, in_scope):
    return {"pk": subscription_of(ctx, in_scope).pk}, None


def subscription_patch(ctx, in_scope):
    return {"pk": subscription_of(ctx, in_scope).pk}, {"formats": "pdf", "version": 1}


def both_deliveries(ctx, in_scope):
    for scope, spec in ((True, "2025-Q1"), (False, "2025-Q2")):
        ReportDelivery.objects.get_or_create(
            subscription=subscription_of(ctx, scope),
            period_spec=spec,
            defaults={"period_start": "2025-01-01", "period_end": "2025-06-30"},
        )
    return {}, None


SUBSCRIPTION_ROWS: list[Row] = [
    Row("report-subscription-list", "GET", both_subscriptions, out=200, listed=subscriber),
    Row("report-subscription-list", "POST", subscription_new, ok=201, out=400),
    Row("report-subscription-detail", "GET", subscription_obj),
    Row("report-subscription-detail", "PATCH", subscription_patch),
    Row("report-subscription-detail", "DELETE", subscription_obj, ok=204),
    Row("report-delivery-list", "GET", both_deliveries, out=200, listed=lambda c, i: "2025-Q1" if i else "2025-Q2"),
]
