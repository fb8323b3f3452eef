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
from django.db.models.functions import Substr

from portal.reports.indicators import Family, change_pct, register, watch
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


def _grouped(queryset: QuerySet, field: str, length: int, aggregates: dict) -> dict[str, dict]:
    """{path prefix: counts}: one statement grouping `queryset` by the first `length` characters of `field`."""
    rows = queryset.annotate(group=Substr(field, 1, length)).values("group").annotate(**aggregates).order_by()
    return {row.pop("group"): row for row in rows}


def _merged(codes: tuple[str, ...], *sides: dict[str, dict]) -> dict[str, dict]:
    """Per path, the counts of every side; a path missing on one side has zeros there."""
    merged: dict[str, dict] = {}
    for side in sides:
        for path, row in side.items():
            merged.setdefault(path, dict.fromkeys(codes, 0)).update(row)
    return merged


def inspections_by_prefix(*, field: str, prefix: str, length: int, period: Period, previous: Period) -> dict:
    """counts_inspections for every unit of one path length under `prefix`: one statement per side.

    Held is counted over the inspected units, each inspection once per unit (DISTINCT), as the EXISTS
    of counts_inspections does; conducted over the inspections, by the inspecting unit.
    """
    now, before = _within("starts_on", period.start, period.end), _within("starts_on", previous.start, previous.end)
    conducted = _grouped(
        Inspection.objects.filter(**{f"{field}__startswith": prefix}).filter(now | before),
        field,
        length,
        {
            "inspections_conducted": Count("id", filter=now),
            "inspections_conducted_previous": Count("id", filter=before),
        },
    )
    side = INSPECTED_FIELDS[field]
    held_now = _within("inspection__starts_on", period.start, period.end)
    held_before = _within("inspection__starts_on", previous.start, previous.end)
    held = _grouped(
        InspectedUnit.objects.filter(**{f"{side}__startswith": prefix}).filter(held_now | held_before),
        side,
        length,
        {
            "inspections_held": Count("inspection", distinct=True, filter=held_now),
            "inspections_held_previous": Count("inspection", distinct=True, filter=held_before),
        },
    )
    codes = ("inspections_held", "inspections_held_previous", "inspections_conducted", "inspections_conducted_previous")
    return _merged(codes, conducted, held)


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


def _raised_side(period: Period, previous: Period) -> dict[str, Q]:
    """The figures counted by the raising unit, each with its condition (the unit filter aside)."""
    open_now, overdue_now = _recommendations_at(period.end)
    open_then, overdue_then = _recommendations_at(previous.end)
    return {
        "recommendations_submitted": _within("raised_on", period.start, period.end),
        "recommendations_submitted_previous": _within("raised_on", previous.start, previous.end),
        "recommendations_answered": _answered_in(period),
        "recommendations_answered_previous": _answered_in(previous),
        "recommendations_open_at_end": open_now,
        "recommendations_open_at_end_previous": open_then,
        "recommendations_overdue_at_end": overdue_now,
        "recommendations_overdue_at_end_previous": overdue_then,
    }


def _received_side(period: Period, previous: Period) -> dict[str, Q]:
    """The figures counted by the addressed unit."""
    return {
        "recommendations_received": _within("raised_on", period.start, period.end),
        "recommendations_received_previous": _within("raised_on", previous.start, previous.end),
    }


def _answer_days(queryset: QuerySet, keys: list[str], period: Period, previous: Period, rows: dict) -> None:
    """Set the medians of days to answer on each row of `rows` ({group tuple: row}): ONE list query."""
    answered = queryset.filter(_answered_in(period) | _answered_in(previous)).order_by()
    days: dict = {}
    for *group, raised_on, answered_on in answered.values_list(*keys, "raised_on", "answered_on"):
        which = "now" if period.start <= answered_on <= period.end else "then"
        days.setdefault((tuple(group), which), []).append((answered_on - raised_on).days)
    for group, row in rows.items():
        row["median_days_to_answer"] = _median(days.get((group, "now")))
        row["median_days_to_answer_previous"] = _median(days.get((group, "then")))


def counts_recommendations(*, where: Q, period: Period, previous: Period, group_by: dict | None) -> list[dict]:
    addressed = _rekeyed(where, ADDRESSED_FIELDS)
    aggregates = {code: Count("id", filter=where & c) for code, c in _raised_side(period, previous).items()}
    aggregates |= {code: Count("id", filter=addressed & c) for code, c in _received_side(period, previous).items()}
    queryset = Recommendation.objects.filter(where | addressed).filter(raised_on__lte=period.end)
    rows = _rows(queryset, aggregates, group_by)
    # The second (and last) statement: the day pairs of the rows answered in P or P', for the medians.
    keys = list(group_by or {})
    answered = Recommendation.objects.filter(where)
    if keys:
        answered = answered.annotate(**group_by)
    _answer_days(answered, keys, period, previous, {tuple(row[k] for k in keys): row for row in rows})
    return rows


def recommendations_by_prefix(*, field: str, prefix: str, length: int, period: Period, previous: Period) -> dict:
    """counts_recommendations for every unit of one path length under `prefix`: three statements.

    The raising side (grouped by the raising unit's path), the receiving side (by the addressed
    unit's path) and the day pairs of the answered rows for the medians.
    """
    raised = Recommendation.objects.filter(**{f"{field}__startswith": prefix})
    by_raiser = _grouped(
        raised.filter(raised_on__lte=period.end),
        field,
        length,
        {code: Count("id", filter=c) for code, c in _raised_side(period, previous).items()},
    )
    side = ADDRESSED_FIELDS[field]
    received = _received_side(period, previous)
    by_addressee = _grouped(
        Recommendation.objects.filter(**{f"{side}__startswith": prefix}).filter(Q(*received.values(), _connector=Q.OR)),
        side,
        length,
        {code: Count("id", filter=c) for code, c in received.items()},
    )
    codes = (*_raised_side(period, previous), *received)
    merged = _merged(codes, by_raiser, by_addressee)
    _answer_days(
        raised.annotate(group=Substr(field, 1, length)),
        ["group"],
        period,
        previous,
        {(path,): row for path, row in merged.items()},
    )
    return merged


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
        counts_by_prefix=inspections_by_prefix,
        models=("oversight.Inspection", "oversight.InspectedUnit"),
    ),
    Family(
        code="directives",
        counts=counts_directives,
        derive=derive_directives,
        path_fields=("unit_path", "responsible_unit__path"),
        models=("oversight.Directive", "oversight.Inspection"),
    ),
    Family(
        code="recommendations",
        counts=counts_recommendations,
        derive=derive_recommendations,
        path_fields=("raised_path", "raised_by_unit__path"),
        counts_by_prefix=recommendations_by_prefix,
        models=("oversight.Recommendation",),
    ),
)


def register_all() -> None:
    for family in FAMILIES:
        register(family)
        watch(family)
