"""List filters of recommendations, shared by the API and the pages."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.filters import IdFilter
from portal.units.models import Unit

from ..models import Recommendation


class RecommendationFilter(django_filters.FilterSet):
    """Recommendations raised in a unit's subtree or addressed to a unit, by status, overdue, date, inspection."""

    raised_by = django_filters.CharFilter(
        method="filter_raised_by", label=_("Raised by (unit code, with everything under it)")
    )
    addressed_to = django_filters.CharFilter(method="filter_addressed_to", label=_("Addressed to (unit code)"))
    status = django_filters.ChoiceFilter(choices=Recommendation.Status.choices, label=_("Status"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    raised_after = django_filters.DateFilter(
        field_name="raised_on",
        lookup_expr="gte",
        label=_("Raised from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    raised_before = django_filters.DateFilter(
        field_name="raised_on",
        lookup_expr="lte",
        label=_("Raised until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    inspection = IdFilter(field_name="inspection_id", label=_("Inspection"))

    class Meta:
        model = Recommendation
        fields = ["raised_by", "addressed_to", "status", "overdue", "raised_after", "raised_before", "inspection"]

    def filter_raised_by(self, queryset, name, value):
        """A current unit covers its subtree and the legacy units rolling into it; a legacy code, its own subtree."""
        units = list(Unit.objects.filter(code=value.strip()))
        current = next((u for u in units if u.edition == Unit.Edition.CURRENT), None)
        if current is not None:
            return queryset.filter(raised_path__startswith=current.path)
        if units:
            return queryset.filter(raised_by_unit__path__startswith=units[0].path)
        return queryset.none()

    def filter_addressed_to(self, queryset, name, value):
        # The addressee itself (a current unit), not its subtree: "what the central committee must answer".
        unit = Unit.objects.filter(code=value.strip(), edition=Unit.Edition.CURRENT).first()
        return queryset.none() if unit is None else queryset.filter(addressed_to=unit)

    def filter_overdue(self, queryset, name, value):
        is_open = [Recommendation.Status.SUBMITTED, Recommendation.Status.UNDER_REVIEW]
        overdue = Q(status__in=is_open, due_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
