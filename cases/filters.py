"""The case list filters, shared by the API, the list page and the exports."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.filters import IdFilter
from portal.units.models import Unit
from portal.units.text import search_key

from .models import Case, Category, CrimeLine, DeadlineStatus, Severity


class CaseFilter(django_filters.FilterSet):
    unit = django_filters.CharFilter(method="filter_unit", label=_("Unit code (with everything under it)"))
    unit_edition = django_filters.ChoiceFilter(
        choices=Unit.Edition.choices, method="filter_noop", label=_("Unit list of that code")
    )
    recorded_after = django_filters.DateFilter(
        field_name="recorded_on",
        lookup_expr="gte",
        label=_("Recorded from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    recorded_before = django_filters.DateFilter(
        field_name="recorded_on",
        lookup_expr="lte",
        label=_("Recorded until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.order_by("sort_key"), to_field_name="article", label=_("Offence (article)")
    )
    line = django_filters.ChoiceFilter(choices=CrimeLine.choices, label=_("Crime line"))
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=_("Severity"))
    status = django_filters.ChoiceFilter(choices=Case.Status.choices, label=_("Status"))
    deadline = django_filters.ChoiceFilter(
        choices=DeadlineStatus.choices, method="filter_deadline", label=_("Deadline")
    )
    q = django_filters.CharFilter(method="filter_text", label=_("Search (reference, title)"))
    campaign = IdFilter(field_name="campaign", label=_("Crackdown campaign (id)"))
    hotspot = IdFilter(field_name="hotspot", label=_("Hotspot (id)"))
    ordering = django_filters.OrderingFilter(
        fields=[("recorded_on", "recorded_on"), ("reference", "reference"), ("due_on", "due_on"), ("status", "status")],
        label=_("Sort by"),
    )

    class Meta:
        model = Case
        fields = [
            "unit",
            "recorded_after",
            "recorded_before",
            "category",
            "line",
            "severity",
            "status",
            "deadline",
            "q",
            "campaign",
            "hotspot",
        ]

    def filter_unit(self, queryset, name, value):
        """A current unit covers its subtree and the legacy units rolling into it; a legacy code, its own subtree."""
        code = value.strip()
        edition = self.data.get("unit_edition")
        units = list(Unit.objects.filter(code=code, **({"edition": edition} if edition else {})))
        current = next((u for u in units if u.edition == Unit.Edition.CURRENT), None)
        if current is not None:
            return queryset.filter(unit_path__startswith=current.path)
        if units:
            return queryset.filter(unit__path__startswith=units[0].path)
        return queryset.none()

    def filter_noop(self, queryset, name, value):
        return queryset  # read by filter_unit

    def filter_deadline(self, queryset, name, value):
        return queryset.deadline(value, timezone.localdate())

    def filter_text(self, queryset, name, value):
        """Reference, or words of the title with or without diacritics."""
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(reference__icontains=value) | Q(search_title__contains=search_key(value)))
