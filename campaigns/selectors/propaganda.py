"""Reads of propaganda programs and activities, always through the scoping rule, with their eager loading and totals."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from portal.accounts.models import User

from ..models import ActivityFormat, PropagandaActivity, PropagandaProgram, Topic
from ..permissions import can_view_propaganda


def _activity_total(expression) -> Coalesce:
    """One figure over a program's activities, as a correlated subquery: no GROUP BY over the program's columns."""
    figure = (
        PropagandaActivity.objects.filter(program=OuterRef("pk"))
        .order_by()
        .values("program")
        .annotate(figure=expression)
        .values("figure")
    )
    return Coalesce(Subquery(figure, output_field=IntegerField()), Value(0))


def with_totals(queryset: QuerySet[PropagandaProgram]) -> QuerySet[PropagandaProgram]:
    """Programs annotated with what they achieved: activity_count, audience_reached, materials_distributed."""
    return queryset.annotate(
        activity_count=_activity_total(Count("id")),
        audience_reached=_activity_total(Sum("audience")),
        materials_distributed=_activity_total(Sum("materials")),
    )


def program_list(*, user: User) -> QuerySet[PropagandaProgram]:
    """Programs of the user's subtree with their unit and achieved totals, newest first."""
    if not can_view_propaganda(user):
        return PropagandaProgram.objects.none()
    queryset = PropagandaProgram.objects.visible_to(user).select_related("unit").order_by("-starts_on", "-id")
    return with_totals(queryset)


def program_get(*, user: User, program_id: int) -> PropagandaProgram:
    # Missing and out-of-scope answer the same 404: existence never leaks.
    return get_object_or_404(program_list(user=user), pk=program_id)


@dataclass(frozen=True)
class Breakdown:
    """One line of a program's breakdown: a format or topic, how many activities, people reached, materials."""

    key: str
    label: str
    activities: int
    audience: int
    materials: int


def _breakdown(program: PropagandaProgram, field: str, choices) -> list[Breakdown]:
    rows = (
        PropagandaActivity.objects.filter(program=program)
        .order_by()
        .values(field)
        .annotate(n=Count("id"), audience=Sum("audience"), materials=Sum("materials"))
    )
    found = {r[field]: r for r in rows}
    # In the order of the choices, so every page and export lists them the same way.
    return [
        Breakdown(key, str(label), found[key]["n"], found[key]["audience"] or 0, found[key]["materials"] or 0)
        for key, label in choices
        if key in found
    ]


def program_detail(*, user: User, program_id: int) -> PropagandaProgram:
    """One program with its totals and its breakdowns by format and by topic (`by_format`, `by_topic`)."""
    program = program_get(user=user, program_id=program_id)
    program.by_format = _breakdown(program, "format", ActivityFormat.choices)
    program.by_topic = _breakdown(program, "topic", Topic.choices)
    return program


def activity_list(*, user: User, program: PropagandaProgram | None = None) -> QuerySet[PropagandaActivity]:
    """Activities in the user's subtree (of one program when given), newest first, with their unit and program."""
    if not can_view_propaganda(user):
        return PropagandaActivity.objects.none()
    queryset = PropagandaActivity.objects.visible_to(user).select_related("unit", "program")
    if program is not None:
        queryset = queryset.filter(program=program)
    return queryset.order_by("-on", "-id")


def activity_get(*, user: User, activity_id: int) -> PropagandaActivity:
    return get_object_or_404(activity_list(user=user), pk=activity_id)
