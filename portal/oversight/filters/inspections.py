"""List filters of inspections and directives, shared by the API and the pages."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.filters import IdFilter
from portal.units.models import Unit

from ..models import Directive, InspectedUnit, Inspection, Topic


def unit_prefix(code: str, edition: str | None = None) -> tuple[bool, str] | None:
    """(is_current, path) for a unit code: a current unit covers its subtree and the legacy units rolling into
    it (matched on roll-up paths); a legacy unit, its own legacy subtree (matched on unit paths)."""
    units = list(Unit.objects.filter(code=code.strip(), **({"edition": edition} if edition else {})))
    current = next((u for u in units if u.edition == Unit.Edition.CURRENT), None)
    if current is not None:
        return True, current.path
    return (False, units[0].path) if units else None


class _UnitFilterSet(django_filters.FilterSet):
    unit = django_filters.CharFilter(method="filter_unit", label=_("Unit code (with everything under it)"))
    unit_edition = django_filters.ChoiceFilter(
        choices=Unit.Edition.choices, method="filter_noop", label=_("Unit list of that code")
    )

    def filter_noop(self, queryset, name, value):
        return queryset  # read by filter_unit

    def unit_prefix(self, value: str) -> tuple[bool, str] | None:
        return unit_prefix(value, self.data.get("unit_edition") or None)


class InspectionFilter(_UnitFilterSet):
    """Inspections by or of a unit's subtree, held during a window, on a topic, with a rating."""

    active_from = django_filters.DateFilter(
        field_name="ends_on",
        lookup_expr="gte",
        label=_("Held from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    active_until = django_filters.DateFilter(
        field_name="starts_on",
        lookup_expr="lte",
        label=_("Held until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    topic = django_filters.ChoiceFilter(choices=Topic.choices, method="filter_topic", label=_("Topic"))
    rating = django_filters.ChoiceFilter(choices=Inspection.Rating.choices, label=_("Rating"))

    class Meta:
        model = Inspection
        fields = ["unit", "active_from", "active_until", "topic", "rating"]

    def filter_unit(self, queryset, name, value):
        """The inspecting unit or one of the inspected units lies in the unit's subtree."""
        found = self.unit_prefix(value)
        if found is None:
            return queryset.none()
        is_current, path = found
        if is_current:
            inspected = InspectedUnit.objects.filter(inspection=OuterRef("pk"), unit_path__startswith=path)
            return queryset.filter(Q(unit_path__startswith=path) | Exists(inspected))
        inspected = InspectedUnit.objects.filter(inspection=OuterRef("pk"), unit__path__startswith=path)
        return queryset.filter(Q(inspecting_unit__path__startswith=path) | Exists(inspected))

    def filter_topic(self, queryset, name, value):
        # A JSON list of fixed identifiers: a LIKE on its text works the same on SQLite and PostgreSQL.
        return queryset.filter(topics__icontains=f'"{value}"')


class DirectiveFilter(_UnitFilterSet):
    """Directives a unit's subtree carries out, by status, overdue or not, due in a window, of an inspection."""

    status = django_filters.ChoiceFilter(choices=Directive.Status.choices, label=_("Status"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    due_after = django_filters.DateFilter(
        field_name="due_on", lookup_expr="gte", label=_("Due from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    due_before = django_filters.DateFilter(
        field_name="due_on", lookup_expr="lte", label=_("Due until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    inspection = IdFilter(field_name="inspection_id", label=_("Inspection"))

    class Meta:
        model = Directive
        fields = ["unit", "status", "overdue", "due_after", "due_before", "inspection"]

    def filter_unit(self, queryset, name, value):
        found = self.unit_prefix(value)
        if found is None:
            return queryset.none()
        is_current, path = found
        return queryset.filter(
            **{"unit_path__startswith" if is_current else "responsible_unit__path__startswith": path}
        )

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(due_on__lt=timezone.localdate()) & ~Q(status=Directive.Status.DONE)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
