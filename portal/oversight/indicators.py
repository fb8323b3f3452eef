"""The inspection, directive and recommendation families of the Statistics registry.

Registered by OversightConfig.ready(), so figures() and the summary API carry them. For a unit U
(its subtree; legacy rows rolled up through `unit_where`, as cases are) and a period P = [start, end]
with its same period last year P' = [start', end'] (dates inclusive):

inspections (ONE statement over Inspection): inspections_held = inspections with starts_on in P of
which at least one inspected unit lies in U (each inspection once, however many of U's units it
visited); inspections_conducted = inspections with starts_on in P whose inspecting unit lies in U.
directives (ONE statement over Directive, by responsible unit): directives_issued = directives of
inspections starting in P; directives_done = done_on in P; directives_open_at_end = issued by end
(their inspection started on or before end) and not done by end (done_on null or after end);
directives_overdue_at_end = open at end with due_on before end.
recommendations (ONE statement over Recommendation, by raising unit, plus ONE list query for the
median): recommendations_submitted = raised_on in P; recommendations_answered = answered or declined
with answered_on in P; recommendations_open_at_end = raised by end and not answered by end
(answered_on null or after end); recommendations_overdue_at_end = open at end with due_on before end;
recommendations_received = addressed to U now (after any forwarding) and raised in P;
median_days_to_answer = the median of answered_on − raised_on in days over those answered in P.
Medians are not portable SQL (SQLite has none), so that figure reads the day pairs of the rows
answered in P or P' with one values_list query and takes the median in Python.

Every figure has `previous` (the same over P'; a stock "at end" at end') and change_pct =
(value − previous) / previous × 100, None when previous is 0 or None.
"""

from datetime import date
from statistics import median

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from portal.reports.indicators import Family, change_pct, register
from portal.reports.periods import Period

from .models import Directive, InspectedUnit, Inspection, Recommendation

FINISHED = [Recommendation.Status.ANSWERED, Recommendation.Status.DECLINED]


def _rows(queryset: QuerySet, aggregates: dict, group_by: dict | None) -> list[dict]:
    """One SQL statement: a single row, or one row per group."""
    if not group_by:
        return [queryset.aggregate(**aggregates)]
    return list(queryset.annotate(**group_by).values(*group_by).annotate(**aggregates).order_by(*group_by))


def _within(field: str, start: date, end: date) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lte": end})


def _compared(value, previous) -> dict:
    return {"value": value, "previous": previous, "change_pct": change_pct(value, previous)}


def _rekeyed(where: Q, fields: dict[str, str]) -> Q:
    """`where` (built by unit_where for one side of a row) moved onto another side's path fields.

    A family has one pair of path fields, but inspections and recommendations count a unit on two
    sides (inspecting and inspected, raising and addressed); the same unit filter is re-keyed, so the
    current/legacy rule of unit_where stays the one rule. A lookup on an unknown field fails loudly.
    """
    moved = Q()
    moved.connector, moved.negated = where.connector, where.negated
    for child in where.children:
        if isinstance(child, Q):
            moved.children.append(_rekeyed(child, fields))
            continue
        lookup, value = child
        for old, new in fields.items():
            if lookup.startswith(f"{old}__"):
                moved.children.append((new + lookup[len(old) :], value))
                break
        else:
            raise ValueError(f"Cannot move the lookup {lookup!r} to another side.")
    return moved


# --- Inspections (inspecting side by its own fields, inspected side through InspectedUnit) -----------

INSPECTED_FIELDS = {"unit_path": "unit_path", "inspecting_unit__path": "unit__path"}


def counts_inspections(*, where: Q, period: Period, previous: Period, group_by: dict | None) -> list[dict]:
    inspected = InspectedUnit.objects.filter(inspection=OuterRef("pk")).filter(_rekeyed(where, INSPECTED_FIELDS))
    now, before = _within("starts_on", period.start, period.end), _within("starts_on", previous.start, previous.end)
    # An EXISTS rather than a join: an inspection visiting a province and its town counts once.
    queryset = Inspection.objects.annotate(is_held=Exists(inspected)).filter(where | Q(is_held=True))
    aggregates = {
        "inspections_held": Count("id", filter=now & Q(is_held=True)),
        "inspections_held_previous": Count("id", filter=before & Q(is_held=True)),
        "inspections_conducted": Count("id", filter=now & where),
        "inspections_conducted_previous": Count("id", filter=before & where),
    }
    return _rows(queryset.filter(now | before), aggregates, group_by)


def derive_inspections(row: dict, targets: dict) -> dict:
    return {
        code: _compared(row[code], row[f"{code}_previous"]) for code in ("inspections_held", "inspections_conducted")
    }


# --- Directives (by responsible unit) ---------------------------------------------------------------


def _directives_at(end: date) -> tuple[Q, Q]:
    """Open and overdue on `end`, from the dates (the status field only says what it is today)."""
    open_ = Q(inspection__starts_on__lte=end) & (Q(done_on__isnull=True) | Q(done_on__gt=end))
    return open_, open_ & Q(due_on__lt=end)


def counts_directives(*, where: Q, period: Period, previous: Period, group_by: dict | None) -> list[dict]:
    open_now, overdue_now = _directives_at(period.end)
    open_then, overdue_then = _directives_at(previous.end)
    issued = "inspection__starts_on"
    aggregates = {
        "directives_issued": Count("id", filter=_within(issued, period.start, period.end)),
        "directives_issued_previous": Count("id", filter=_within(issued, previous.start, previous.end)),
        "directives_done": Count("id", filter=_within("done_on", period.start, period.end)),
        "directives_done_previous": Count("id", filter=_within("done_on", previous.start, previous.end)),
        "directives_open_at_end": Count("id", filter=open_now),
        "directives_open_at_end_previous": Count("id", filter=open_then),
        "directives_overdue_at_end": Count("id", filter=overdue_now),
        "directives_overdue_at_end_previous": Count("id", filter=overdue_then),
    }
    # Every figure concerns directives issued by the end of the period (the previous end is earlier).
    queryset = Directive.objects.filter(where).filter(inspection__starts_on__lte=period.end)
    return _rows(queryset, aggregates, group_by)


DIRECTIVE_CODES = ("directives_issued", "directives_done", "directives_open_at_end", "directives_overdue_at_end")


def derive_directives(row: dict, targets: dict) -> dict:
    return {code: _compared(row[code], row[f"{code}_previous"]) for code in DIRECTIVE_CODES}


# --- Recommendations (by raising unit; received by addressed unit) ------------------------------------

ADDRESSED_FIELDS = {"raised_path": "addressed_path", "raised_by_unit__path": "addressed_to__path"}


def _recommendations_at(end: date) -> tuple[Q, Q]:
    open_ = Q(raised_on__lte=end) & (Q(answered_on__isnull=True) | Q(answered_on__gt=end))
    return open_, open_ & Q(due_on__lt=end)


def _answered_in(p: Period) -> Q:
    return _within("answered_on", p.start, p.end) & Q(status__in=FINISHED)


def counts_recommendations(*, where: Q, period: Period, previous: Period, group_by: dict | None) -> list[dict]:
    addressed = _rekeyed(where, ADDRESSED_FIELDS)
    open_now, overdue_now = _recommendations_at(period.end)
    open_then, overdue_then = _recommendations_at(previous.end)
    raised_now, raised_then = (
        _within("raised_on", period.start, period.end),
        _within("raised_on", previous.start, previous.end),
    )
    aggregates = {
        "recommendations_submitted": Count("id", filter=where & raised_now),
        "recommendations_submitted_previous": Count("id", filter=where & raised_then),
        "recommendations_answered": Count("id", filter=where & _answered_in(period)),
        "recommendations_answered_previous": Count("id", filter=where & _answered_in(previous)),
        "recommendations_open_at_end": Count("id", filter=where & open_now),
        "recommendations_open_at_end_previous": Count("id", filter=where & open_then),
        "recommendations_overdue_at_end": Count("id", filter=where & overdue_now),
        "recommendations_overdue_at_end_previous": Count("id", filter=where & overdue_then),
        "recommendations_received": Count("id", filter=addressed & raised_now),
        "recommendations_received_previous": Count("id", filter=addressed & raised_then),
    }
    queryset = Recommendation.objects.filter(where | addressed).filter(raised_on__lte=period.end)
    rows = _rows(queryset, aggregates, group_by)
    # The second (and last) statement: the day pairs of the rows answered in P or P', for the medians.
    answered = Recommendation.objects.filter(where).filter(_answered_in(period) | _answered_in(previous)).order_by()
    keys = list(group_by or {})
    if keys:
        answered = answered.annotate(**group_by)
    days: dict = {}
    for *group, raised_on, answered_on in answered.values_list(*keys, "raised_on", "answered_on"):
        which = "now" if period.start <= answered_on <= period.end else "then"
        days.setdefault((tuple(group), which), []).append((answered_on - raised_on).days)
    for row in rows:
        group = tuple(row[k] for k in keys)
        row["median_days_to_answer"] = _median(days.get((group, "now")))
        row["median_days_to_answer_previous"] = _median(days.get((group, "then")))
    return rows


def _median(values: list[int] | None) -> float | None:
    return float(median(values)) if values else None


RECOMMENDATION_CODES = (
    "recommendations_submitted",
    "recommendations_answered",
    "recommendations_open_at_end",
    "recommendations_overdue_at_end",
    "recommendations_received",
    "median_days_to_answer",
)


def derive_recommendations(row: dict, targets: dict) -> dict:
    return {code: _compared(row[code], row[f"{code}_previous"]) for code in RECOMMENDATION_CODES}


FAMILIES = (
    Family(
        code="inspections",
        counts=counts_inspections,
        derive=derive_inspections,
        path_fields=("unit_path", "inspecting_unit__path"),
    ),
    Family(
        code="directives",
        counts=counts_directives,
        derive=derive_directives,
        path_fields=("unit_path", "responsible_unit__path"),
    ),
    Family(
        code="recommendations",
        counts=counts_recommendations,
        derive=derive_recommendations,
        path_fields=("raised_path", "raised_by_unit__path"),
    ),
)


def register_all() -> None:
    for family in FAMILIES:
        register(family)
