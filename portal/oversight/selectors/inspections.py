"""Reads of inspections, their documents and directives, always through the scoping rule, with eager loading."""

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from portal.accounts.models import User

from ..models import Directive, DirectiveUpdate, InspectedUnit, Inspection, InspectionDocument
from ..permissions import can_view_oversight

INSPECTED = Prefetch("inspected", queryset=InspectedUnit.objects.select_related("unit").order_by("unit_path", "id"))


def inspection_list(*, user: User) -> QuerySet[Inspection]:
    """Inspections seen from the inspecting or an inspected unit's side, newest first, with their counts."""
    if not can_view_oversight(user):
        return Inspection.objects.none()
    return (
        Inspection.objects.visible_to(user)
        .select_related("inspecting_unit")
        .prefetch_related(INSPECTED)
        .annotate(
            documents_count=Count("documents", distinct=True),
            directives_count=Count("directives", distinct=True),
            directives_open=Count("directives", filter=~Q(directives__status=Directive.Status.DONE), distinct=True),
        )
        .order_by("-starts_on", "-id")
    )


def inspection_get(*, user: User, inspection_id: int) -> Inspection:
    # Missing and out-of-scope answer the same 404: existence never leaks.
    if not can_view_oversight(user):
        return get_object_or_404(Inspection.objects.none(), pk=inspection_id)
    return get_object_or_404(Inspection.objects.visible_to(user).select_related("inspecting_unit"), pk=inspection_id)


def inspection_detail(*, user: User, inspection_id: int) -> Inspection:
    """One inspection with its inspected units, documents and directives loaded."""
    queryset = (
        inspection_list(user=user)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("documents", queryset=InspectionDocument.objects.order_by("uploaded_at", "id")),
            Prefetch(
                "directives", queryset=Directive.objects.select_related("responsible_unit").order_by("due_on", "id")
            ),
        )
    )
    return get_object_or_404(queryset, pk=inspection_id)


def document_get(*, user: User, inspection_id: int, document_id: int) -> InspectionDocument:
    """A document of an inspection the user sees; anything else is the same 404."""
    inspection = inspection_get(user=user, inspection_id=inspection_id)
    return get_object_or_404(
        InspectionDocument.objects.select_related("inspection__inspecting_unit"),
        inspection=inspection,
        pk=document_id,
    )


def directive_list(*, user: User) -> QuerySet[Directive]:
    """Directives of inspections the user sees and those units of the user's subtree carry out, due first."""
    if not can_view_oversight(user):
        return Directive.objects.none()
    return (
        Directive.objects.visible_to(user)
        .select_related("responsible_unit", "inspection", "inspection__inspecting_unit")
        .order_by("due_on", "id")
    )


def directive_get(*, user: User, directive_id: int) -> Directive:
    return get_object_or_404(directive_list(user=user), pk=directive_id)


def directive_detail(*, user: User, directive_id: int) -> Directive:
    """One directive with its progress updates (and who wrote them)."""
    queryset = directive_list(user=user).prefetch_related(
        Prefetch("updates", queryset=DirectiveUpdate.objects.select_related("actor").order_by("on", "at", "id"))
    )
    return get_object_or_404(queryset, pk=directive_id)


def directive_counts(*, user: User, today: date | None = None) -> dict[str, int]:
    """Directives in scope by status, and the overdue ones: one SQL statement."""
    today = today or timezone.localdate()
    S = Directive.Status
    return directive_list(user=user).aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(status=S.OPEN)),
        in_progress=Count("id", filter=Q(status=S.IN_PROGRESS)),
        done=Count("id", filter=Q(status=S.DONE)),
        overdue=Count("id", filter=~Q(status=S.DONE) & Q(due_on__lt=today)),
    )
