"""Reads of cases, always through the scoping rule, with the eager loading each page needs."""

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from portal.accounts.models import User

from .models import Case, CaseEvent, Category, Party
from .permissions import can_view_cases


def category_list() -> QuerySet[Category]:
    """All Penal Code articles (reference data); per-user reads chain `.visible_to(user)`."""
    return Category.objects.order_by("sort_key", "article")


def case_list(*, user: User, today: date | None = None) -> QuerySet[Case]:
    """Cases the user may see (their unit's subtree, legacy units rolled up), newest first."""
    if not can_view_cases(user):
        return Case.objects.none()
    return (
        Case.objects.visible_to(user)
        .with_deadline_status(today or timezone.localdate())
        .select_related("category", "unit", "handling_unit", "campaign", "hotspot")
        .prefetch_related("officers")
        .order_by("-recorded_on", "-id")
    )


def case_get(*, user: User, case_id: int) -> Case:
    # Missing and out-of-scope answer the same 404: existence never leaks.
    return get_object_or_404(case_list(user=user), pk=case_id)


def case_detail(*, user: User, case_id: int) -> Case:
    """One case with its timeline, parties and extensions loaded."""
    queryset = case_list(user=user).prefetch_related(
        Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
        Prefetch("parties", queryset=Party.objects.order_by("role", "id")),
        "extensions",
    )
    return get_object_or_404(queryset, pk=case_id)


def case_events(*, user: User, case_id: int) -> QuerySet[CaseEvent]:
    case = case_get(user=user, case_id=case_id)
    return CaseEvent.objects.filter(case=case).select_related("actor").order_by("on", "at", "id")


def cases_needing_attention(*, officer: User, today: date) -> QuerySet[Case]:
    """Open cases assigned to the officer whose deadline is overdue or due within 7 days."""
    from .models import DUE_SOON_DAYS

    return (
        case_list(user=officer, today=today)
        .filter(officers=officer, due_on__isnull=False, due_on__lte=today + timezone.timedelta(days=DUE_SOON_DAYS))
        .order_by("due_on", "id")
    )


SERIOUS_SEVERITIES = ("very_serious", "especially_serious")


def case_stats(
    *,
    where: Q,
    start: date,
    end: date,
    previous_start: date,
    previous_end: date,
    group_by: dict | None = None,
) -> list[dict]:
    """The case counts of DESIGN §8 for a period and the same period last year: ONE SQL statement.

    `where` limits the cases (a unit's subtree); `group_by` maps output names to expressions or
    fields to group on (e.g. {"group": Substr("unit_path", 1, 12)}); without it, one row.
    Counts: cases_total / _previous (recorded in the period, "not criminal" excluded),
    social_order_total / _previous, cleared / _previous (counted cases cleared on or before the
    end of their own period), serious_total / _previous and serious_cleared / _previous (very and
    especially serious), and per crime line and per severity the cases (line_<code>,
    severity_<code>) and, per severity, those cleared (severity_cleared_<code>), so the dashboard's
    severity chart and last year's rates need no statement of their own.
    """
    from .models import CrimeLine, Severity

    current = Q(recorded_on__gte=start, recorded_on__lte=end)
    previous = Q(recorded_on__gte=previous_start, recorded_on__lte=previous_end)
    social = Q(line=CrimeLine.SOCIAL_ORDER)
    serious = Q(severity__in=SERIOUS_SEVERITIES)
    cleared = Q(cleared_on__isnull=False, cleared_on__lte=end)
    cleared_before = Q(cleared_on__isnull=False, cleared_on__lte=previous_end)
    aggregates = {
        "cases_total": Count("id", filter=current),
        "cases_total_previous": Count("id", filter=previous),
        "social_order_total": Count("id", filter=current & social),
        "social_order_total_previous": Count("id", filter=previous & social),
        "cleared": Count("id", filter=current & cleared),
        "cleared_previous": Count("id", filter=previous & cleared_before),
        "serious_total": Count("id", filter=current & serious),
        "serious_total_previous": Count("id", filter=previous & serious),
        "serious_cleared": Count("id", filter=current & serious & cleared),
        "serious_cleared_previous": Count("id", filter=previous & serious & cleared_before),
    }
    for line in CrimeLine:
        aggregates[f"line_{line.value}"] = Count("id", filter=current & Q(line=line))
    for severity in Severity:
        aggregates[f"severity_{severity.value}"] = Count("id", filter=current & Q(severity=severity))
        aggregates[f"severity_cleared_{severity.value}"] = Count("id", filter=current & cleared & Q(severity=severity))
    queryset = Case.objects.counted().filter(where).filter(current | previous)
    if not group_by:
        return [queryset.aggregate(**aggregates)]
    return list(queryset.annotate(**group_by).values(*group_by).annotate(**aggregates).order_by(*group_by))
