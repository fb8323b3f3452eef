"""Summary snapshots: building them (nightly, by command or admin), their versions, and approval.

A snapshot is the indicator set of one unit for one window of dates. Until it is approved it is
a draft: a rebuild replaces it in place (simple_history keeps what it said before). Once approved
it is locked: a rebuild that finds other figures stores them as the next version, which becomes
the current one and needs approval again; a rebuild that finds the same figures changes nothing.
"""

import json
from collections import Counter
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.permissions import has_capability
from portal.accounts.roles import C
from portal.units.models import Unit

from . import indicators
from .models import Summary
from .periods import Kind, Period, PeriodError, current_period, custom_period, parse_period

CHUNK_SIZE = 200  # units per build task of the nightly fan-out
CLOSE_LOOKBACK_DAYS = 7  # a night the beat missed is caught up by the next ones
REFRESHED_KINDS = (Kind.MONTH, Kind.QUARTER, Kind.HALF, Kind.NINE_MONTHS, Kind.YEAR, Kind.YTD)
MAX_NAMED_UNITS = 10  # in a refusal that lists the units still to approve


class Outcome:
    """What a build did; the command and the tasks count them."""

    CREATED = "created"  # first snapshot of the unit and window
    REFRESHED = "refreshed"  # a draft replaced in place with new figures
    UNCHANGED = "unchanged"  # same figures (a draft gets a new built_at; an approved one is untouched)
    NEW_VERSION = "new_version"  # the approved snapshot kept; the new figures await approval

    ALL = (CREATED, REFRESHED, UNCHANGED, NEW_VERSION)


# --- Windows -------------------------------------------------------------------------------------

_NAMED_KINDS = (Kind.YEAR, Kind.NINE_MONTHS, Kind.HALF, Kind.QUARTER, Kind.MONTH)


def canonical_period(period: Period) -> Period:
    """The named period with the same dates, so one window has one snapshot.

    "2021-YTD-09" is "2021-9M" and "2021-YTD-12" is "2021"; summary_get reads snapshots by dates,
    so two current snapshots of one window (one approved, one not) would make its answer depend
    on row order.
    """
    if period.kind not in (Kind.YTD, Kind.CUSTOM):
        return period
    for kind in _NAMED_KINDS:
        candidate = current_period(kind, period.end)
        if (candidate.start, candidate.end) == (period.start, period.end):
            return candidate
    return period


def final_from(period: Period) -> datetime:
    """A snapshot built from this moment on (the day after the period) holds its final figures."""
    return timezone.make_aware(datetime.combine(period.end + timedelta(days=1), time.min))


def _current_snapshots(period: Period) -> QuerySet[Summary]:
    return Summary.objects.current().filter(start=period.start, end=period.end)


# --- Which units -----------------------------------------------------------------------------------


def summary_units(*, period: Period, edition: str = Unit.Edition.CURRENT) -> QuerySet[Unit]:
    """The units a full build covers, found with ONE query whatever the number of communes.

    Current edition: the national root, every current province, and every current commune with a
    counted case in the period (legacy cases count under the commune they roll up into). Legacy
    edition: every legacy province, and the legacy districts and communes with cases of their own.
    """
    from cases.models import Case

    cases = Case.objects.counted().filter(recorded_on__gte=period.start, recorded_on__lte=period.end)
    if edition == Unit.Edition.CURRENT:
        # A current commune is a leaf, so its cases carry exactly its path: an IN over the period's
        # distinct paths (one pass over the cases), not a prefix test per commune.
        wanted = (
            Q(level=Unit.Level.NATIONAL)
            | Q(level=Unit.Level.PROVINCE)
            | Q(level=Unit.Level.COMMUNE, path__in=cases.values("unit_path"))
        )
    else:
        with_cases = Q(pk__in=cases.values("unit_id")) | Q(pk__in=cases.values("unit__parent_id"))
        wanted = Q(level=Unit.Level.PROVINCE) | (Q(level__in=(Unit.Level.DISTRICT, Unit.Level.COMMUNE)) & with_cases)
    return Unit.objects.filter(Q(edition=edition) & wanted).order_by("path")


# --- Building --------------------------------------------------------------------------------------


def _json(figures: dict) -> dict:
    # What the JSON column will hand back, so a stored snapshot compares equal to a fresh build.
    return json.loads(json.dumps(figures, cls=DjangoJSONEncoder))


def _next_version(unit: Unit, spec: str) -> int:
    latest = Summary.objects.filter(unit=unit, period_spec=spec).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


def _create(*, unit: Unit, period: Period, spec: str, figures: dict, now: datetime, actor) -> Summary:
    summary = Summary(
        unit=unit,
        period_spec=spec,
        start=period.start,
        end=period.end,
        figures=figures,
        built_at=now,
        version=_next_version(unit, spec),
        is_current=True,
    )
    summary._history_user = actor
    summary.save()
    return summary


def _retire(summary: Summary, actor) -> None:
    summary.is_current = False
    summary._history_user = actor
    summary.save(update_fields=["is_current"])


def _store(*, unit: Unit, period: Period, figures: dict, now: datetime, actor) -> tuple[Summary, str]:
    current = _current_snapshots(period).select_for_update().filter(unit=unit).order_by("-version").first()
    if current is None:
        # The same spec over other dates was built under the other month convention: keep it as history.
        other = (
            Summary.objects.current()
            .select_for_update()
            .filter(unit=unit, period_spec=period.spec)
            .order_by("-version")
            .first()
        )
        if other is not None:
            _retire(other, actor)
        created = _create(unit=unit, period=period, spec=period.spec, figures=figures, now=now, actor=actor)
        return created, Outcome.CREATED
    if current.figures == figures:
        if not current.is_approved:
            # Only the time changes: no history row per unit per night for a figure that did not move.
            Summary.objects.filter(pk=current.pk).update(built_at=now)
            current.built_at = now
        return current, Outcome.UNCHANGED
    if not current.is_approved:
        current.figures, current.built_at = figures, now
        current._history_user = actor
        current.save(update_fields=["figures", "built_at"])
        return current, Outcome.REFRESHED
    # Approved figures stay as they were approved; the new ones become the next version.
    _retire(current, actor)
    created = _create(unit=unit, period=period, spec=current.period_spec, figures=figures, now=now, actor=actor)
    return created, Outcome.NEW_VERSION


def _build(*, unit: Unit, period: Period, actor, figures: dict | None = None) -> tuple[Summary, str]:
    period = canonical_period(period)
    # Computed outside the transaction: the row locks are held for the write only.
    figures = _json(indicators.figures(unit=unit, period=period) if figures is None else figures)
    try:
        with transaction.atomic():
            return _store(unit=unit, period=period, figures=figures, now=timezone.now(), actor=actor)
    except IntegrityError:
        # Another worker inserted the snapshot between our read and our write: the second pass finds it.
        with transaction.atomic():
            return _store(unit=unit, period=period, figures=figures, now=timezone.now(), actor=actor)


def summary_build(*, unit: Unit, period: Period, actor=None) -> Summary:
    """Compute a unit's figures for a period and store them as its snapshot (see the module docstring)."""
    summary, _outcome = _build(unit=unit, period=period, actor=actor)
    return summary


def summaries_build(*, period: Period, unit_ids: list[int], actor=None) -> dict[str, int]:
    """Build the snapshots of several units for one period; the number of each outcome.

    The figures of all of them are computed together (indicators.figures_many: a few grouped
    statements per family, whatever the number of units), then each snapshot is stored on its own.
    """
    period = canonical_period(period)
    counts = Counter(dict.fromkeys(Outcome.ALL, 0))
    units = list(Unit.objects.filter(pk__in=unit_ids).order_by("path"))
    computed = indicators.figures_many(units=units, period=period)
    for unit in units:
        _summary, outcome = _build(unit=unit, period=period, actor=actor, figures=computed.pop(unit.pk))
        counts[outcome] += 1
    return dict(counts)


# --- The nightly plan ------------------------------------------------------------------------------


def _distinct(periods: list[Period]) -> list[Period]:
    seen: dict[tuple[date, date], Period] = {}
    for period in map(canonical_period, periods):
        seen.setdefault((period.start, period.end), period)
    return list(seen.values())


def open_periods(*, today: date) -> list[Period]:
    """The periods still running today: month, quarter, half, nine months (until it ends), year, year to date."""
    return _distinct([p for p in (current_period(k, today) for k in REFRESHED_KINDS) if p.contains(today)])


def closing_periods(*, today: date) -> list[Period]:
    """The periods that ended yesterday, and those of the few days before (in case a night was missed)."""
    found = []
    for back in range(1, CLOSE_LOOKBACK_DAYS + 1):
        day = today - timedelta(days=back)
        found += [p for p in (current_period(k, day) for k in REFRESHED_KINDS) if p.end == day]
    return _distinct(found)


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + CHUNK_SIZE] for i in range(0, len(ids), CHUNK_SIZE)]


def summaries_refresh_plan(*, today: date) -> list[tuple[str, list[int]]]:
    """Tonight's builds as (period spec, chunk of unit ids), one query per period.

    Open periods are rebuilt every night. A finished period gets its final build once: units whose
    current snapshot was built after the period ended are left alone, so running the plan twice (or
    the night after) does nothing more.
    """
    plan = []
    for period in open_periods(today=today):
        ids = list(summary_units(period=period).values_list("pk", flat=True))
        plan += [(period.spec, chunk) for chunk in _chunks(ids)]
    for period in closing_periods(today=today):
        final = _current_snapshots(period).filter(built_at__gte=final_from(period)).values("unit_id")
        ids = list(summary_units(period=period).exclude(pk__in=final).values_list("pk", flat=True))
        plan += [(period.spec, chunk) for chunk in _chunks(ids)]
    return plan


# --- Approval --------------------------------------------------------------------------------------


def _children_with_cases(unit: Unit, children: list[Unit], period: Period) -> set[str]:
    """Paths of the children with a counted case in the period (one query per path length, in practice one)."""
    from cases.models import Case

    family = indicators.FAMILIES["cases"]
    field = indicators.path_field(family, unit.edition)
    cases = (
        Case.objects.counted()
        .filter(indicators.unit_where(unit, family))
        .filter(recorded_on__gte=period.start, recorded_on__lte=period.end)
    )
    found: set[str] = set()
    for length in {len(child.path) for child in children}:
        found |= set(cases.annotate(prefix=Substr(field, 1, length)).values_list("prefix", flat=True).distinct())
    return found


def units_awaiting_approval(*, unit: Unit, period: Period) -> list[Unit]:
    """The units below a unit whose summary must be approved first, still unapproved.

    "The units below" are the unit's direct children (indicators.children_of) that have cases in
    the period or a snapshot of it; a child with neither has nothing to approve.
    """
    period = canonical_period(period)
    children = indicators.children_of(unit)
    if not children:
        return []
    with_cases = _children_with_cases(unit, children, period)
    snapshots = {s.unit_id: s for s in _current_snapshots(period).filter(unit__in=children)}
    return [
        child
        for child in children
        if (child.path in with_cases or child.pk in snapshots)
        and not (child.pk in snapshots and snapshots[child.pk].is_approved)
    ]


def _names(units: list[Unit]) -> str:
    names = ", ".join(str(u) for u in units[:MAX_NAMED_UNITS])
    if len(units) > MAX_NAMED_UNITS:
        names += " " + _("and %(count)s more") % {"count": len(units) - MAX_NAMED_UNITS}
    return names


@transaction.atomic
def summary_approve(*, unit: Unit, period: Period, actor) -> Summary:
    """Approve (lock) the current snapshot of a closed period for a unit in the actor's subtree.

    Only roles that approve summaries, only once the period has ended and its final figures are
    built, and only after the units below have been approved.
    """
    if not has_capability(actor, C.APPROVE_SUMMARIES):
        raise ValidationError(_("Your role does not allow approving summaries."))
    if not actor.unit.contains(unit):
        raise ValidationError(
            _("You can only approve summaries of %(unit)s and the units under it.") % {"unit": actor.unit.name}
        )
    period = canonical_period(period)
    names = {"unit": str(unit), "period": period.label}
    if not period.is_closed(timezone.localdate()):
        raise ValidationError(
            _("%(period)s has not ended yet (its last day is %(end)s); only a finished period can be approved.")
            % {**names, "end": f"{period.end:%d/%m/%Y}"}
        )
    summary = _current_snapshots(period).select_for_update().filter(unit=unit).order_by("-version").first()
    if summary is None:
        raise ValidationError(
            _(
                "No summary of %(unit)s for %(period)s has been built yet. It is built the night after the "
                "period ends; an administrator can build it now with build_summaries."
            )
            % names
        )
    if summary.is_approved:
        raise ValidationError(
            _(
                "The summary of %(unit)s for %(period)s (version %(version)s) was already approved by %(user)s "
                "on %(at)s."
            )
            % {
                **names,
                "version": summary.version,
                "user": summary.approved_by or _("an unknown user"),
                "at": f"{timezone.localtime(summary.approved_at):%d/%m/%Y %H:%M}",
            }
        )
    if summary.built_at < final_from(period):
        raise ValidationError(
            _(
                "The summary of %(unit)s for %(period)s was built before the period ended, so it may miss cases "
                "of its last days. It is rebuilt overnight, or at once by an administrator; approve it after that."
            )
            % names
        )
    pending = units_awaiting_approval(unit=unit, period=period)
    if pending:
        raise ValidationError(
            _("Approve the summaries of the units below %(unit)s for %(period)s first; not yet approved: %(units)s.")
            % {**names, "units": _names(pending)}
        )
    summary.approved_by, summary.approved_at = actor, timezone.now()
    summary._history_user = actor
    summary.save(update_fields=["approved_by", "approved_at"])
    return summary


def period_of(summary: Summary) -> Period:
    """The period a snapshot covers: its named period when the spec still gives its dates, else its dates."""
    try:
        period = parse_period(summary.period_spec)
    except PeriodError:
        period = None
    if period is None or (period.start, period.end) != (summary.start, summary.end):
        return custom_period(summary.start, summary.end)
    return period
