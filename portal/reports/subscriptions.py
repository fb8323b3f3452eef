"""Report subscriptions: who may subscribe whom to which unit's report, their writes, reads and unsubscribe tokens.

Anyone with a unit subscribes themselves; admins and leaders (the roles that approve period summaries,
`C.APPROVE_SUMMARIES`) may also subscribe the users of their subtree. The report's unit is always a current
unit inside the RECIPIENT's scope, because the report is built as the recipient would see it.
"""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.accounts.permissions import has_capability
from portal.accounts.roles import C
from portal.errors import StaleVersionError
from portal.units.models import Unit

from .models import ReportDelivery, ReportSubscription

# Reused capability (no new row in DESIGN §4): admins and leaders, who approve the period summaries, also
# decide which of their people receive the periodic reports.
SUBSCRIBE_OTHERS = C.APPROVE_SUMMARIES
UNSUBSCRIBE_SALT = "portal.reports.unsubscribe"
EDITABLE = ("unit", "period_kind", "formats", "language", "active")


class SubscriptionStaleError(StaleVersionError):
    pass


# --- Predicates ---------------------------------------------------------------------------------------


def can_subscribe_others(user) -> bool:
    return has_capability(user, SUBSCRIBE_OTHERS)


def can_subscribe(actor, recipient: User) -> bool:
    """Oneself (with a unit), or a user of one's subtree for an admin or leader."""
    if not has_capability(actor, C.VIEW_DASHBOARD):
        return False
    if recipient.pk == actor.pk:
        return True
    return (
        can_subscribe_others(actor)
        and recipient.is_active
        and recipient.unit is not None
        and actor.unit.contains(recipient.unit)
    )


# --- Selectors ----------------------------------------------------------------------------------------


def subscription_list(*, user) -> QuerySet[ReportSubscription]:
    return (
        ReportSubscription.objects.visible_to(user)
        .select_related("user", "user__unit", "unit")
        .order_by("-active", "user__username", "unit__path", "period_kind")
    )


def subscription_get(*, user, subscription_id: int) -> ReportSubscription:
    # Missing and out-of-scope answer the same 404.
    return get_object_or_404(subscription_list(user=user), pk=subscription_id)


def delivery_list(*, user) -> QuerySet[ReportDelivery]:
    return (
        ReportDelivery.objects.visible_to(user)
        .select_related("subscription", "subscription__user", "subscription__unit")
        .order_by("-created_at", "-id")
    )


def recipient_choices(*, user) -> QuerySet[User]:
    """Users the actor may subscribe: themselves, or for admins and leaders every active user of their subtree."""
    if not has_capability(user, C.VIEW_DASHBOARD):
        return User.objects.none()
    if not can_subscribe_others(user):
        return User.objects.filter(pk=user.pk)
    return User.objects.filter(is_active=True, unit__rollup_path__startswith=user.unit.path).order_by("username")


def recipient_get(*, actor, user_id: int | None) -> User:
    """The recipient of a new subscription (the actor by default); refused when the actor may not subscribe them."""
    if user_id is None or user_id == actor.pk:
        return actor
    recipient = recipient_choices(user=actor).filter(pk=user_id).select_related("unit").first()
    if recipient is None:
        raise ValidationError(
            {"user": _("You may subscribe only yourself or, as a leader, the people of your unit's subtree.")}
        )
    return recipient


def unit_for_recipient(*, recipient: User, code: str | None) -> Unit:
    """The current unit with this code inside the recipient's scope; the recipient's own unit when no code."""
    if recipient.unit is None:
        raise ValidationError({"user": _("The recipient belongs to no unit, so no report can be built for them.")})
    if not code:
        return recipient.unit
    unit = Unit.objects.current().filter(code=code.strip()).first()
    if unit is None or not recipient.unit.contains(unit):
        raise ValidationError(
            {
                "unit": _(
                    "Unit “%(code)s” is not a current unit inside the recipient's scope (%(scope)s): "
                    "a report is built as its recipient sees it."
                )
                % {"code": code, "scope": recipient.unit}
            }
        )
    return unit


# --- Services -----------------------------------------------------------------------------------------


def _check(*, actor, subscription: ReportSubscription) -> None:
    recipient = subscription.user
    if not can_subscribe(actor, recipient):
        raise ValidationError(
            {"user": _("You may subscribe only yourself or, as a leader, the people of your unit's subtree.")}
        )
    unit = subscription.unit
    if recipient.unit is None or unit.edition != Unit.Edition.CURRENT or not recipient.unit.contains(unit):
        raise ValidationError(
            {
                "unit": _(
                    "%(unit)s is outside the recipient's scope (%(scope)s): a report is built as its recipient "
                    "sees it, so it can only be about their unit or a unit below it."
                )
                % {"unit": unit, "scope": recipient.unit or "—"}
            }
        )
    if not recipient.email:
        raise ValidationError({"user": _("%(user)s has no e-mail address to send reports to.") % {"user": recipient}})
    if subscription.language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose Vietnamese or English.")})
    try:
        subscription.full_clean(exclude=["user", "unit", "created_by", "version"], validate_unique=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    duplicate = ReportSubscription.objects.filter(
        user=recipient, unit=unit, period_kind=subscription.period_kind, active=True
    ).exclude(pk=subscription.pk)
    if duplicate.exists():
        raise ValidationError(
            _("%(user)s already receives the %(kind)s report of %(unit)s.")
            % {"user": recipient, "kind": subscription.get_period_kind_display().lower(), "unit": unit}
        )


@transaction.atomic
def subscription_create(
    *,
    actor,
    user: User | None = None,
    unit: Unit | None = None,
    period_kind: str,
    formats: str = ReportSubscription.Formats.BOTH,
    language: str = "vi",
) -> ReportSubscription:
    """Subscribe `user` (the actor by default) to a unit's periodic report; an ended one is taken up again."""
    recipient = user or actor
    unit = unit or recipient.unit
    if unit is None:
        raise ValidationError({"unit": _("The recipient belongs to no unit, so no report can be built for them.")})
    existing = (
        ReportSubscription.objects.select_for_update()
        .filter(user=recipient, unit=unit, period_kind=period_kind, active=False)
        .first()
    )
    subscription = existing or ReportSubscription(user=recipient, unit=unit, period_kind=period_kind, created_by=actor)
    subscription.formats, subscription.language, subscription.active = formats, language, True
    _check(actor=actor, subscription=subscription)
    if existing:
        subscription.version += 1
    try:
        with transaction.atomic():
            subscription.save()
    except IntegrityError:  # a concurrent request subscribed the same (user, unit, period kind)
        raise ValidationError(
            _("%(user)s already receives the %(kind)s report of %(unit)s.")
            % {"user": recipient, "kind": subscription.get_period_kind_display().lower(), "unit": unit}
        ) from None
    return subscription


@transaction.atomic
def subscription_update(*, actor, subscription: ReportSubscription, version: int, **changes) -> ReportSubscription:
    """Change the unit, period kind, formats, language or active flag of a visible subscription."""
    current = (
        ReportSubscription.objects.select_for_update(of=("self",))
        .select_related("user", "user__unit")
        .get(pk=subscription.pk)
    )
    if current.version != version:
        raise SubscriptionStaleError(
            _(
                "This record was changed by someone else after you opened it (your version %(mine)s, "
                "now %(now)s). Reload it to see their changes; nothing was saved."
            )
            % {"mine": version, "now": current.version}
        )
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    for field, value in changes.items():
        setattr(current, field, value)
    if current.active:
        _check(actor=actor, subscription=current)
    current.version += 1
    current.save()
    return current


@transaction.atomic
def subscription_deactivate(*, actor, subscription: ReportSubscription, version: int | None = None):
    """End a subscription (its delivery log is kept); a no-op on one already ended."""
    current = ReportSubscription.objects.select_for_update().get(pk=subscription.pk)
    if version is not None and current.version != version:
        raise SubscriptionStaleError(
            _(
                "This record was changed by someone else after you opened it (your version %(mine)s, "
                "now %(now)s). Reload it to see their changes; nothing was saved."
            )
            % {"mine": version, "now": current.version}
        )
    if current.active:
        current.active = False
        current.version += 1
        current.save(update_fields=["active", "version", "updated_at"])
    return current


# --- Unsubscribe links --------------------------------------------------------------------------------


def unsubscribe_token(subscription: ReportSubscription) -> str:
    """A signed, salted token naming one subscription; it does not expire (it is in every mail ever sent)."""
    return signing.dumps({"s": subscription.pk, "u": subscription.user_id}, salt=UNSUBSCRIBE_SALT, compress=False)


def subscription_from_token(token: str) -> ReportSubscription | None:
    """The subscription a token names, or None when it was tampered with or the subscription is gone."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return (
        ReportSubscription.objects.select_related("user", "unit")
        .filter(pk=data.get("s"), user_id=data.get("u"))
        .first()
    )


@transaction.atomic
def subscription_unsubscribe(*, token: str) -> ReportSubscription | None:
    """End only the subscription the token names (no log-in: the signed token is the authority)."""
    subscription = subscription_from_token(token)
    if subscription is None:
        return None
    return subscription_deactivate(actor=subscription.user, subscription=subscription)
