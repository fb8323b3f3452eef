"""Reads of hotspots, always through the scoping rule, with their eager loading; linked cases and the crime trend."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.models import Case
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
    """One hotspot with its timeline and who recorded it loaded."""
    queryset = (
        hotspot_list(user=user)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("events", queryset=HotspotEvent.objects.select_related("actor").order_by("on", "at", "id"))
        )
    )
    return get_object_or_404(queryset, pk=hotspot_id)


def hotspot_cases(*, user: User, hotspot: Hotspot) -> QuerySet:
    """Cases linked to the hotspot that the user may see: the cases app's own scoping and capability rule."""
    from cases.selectors import case_list  # here: the cases app reads campaigns' selectors too (no import cycle)

    # The officers the case selector prefetches are not shown beside a hotspot: one query fewer.
    return case_list(user=user).filter(hotspot=hotspot).prefetch_related(None)


def _month_start(year: int, month: int, start_day: int) -> date:
    """First day of statistical month `month` of `year`: day 1, or `start_day` of the month before (police)."""
    if start_day == 1:
        return date(year, month, 1)
    return date(year - 1, 12, start_day) if month == 1 else date(year, month - 1, start_day)


def _statistical_month(day: date, start_day: int) -> tuple[int, int]:
    if start_day == 1 or day.day < start_day:
        return day.year, day.month
    return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)


def _months_back(year: int, month: int, count: int) -> list[tuple[int, int]]:
    """The `count` (year, month) pairs ending with (year, month), oldest first."""
    index = year * 12 + month - 1
    return [(i // 12, i % 12 + 1) for i in range(index - count + 1, index + 1)]


def _bounds(year: int, month: int, start_day: int) -> tuple[date, date]:
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return _month_start(year, month, start_day), _month_start(*following, start_day) - timedelta(days=1)


def hotspot_trend(*, user: User, hotspot: Hotspot, today: date | None = None, months: int = 12) -> list[dict]:
    """Cases recorded in the hotspot's unit per statistical month, the last `months` months against a year before.

    The unit is the hotspot's roll-up path (a legacy commune counts with the current one it became), the
    months follow STATISTICS_MONTH_START_DAY as the statistics do, the current month is the one under way,
    and "not criminal" cases do not count. One SQL statement: a filtered COUNT per month and year.
    """
    start_day = int(getattr(settings, "STATISTICS_MONTH_START_DAY", 1))
    year, month = _statistical_month(today or timezone.localdate(), start_day)
    rows = [
        {"year": y, "month": m, "current": _bounds(y, m, start_day), "previous": _bounds(y - 1, m, start_day)}
        for y, m in _months_back(year, month, months)
    ]
    aggregates = {}
    for i, row in enumerate(rows):
        aggregates[f"c{i}"] = Count("id", filter=Q(recorded_on__range=row["current"]))
        aggregates[f"p{i}"] = Count("id", filter=Q(recorded_on__range=row["previous"]))
    window = Q(recorded_on__range=(rows[0]["current"][0], rows[-1]["current"][1])) | Q(
        recorded_on__range=(rows[0]["previous"][0], rows[-1]["previous"][1])
    )
    counts = (
        Case.objects.counted()
        .visible_to(user)
        .filter(window, unit_path__startswith=hotspot.unit_path)
        .aggregate(**aggregates)
    )
    trend = []
    for i, row in enumerate(rows):
        now, before = counts[f"c{i}"], counts[f"p{i}"]
        trend.append(
            {
                "label": f"{row['month']:02d}/{row['year']}",
                "previous_label": f"{row['month']:02d}/{row['year'] - 1}",
                "start": row["current"][0],
                "end": row["current"][1],
                "current": now,
                "previous": before,
                "change_pct": None if not before else round((now - before) * 100 / before, 1),
            }
        )
    return trend
