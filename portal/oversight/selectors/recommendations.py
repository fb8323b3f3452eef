"""Reads of recommendations, always through the scoping rule, with their eager loading; the dashboards' due list."""

from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from portal.accounts.models import User
from portal.accounts.permissions import has_capability
from portal.accounts.roles import C
from portal.units.models import scope_unit_of

from ..models import Recommendation, RecommendationStep


def can_read_recommendations(user) -> bool:
    """Those who read oversight (admin, leader, standing officer, inspector) or answer recommendations."""
    return has_capability(user, C.VIEW_OVERSIGHT) or has_capability(user, C.ANSWER_RECOMMENDATIONS)


def recommendation_list(*, user: User) -> QuerySet[Recommendation]:
    """Recommendations raised in the user's subtree, addressed to it, or passed through it; due first."""
    if not can_read_recommendations(user):
        return Recommendation.objects.none()
    return (
        Recommendation.objects.visible_to(user)
        .select_related("raised_by_unit", "addressed_to", "inspection")
        .order_by("due_on", "id")
    )


def recommendation_get(*, user: User, recommendation_id: int) -> Recommendation:
    # Missing and out-of-scope answer the same 404: existence never leaks.
    return get_object_or_404(recommendation_list(user=user), pk=recommendation_id)


def recommendation_detail(*, user: User, recommendation_id: int) -> Recommendation:
    """One recommendation with its chain of steps (their units and actors), who raised and who answered it."""
    steps = RecommendationStep.objects.select_related("from_unit", "to_unit", "actor").order_by("on", "at", "id")
    queryset = (
        recommendation_list(user=user)
        .select_related("answered_by", "created_by")
        .prefetch_related(Prefetch("steps", queryset=steps))
    )
    return get_object_or_404(queryset, pk=recommendation_id)


def recommendations_due(*, user: User, today: date, days: int = 7) -> QuerySet[Recommendation]:
    """Open recommendations addressed to or raised by the user's subtree, overdue or due within `days` (one query).

    Recommendations merely passed through on the way up are not the user's to chase, so they are left out.
    """
    unit = scope_unit_of(user)
    if unit is None or not can_read_recommendations(user):
        return Recommendation.objects.none()
    mine = Q(raised_path__startswith=unit.path) | Q(addressed_path__startswith=unit.path)
    return (
        Recommendation.objects.open()
        .filter(mine, due_on__lte=today + timedelta(days=days))
        .select_related("raised_by_unit", "addressed_to")
        .order_by("due_on", "id")
    )


def recommendation_counts(*, user: User, today: date) -> dict[str, int]:
    """Recommendations in scope: open ones the user's own unit must answer, open ones raised in its subtree,
    the overdue ones among those visible, and the answered or declined ones. One SQL statement."""
    unit = scope_unit_of(user)
    if unit is None:
        return {"to_answer": 0, "raised_open": 0, "overdue": 0, "closed": 0}
    S = Recommendation.Status
    is_open = Q(status__in=[S.SUBMITTED, S.UNDER_REVIEW])
    return recommendation_list(user=user).aggregate(
        to_answer=Count("id", filter=is_open & Q(addressed_to=unit)),
        raised_open=Count("id", filter=is_open & Q(raised_path__startswith=unit.path)),
        overdue=Count("id", filter=is_open & Q(due_on__lt=today)),
        closed=Count("id", filter=Q(status__in=[S.ANSWERED, S.DECLINED])),
    )
