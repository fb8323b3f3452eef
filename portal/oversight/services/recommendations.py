"""Every write to recommendations: raise, take up for review, forward further up, answer, decline."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal import errors as portal_errors
from portal.accounts.models import User
from portal.units.models import Unit

from ..models import Inspection, Recommendation, RecommendationStep
from ..permissions import can_answer_recommendation, can_raise_recommendation


class RecommendationError(ValidationError):
    """A refused write, worded for the user (a form error on pages, 400 in the API)."""


class RecommendationStaleError(RecommendationError, portal_errors.StaleVersionError):
    """The recommendation changed since the user read it (409 in the API); nothing was written."""


def _d(value: date) -> str:
    return date_format(value, "d/m/Y")


def _today() -> date:
    return timezone.localdate()


def is_above(upper: Unit, lower: Unit) -> bool:
    """True when `upper` is a current unit strictly above `lower` (a legacy `lower` counts as its successor)."""
    return (
        upper.edition == Unit.Edition.CURRENT
        and lower.rollup_path.startswith(upper.path)
        and lower.rollup_path != upper.path
    )


def _locked(recommendation: Recommendation, version: int) -> Recommendation:
    current = Recommendation.objects.select_for_update().select_related("addressed_to").get(pk=recommendation.pk)
    if current.version != version:
        raise RecommendationStaleError(
            _(
                "This recommendation was changed by someone else after you opened it (your version %(mine)s, "
                "now %(now)s). Reload it to see their changes; nothing was saved."
            )
            % {"mine": version, "now": current.version}
        )
    return current


def _save(recommendation: Recommendation, fields: list[str]) -> None:
    recommendation.version += 1
    recommendation.save(update_fields=[*fields, "version", "updated_at"])


def _check_day(*, on: date, field: str, not_before: date, label: str) -> None:
    if on > _today():
        raise RecommendationError({field: _("The date %(d)s is in the future.") % {"d": _d(on)}})
    if on < not_before:
        raise RecommendationError(
            {field: _("The date %(d)s is before %(what)s (%(b)s).") % {"d": _d(on), "what": label, "b": _d(not_before)}}
        )


def _check_answerer(actor: User, recommendation: Recommendation) -> None:
    if not can_answer_recommendation(actor, recommendation.addressed_to):
        raise RecommendationError(
            _("Only the committee of %(unit)s (its admin, leader or standing officer) may act on this recommendation.")
            % {"unit": recommendation.addressed_to}
        )


def _check_move(recommendation: Recommendation, to: str) -> None:
    if to in Recommendation.TRANSITIONS[recommendation.status]:
        return
    labels = dict(Recommendation.Status.choices)
    allowed = [s for s in Recommendation.Status if s in Recommendation.TRANSITIONS[recommendation.status]]
    moves = ", ".join(str(labels[s]) for s in allowed) or _("none (final status)")
    raise RecommendationError(
        {
            "status": _("A recommendation in %(status)s cannot move to %(to)s. Allowed moves: %(moves)s.")
            % {"status": recommendation.get_status_display(), "to": labels[to], "moves": moves}
        }
    )


def _notify(event: str, recommendation: Recommendation, unit_id: int | None = None) -> None:
    # After commit: a rolled-back write mails nobody. The worker sends (and retries on SMTP errors); robust, so an
    # unreachable queue is logged and never turns a saved answer into an error page.
    from ..tasks import recommendation_notify_task

    pk = recommendation.pk
    transaction.on_commit(lambda: recommendation_notify_task.delay(event, pk, unit_id), robust=True)


@transaction.atomic
def recommendation_raise(
    *,
    actor: User,
    raising_unit: Unit,
    addressed_to: Unit,
    title: str,
    text: str,
    raised_on: date | None = None,
    inspection: Inspection | None = None,
    due_on: date | None = None,
) -> Recommendation:
    """Raise a proposal of `raising_unit` to a unit above it; the reply is due OVERSIGHT_REPLY_DAYS later."""
    if not can_raise_recommendation(actor, raising_unit):
        raise RecommendationError(
            {"raising_unit": _("You may not raise recommendations for this unit (your role or its scope).")}
        )
    if not is_above(addressed_to, raising_unit):
        raise RecommendationError(
            {"addressed_to": _("A recommendation is addressed to a unit of the current list above the raising unit.")}
        )
    if not title.strip() or not text.strip():
        raise RecommendationError({"text": _("Give the recommendation a title and a text.")})
    raised_on = raised_on or _today()
    if raised_on > _today():
        raise RecommendationError({"raised_on": _("The date %(d)s is in the future.") % {"d": _d(raised_on)}})
    due_on = due_on or raised_on + timedelta(days=settings.OVERSIGHT_REPLY_DAYS)
    if due_on < raised_on:
        raise RecommendationError({"due_on": _("The reply cannot be due before the recommendation is raised.")})
    recommendation = Recommendation.objects.create(
        inspection=inspection,
        title=title.strip(),
        text=text.strip(),
        raised_by_unit=raising_unit,
        raised_path=raising_unit.rollup_path,
        raised_on=raised_on,
        addressed_to=addressed_to,
        addressed_path=addressed_to.path,
        due_on=due_on,
        created_by=actor,
    )
    RecommendationStep.objects.create(
        recommendation=recommendation,
        kind=RecommendationStep.Kind.SUBMITTED,
        on=raised_on,
        actor=actor,
        from_unit=raising_unit,
        to_unit=addressed_to,
        to_path=addressed_to.path,
    )
    _notify("arrived", recommendation, unit_id=addressed_to.pk)
    return recommendation


@transaction.atomic
def recommendation_review(
    *, actor: User, recommendation: Recommendation, version: int, on: date | None = None, note: str = ""
) -> Recommendation:
    """The addressee takes the recommendation up: submitted → under review."""
    recommendation = _locked(recommendation, version)
    _check_answerer(actor, recommendation)
    _check_move(recommendation, Recommendation.Status.UNDER_REVIEW)
    on = on or _today()
    _check_day(on=on, field="on", not_before=recommendation.raised_on, label=_("the date raised"))
    recommendation.status = Recommendation.Status.UNDER_REVIEW
    _save(recommendation, ["status"])
    RecommendationStep.objects.create(
        recommendation=recommendation, kind=RecommendationStep.Kind.REVIEW, on=on, actor=actor, note=note
    )
    return recommendation


@transaction.atomic
def recommendation_forward(
    *,
    actor: User,
    recommendation: Recommendation,
    version: int,
    to_unit: Unit,
    note: str = "",
    due_on: date | None = None,
    on: date | None = None,
) -> Recommendation:
    """The addressee sends it further up: the new addressee answers; every unit passed keeps seeing it.

    The reply stays due on the original date unless a new one is given (never earlier than that date).
    """
    recommendation = _locked(recommendation, version)
    _check_answerer(actor, recommendation)
    if not recommendation.is_open:
        _check_move(recommendation, Recommendation.Status.SUBMITTED)  # refused, naming the allowed moves
    current = recommendation.addressed_to
    if not is_above(to_unit, current):
        raise RecommendationError(
            {"to_unit": _("A recommendation is forwarded to a unit above %(unit)s.") % {"unit": current}}
        )
    on = on or _today()
    _check_day(on=on, field="on", not_before=recommendation.raised_on, label=_("the date raised"))
    fields = ["addressed_to", "addressed_path", "status"]
    if due_on is not None and due_on != recommendation.due_on:
        if due_on < recommendation.due_on:
            raise RecommendationError(
                {
                    "due_on": _("A forwarded recommendation keeps its reply date (%(d)s) or gets a later one.")
                    % {"d": _d(recommendation.due_on)}
                }
            )
        recommendation.due_on = due_on
        fields.append("due_on")
    recommendation.addressed_to = to_unit
    recommendation.addressed_path = to_unit.path
    recommendation.status = Recommendation.Status.SUBMITTED
    _save(recommendation, fields)
    RecommendationStep.objects.create(
        recommendation=recommendation,
        kind=RecommendationStep.Kind.FORWARDED,
        on=on,
        actor=actor,
        note=note,
        from_unit=current,
        to_unit=to_unit,
        to_path=to_unit.path,
    )
    _notify("arrived", recommendation, unit_id=to_unit.pk)
    return recommendation


def _close(
    *, actor: User, recommendation: Recommendation, version: int, text: str, on: date | None, to: str, field: str
) -> Recommendation:
    recommendation = _locked(recommendation, version)
    _check_answerer(actor, recommendation)
    _check_move(recommendation, to)
    if not text.strip():
        raise RecommendationError({field: _("Write the answer the raising unit will read.")})
    on = on or _today()
    _check_day(on=on, field="on", not_before=recommendation.raised_on, label=_("the date raised"))
    recommendation.status = to
    recommendation.answer = text.strip()
    recommendation.answered_on = on
    recommendation.answered_by = actor
    _save(recommendation, ["status", "answer", "answered_on", "answered_by"])
    kind = (
        RecommendationStep.Kind.ANSWERED if to == Recommendation.Status.ANSWERED else RecommendationStep.Kind.DECLINED
    )
    RecommendationStep.objects.create(
        recommendation=recommendation,
        kind=kind,
        on=on,
        actor=actor,
        note=text.strip(),
        from_unit=recommendation.addressed_to,
        to_unit=recommendation.raised_by_unit,
    )
    _notify("answered", recommendation)
    return recommendation


@transaction.atomic
def recommendation_answer(
    *, actor: User, recommendation: Recommendation, version: int, answer: str, on: date | None = None
) -> Recommendation:
    """The addressee's committee answers; the raising unit is told."""
    return _close(
        actor=actor,
        recommendation=recommendation,
        version=version,
        text=answer,
        on=on,
        to=Recommendation.Status.ANSWERED,
        field="answer",
    )


@transaction.atomic
def recommendation_decline(
    *, actor: User, recommendation: Recommendation, version: int, reason: str, on: date | None = None
) -> Recommendation:
    """The addressee's committee declines, with its reason as the answer; the raising unit is told."""
    return _close(
        actor=actor,
        recommendation=recommendation,
        version=version,
        text=reason,
        on=on,
        to=Recommendation.Status.DECLINED,
        field="reason",
    )
