"""Reads of statistics: a unit's summary for a period (live or snapshot), breakdowns, targets."""

from django.http import Http404
from django.utils import timezone

from portal.units.models import Unit

from . import indicators
from .models import Summary, Target
from .narrative import narrative
from .periods import Period


def stats_unit_get(*, user, code: str, edition: str = Unit.Edition.CURRENT) -> Unit:
    """A unit the user may see statistics of: inside their subtree (404 otherwise, as for a missing code)."""
    if "\x00" in code + edition:
        raise Http404  # no unit has it, and PostgreSQL refuses to compare a text holding NUL (a 500, not a 404)
    unit = Unit.objects.filter(code=code, edition=edition).first()
    if unit is None or user.unit is None or not user.unit.contains(unit) or not user.is_active:
        raise Http404
    return unit


def summary_get(*, unit: Unit, period: Period, today=None, known: dict[str, dict] | None = None) -> dict:
    """The summary of a unit for a period: the approved-or-latest snapshot of a closed period, else live.

    `known`: raw counts the caller already has (indicators.figures), used only when computed live.
    """
    today = today or timezone.localdate()
    previous = period.previous_year()
    snapshot = None
    if period.is_closed(today):
        # By dates, not by spec: "2021-09" covers other days under the police month convention.
        snapshot = Summary.objects.current().filter(unit=unit, start=period.start, end=period.end).first()
    if snapshot is not None:
        figures, source, generated_at = snapshot.figures, "snapshot", snapshot.built_at
    else:
        figures = indicators.figures(unit=unit, period=period, known=known)
        source, generated_at = "live", timezone.now()
    return {
        "unit": {"id": unit.pk, "code": unit.code, "name": unit.name, "edition": unit.edition},
        "period": {
            "start": period.start,
            "end": period.end,
            "label": period.label,
            "kind": period.kind,
            "spec": period.spec,
        },
        "previous_period": {"start": previous.start, "end": previous.end, "label": previous.label},
        "indicators": figures,
        "narrative": narrative(
            figures=figures,
            period_label=period.label,
            previous_year_label=previous.label,
            unit_name=None if unit.is_root else unit.name,
        ),
        "source": source,
        "generated_at": generated_at,
        "approved": bool(snapshot and snapshot.is_approved),
    }


def target_list(*, user):
    return Target.objects.visible_to(user).select_related("unit").order_by("indicator", "unit__path", "year_from")
